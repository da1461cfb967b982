import { DecimalAmountSchema } from '../../../domain/money.js';
import { z } from 'zod';

/** WooCommerce REST v3 order (also the body of `order.*` webhooks), only what we read. */
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? '');
/** Checked where it arrives: a malformed amount is the push's fault (400), not ours. */
const money = DecimalAmountSchema;
const id = z.union([z.string(), z.number().int()]).transform(String);

const AddressSchema = z.object({
  first_name: text,
  last_name: text,
  company: text,
  address_1: text,
  address_2: text,
  city: text,
  state: text,
  postcode: text,
  country: text,
  email: text,
  phone: text,
});
export type WooAddress = z.infer<typeof AddressSchema>;

export const WooLineItemSchema = z.object({
  id,
  name: text,
  product_id: id.nullish(),
  variation_id: id.nullish(),
  quantity: z.number().int(),
  subtotal: money,
  total: money,
  total_tax: money.nullish(),
  sku: text,
});
export type WooLineItem = z.infer<typeof WooLineItemSchema>;

export const WooOrderSchema = z.object({
  id,
  number: text,
  status: z.string(),
  currency: z.string().length(3),
  date_created_gmt: z.string(),
  date_modified_gmt: z.string(),
  date_paid_gmt: z.string().nullish(),
  discount_total: money,
  shipping_total: money,
  /** Every tax on the order (lines and shipping); `total` includes it. */
  total_tax: money.nullish(),
  total: money,
  customer_id: z.number().int().nullish(),
  customer_note: text,
  billing: AddressSchema.nullish(),
  shipping: AddressSchema.nullish(),
  line_items: z.array(WooLineItemSchema).min(1),
  refunds: z
    .array(z.object({ id, reason: text, total: money }))
    .nullish()
    .transform((v) => v ?? []),
  meta_data: z
    .array(z.object({ key: z.string(), value: z.unknown() }))
    .nullish()
    .transform((v) => v ?? []),
});
export type WooOrder = z.infer<typeof WooOrderSchema>;

export const WooErrorSchema = z.object({ code: z.string(), message: text });
