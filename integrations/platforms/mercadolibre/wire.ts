import { z } from 'zod';

/**
 * Mercado Libre shapes (MORE-CHANNELS §13), only the fields we read. The order fields below follow
 * the official `manage-sales` sample (confirmed): `id` a 16-digit JSON **number** (bodies are parsed
 * losslessly and ids kept as strings), amounts JSON numbers in major units with `currency_id`.
 * Everything else (`date_last_updated`, `shipping`, `coupon`, `shipping_cost`, `taxes`, the
 * shipment and item resources) is UNCONFIRMED.
 */
const id = z.union([z.string(), z.number().int(), z.bigint()]).transform(String);
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? '' : String(v)));
const amount = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === '' ? '0' : String(v)));

export const MeliOrderItemSchema = z.object({
  item: z.object({
    id: id,
    title: text,
    variation_id: id.nullish(),
    seller_sku: text,
    seller_custom_field: text,
  }),
  quantity: z.number().int().min(1),
  unit_price: amount,
  currency_id: text,
});
export type MeliOrderItem = z.infer<typeof MeliOrderItemSchema>;

export const MeliOrderSchema = z.object({
  id: id,
  status: z.string(),
  date_created: z.string(),
  date_closed: z.string().nullish(),
  date_last_updated: z.string().nullish(),
  order_items: z.array(MeliOrderItemSchema).min(1),
  total_amount: amount,
  paid_amount: amount,
  shipping_cost: amount,
  coupon: z.object({ id: text, amount: amount }).nullish(),
  taxes: z.object({ amount: amount, currency_id: text }).nullish(),
  currency_id: z.string(),
  buyer: z.object({ id: id, nickname: text, first_name: text, last_name: text }),
  seller: z.object({ id: id }).nullish(),
  shipping: z.object({ id: id.nullish() }).nullish(),
  pack_id: id.nullish(),
  tags: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
  buyer_message: text,
});
export type MeliOrder = z.infer<typeof MeliOrderSchema>;

/** `/orders/search`: `results[]` and `paging {total, offset, limit}`. */
export const MeliSearchSchema = z.object({
  results: z.array(z.unknown()),
  paging: z.object({ total: z.number().int(), offset: z.number().int(), limit: z.number().int() }),
});

/** `/shipments/{id}` (UNCONFIRMED beyond its path): who ships it (`mode`), its state and number. */
export const MeliShipmentSchema = z.object({
  id: id,
  mode: text,
  status: text,
  tracking_number: text,
  receiver_address: z
    .object({
      receiver_name: text,
      receiver_phone: text,
      address_line: text,
      zip_code: text,
      city: z.object({ name: text }).nullish(),
      state: z.object({ id: text, name: text }).nullish(),
      country: z.object({ id: text }).nullish(),
    })
    .nullish(),
});
export type MeliShipment = z.infer<typeof MeliShipmentSchema>;

/** Errors: `{message, error, status, cause[]}`. */
export const MeliErrorSchema = z.object({ message: text, error: text, status: z.number().int().nullish() });

/** `POST /oauth/token`: a new access token and a new (single-use) refresh token. */
export const MeliTokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int(),
  user_id: id.nullish(),
});

/** `/items/{id}` (UNCONFIRMED): quantities on the item or on each variation. */
export const MeliItemSchema = z.object({
  id: id,
  available_quantity: z.number().int().nullish(),
  variations: z
    .array(z.object({ id: id, available_quantity: z.number().int().nullish() }))
    .nullish()
    .transform((v) => v ?? []),
});

/** A notification (§13: topics confirmed, body UNCONFIRMED). */
export const MeliNotificationSchema = z.object({
  resource: z.string(),
  user_id: id,
  topic: z.string(),
  application_id: id.nullish(),
  attempts: z.number().int().nullish(),
  sent: text,
  received: text,
});
