import { z } from 'zod';

/**
 * Walmart Marketplace Orders API shapes (MORE-CHANNELS §11), only the fields we read. Endpoints,
 * filters and the ship body are confirmed; the order's field names are UNCONFIRMED (§11: "charges
 * are `{currency, amount}` decimals (UNCONFIRMED)"), so they are optional with neutral defaults and
 * the normalizer names what it misses. `purchaseOrderId` and `customerOrderId` are numeric
 * strings, kept as strings.
 */
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? '' : String(v)));
const id = z.union([z.string(), z.number()]).transform(String);
/** Walmart wraps lists one level down (`orderLines.orderLine[]`); a single element may come bare. */
const wrapped = <T extends z.ZodType>(key: string, item: T) =>
  z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((v) => {
      const inner = v?.[key];
      return inner === undefined || inner === null ? [] : Array.isArray(inner) ? inner : [inner];
    })
    .pipe(z.array(item));

export const WalmartMoneySchema = z.object({
  currency: text,
  amount: z.union([z.string(), z.number()]).transform(String),
});
export type WalmartMoney = z.infer<typeof WalmartMoneySchema>;

export const WalmartChargeSchema = z.object({
  chargeType: text,
  chargeName: text,
  chargeAmount: WalmartMoneySchema.nullish(),
  tax: z.object({ taxName: text, taxAmount: WalmartMoneySchema.nullish() }).nullish(),
});

export const WalmartLineStatusSchema = z.object({
  status: text,
  statusQuantity: z.object({ amount: text }).nullish(),
  trackingInfo: z
    .object({
      trackingNumber: text,
      carrierName: z.union([z.string(), z.object({ carrier: text, otherCarrier: text })]).nullish(),
    })
    .nullish(),
});

export const WalmartOrderLineSchema = z.object({
  lineNumber: id,
  item: z.object({ productName: text, sku: text }).nullish(),
  charges: wrapped('charge', WalmartChargeSchema),
  orderLineQuantity: z.object({ amount: text }).nullish(),
  statusDate: z.union([z.number(), z.string()]).nullish(),
  orderLineStatuses: wrapped('orderLineStatus', WalmartLineStatusSchema),
});
export type WalmartOrderLine = z.infer<typeof WalmartOrderLineSchema>;

export const WalmartOrderSchema = z.object({
  purchaseOrderId: id,
  customerOrderId: text,
  customerEmailId: text,
  orderDate: z.union([z.number(), z.string()]),
  shippingInfo: z
    .object({
      phone: text,
      methodCode: text,
      estimatedShipDate: z.union([z.number(), z.string()]).nullish(),
      postalAddress: z
        .object({
          name: text,
          address1: text,
          address2: text,
          city: text,
          state: text,
          postalCode: text,
          country: text,
        })
        .nullish(),
    })
    .nullish(),
  orderLines: wrapped('orderLine', WalmartOrderLineSchema),
});
export type WalmartOrder = z.infer<typeof WalmartOrderSchema>;

/** `GET /v3/orders`: `list.meta` (`totalCount`, `nextCursor`) and `list.elements.order[]`. */
export const WalmartOrderListSchema = z.object({
  list: z.object({
    meta: z.object({ totalCount: z.number().int().nullish(), nextCursor: text }).nullish(),
    elements: z.object({ order: z.array(z.unknown()).nullish() }).nullish(),
  }),
});

/** `GET /v3/orders/{id}` and `acknowledge` answer `{order: …}`. */
export const WalmartOrderEnvelopeSchema = z.object({ order: z.unknown() });

/** Errors: `{errors: [{code, field, description, info}]}` or the same under `errors.error[]`. */
export const WalmartErrorsSchema = z.object({
  errors: z.union([
    z.array(z.object({ code: text, description: text, info: text })),
    z
      .object({ error: z.array(z.object({ code: text, description: text, info: text })) })
      .transform((e) => e.error),
  ]),
});

/** `POST /v3/token` (client credentials). */
export const WalmartTokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: text,
  expires_in: z.number().int(),
});

/** Inventory API `{sku, quantity: {unit, amount}}` (not in our facts: UNCONFIRMED). */
export const WalmartInventorySchema = z.object({
  sku: text,
  quantity: z.object({ unit: text, amount: z.number().int() }),
});

/**
 * A notification (§11 push UNCONFIRMED; the Notifications API event shape): `source.eventType`
 * (`PO_CREATED`, `PO_LINE_AUTOCANCELLED`, …) and `payload.purchaseOrderId`.
 */
export const WalmartEventSchema = z.object({
  source: z.object({ eventType: text, eventId: text, eventTime: text }).nullish(),
  payload: z.object({ purchaseOrderId: id.nullish(), sellerId: text }).nullish(),
});
