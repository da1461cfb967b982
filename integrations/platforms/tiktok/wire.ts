import { z } from 'zod';

/**
 * TikTok Shop's wire shapes (MORE-CHANNELS §7.3; field names from copies of the doc example,
 * secondary), only the fields we read. Order, line-item, SKU and product ids are 18–19-digit
 * strings (past 2^53): bodies are parsed with `parseLosslessJson` and every id kept as a string.
 * Money is a decimal string in major units of `payment.currency`; times are epoch seconds.
 */
const id = z.union([z.string(), z.number().int(), z.bigint()]).transform(String);
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? '' : String(v)));
const money = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === '' ? '0' : String(v)));
const seconds = z
  .number()
  .int()
  .nullish()
  .transform((v) => v ?? 0);
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

export const TiktokLineItemSchema = z.object({
  id,
  sku_id: id.nullish(),
  product_id: id.nullish(),
  seller_sku: text,
  sku_name: text,
  product_name: text,
  currency: text,
  sale_price: money,
  original_price: money,
  seller_discount: money,
  platform_discount: money,
  display_status: text,
  package_id: id.nullish(),
  tracking_number: text,
  shipping_provider_id: text,
  shipping_provider_name: text,
  cancel_reason: text,
  is_gift: z.boolean().nullish(),
});
export type TiktokLineItem = z.infer<typeof TiktokLineItemSchema>;

export const TiktokAddressSchema = z.object({
  name: text,
  first_name: text,
  last_name: text,
  phone_number: text,
  full_address: text,
  address_detail: text,
  address_line1: text,
  address_line2: text,
  address_line3: text,
  address_line4: text,
  postal_code: text,
  region_code: text,
  district_info: list(z.object({ address_level: text, address_level_name: text, address_name: text })),
});

export const TiktokOrderSchema = z.object({
  id,
  status: z.string(),
  create_time: z.number().int(),
  update_time: z.number().int(),
  paid_time: seconds,
  rts_time: seconds,
  shipping_due_time: seconds,
  payment: z.object({
    currency: z.string().min(3),
    sub_total: money,
    shipping_fee: money,
    seller_discount: money,
    platform_discount: money,
    total_amount: money,
    original_total_product_price: money,
    original_shipping_fee: money,
    tax: money,
  }),
  recipient_address: TiktokAddressSchema.nullish(),
  line_items: list(z.unknown()),
  buyer_message: text,
  seller_note: text,
  user_id: text,
  buyer_email: text,
  fulfillment_type: text,
  shipping_type: text,
  tracking_number: text,
  shipping_provider_id: text,
  is_on_hold_order: z.boolean().nullish(),
  is_sample_order: z.boolean().nullish(),
  cancel_reason: text,
});
export type TiktokOrder = z.infer<typeof TiktokOrderSchema>;

/** `POST /order/202309/orders/search`: one page; `next_page_token` empty at the end. */
export const TiktokOrderSearchSchema = z.object({
  orders: list(z.unknown()),
  next_page_token: text,
  total_count: z.number().int().nullish(),
});

/** `GET /order/202309/orders?ids=…`. */
export const TiktokOrderDetailSchema = z.object({ orders: list(z.unknown()) });

/** `GET /product/202309/products/{id}` (UNCONFIRMED): the product's SKUs and their stock per warehouse. */
export const TiktokProductSchema = z.object({
  id: id.nullish(),
  status: text,
  skus: list(
    z.object({
      id,
      seller_sku: text,
      inventory: list(z.object({ warehouse_id: text, quantity: z.number().int().nullish() })),
    }),
  ),
});

/** Every answer: `code` 0 is success (SDK). */
export const TiktokEnvelopeSchema = z.object({
  code: z.number().int(),
  message: text,
  request_id: text,
  data: z.unknown().optional(),
});

/** `GET /api/v2/token/refresh` (§7.1; field names UNCONFIRMED): expiries are epoch seconds. */
export const TiktokTokenSchema = z.object({
  code: z.number().int(),
  message: text,
  data: z
    .object({
      access_token: z.string().min(1),
      access_token_expire_in: z.number().int(),
      refresh_token: z.string().min(1),
      refresh_token_expire_in: z.number().int().nullish(),
    })
    .nullish(),
});

/** A webhook (§7.4): `type` 1 order status, 2 reverse order, 3 address, 4 package, … */
export const TiktokPushSchema = z.object({
  type: z.number().int(),
  shop_id: id.nullish(),
  timestamp: z.number().int().nullish(),
  data: z
    .object({
      order_id: id.nullish(),
      order_status: text,
      update_time: z.number().int().nullish(),
    })
    .passthrough()
    .nullish(),
});
