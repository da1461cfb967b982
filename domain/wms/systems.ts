import { z } from 'zod';

const code = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be letters, digits, "_", ".", ":" or "-"');

/**
 * How the order system addresses a warehouse run by a Qimen WMS: the customerId the gateway routes
 * by (the WMS's account for this seller), the owner (货主) and warehouse codes the WMS uses, and the
 * sender printed on its delivery orders.
 */
export const QimenWarehouseSettingsSchema = z.object({
  customerId: code,
  ownerCode: code,
  warehouseCode: code,
  sender: z
    .object({
      name: z.string().trim().min(1).max(50),
      mobile: z.string().trim().min(5).max(30),
      province: z.string().trim().min(1).max(30),
      city: z.string().trim().min(1).max(30),
      area: z.string().trim().max(30).optional(),
      detailAddress: z.string().trim().min(1).max(200),
    })
    .optional(),
});
export type QimenWarehouseSettings = z.infer<typeof QimenWarehouseSettingsSchema>;

/** `PUT /wms/warehouses/:code/system`: the built-in WMS, or Qimen with its settings. */
export const WarehouseSystemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('built_in') }),
  z.object({ kind: z.literal('qimen'), settings: QimenWarehouseSettingsSchema }),
]);
export type WarehouseSystem = z.infer<typeof WarehouseSystemSchema>;
