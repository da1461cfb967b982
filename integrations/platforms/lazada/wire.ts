import { z } from 'zod';

/**
 * Lazada's wire shapes, only the fields we read. The envelope is confirmed (§8.2, SDK); the order
 * and item fields are UNCONFIRMED (§8.3), so every one of them is optional with a neutral default
 * and the normalizer names the field it misses. `order_id` is a 15–16-digit JSON number: bodies
 * are parsed with `parseLosslessJson` and ids kept as strings. Money is a decimal string in major
 * units that may carry thousands separators ("1,299.00").
 */
const id = z.union([z.string(), z.number().int(), z.bigint()]).transform(String);
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? '' : String(v)));
const money = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === '' ? '0' : String(v).replace(/,/g, '')));
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

export const LazadaAddressSchema = z.object({
  first_name: text,
  last_name: text,
  phone: text,
  phone2: text,
  address1: text,
  address2: text,
  address3: text,
  address4: text,
  address5: text,
  city: text,
  post_code: text,
  country: text,
});

export const LazadaOrderSchema = z.object({
  order_id: id,
  order_number: text,
  created_at: z.string(),
  updated_at: z.string(),
  price: money,
  shipping_fee: money,
  voucher: money,
  statuses: list(z.string()),
  customer_first_name: text,
  customer_last_name: text,
  remarks: text,
  address_shipping: LazadaAddressSchema.nullish(),
});
export type LazadaOrder = z.infer<typeof LazadaOrderSchema>;

export const LazadaItemSchema = z.object({
  order_item_id: id,
  order_id: id.nullish(),
  name: text,
  variation: text,
  sku: text,
  shop_sku: text,
  sku_id: id.nullish(),
  item_price: money,
  paid_price: money,
  voucher_amount: money,
  status: text,
  tracking_code: text,
  shipment_provider: text,
  currency: text,
});
export type LazadaItem = z.infer<typeof LazadaItemSchema>;

/** `/orders/get`: one page of orders (`countTotal` across pages). */
export const LazadaOrderListSchema = z.object({
  count: z.number().int().nullish(),
  countTotal: z.number().int().nullish(),
  orders: list(z.unknown()),
});

/** `/orders/items/get`: each order of `order_ids` with its items. */
export const LazadaOrdersItemsSchema = list(z.object({ order_id: id, order_items: list(z.unknown()) }));

/** `/order/items/get`: one order's items. */
export const LazadaItemListSchema = list(z.unknown());

/** `/product/item/get` (UNCONFIRMED, community SDKs): the item's SKUs with their quantities. */
export const LazadaProductSchema = z.object({
  item_id: id.nullish(),
  skus: list(
    z.object({
      SkuId: id,
      SellerSku: text,
      quantity: z.number().int().nullish(),
      Status: text,
    }),
  ),
});

/** Every answer: `code` "0" is success (§8.2); errors carry `type` (ISV/ISP/SYSTEM) and `message`. */
export const LazadaEnvelopeSchema = z.object({
  code: text,
  type: text,
  message: text,
  request_id: text,
  data: z.unknown().optional(),
});

/** `/auth/token/refresh` answer (§8.1; field names from community type definitions). */
export const LazadaTokenSchema = z.object({
  code: text,
  message: text,
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int(),
});

/** A push (§8.4, UNCONFIRMED): `message_type` 0 = trade order, its data naming the order. */
export const LazadaPushSchema = z.object({
  seller_id: id.nullish(),
  message_type: z.number().int(),
  timestamp: z.number().int().nullish(),
  site: text,
  data: z
    .object({
      trade_order_id: id.nullish(),
      order_status: text,
      status_update_time: z.number().int().nullish(),
    })
    .nullish(),
});
