import { z } from 'zod';

/**
 * Weidian 微店 shapes (MORE-CHANNELS §5: not yet researched). Only the gateway's form is in the
 * facts — `https://api.vdian.com/api` with a `param` JSON and a `public` JSON (`method`,
 * `access_token`, `version`, `format`) — and the method names. Everything below is **UNCONFIRMED**:
 * the `{status: {status_code, status_reason}, result}` answer, the token call, the order's fields
 * (yuan strings, `yyyy-MM-dd HH:mm:ss` Beijing times). Bodies are parsed losslessly; ids kept as
 * strings.
 */
const id = z.union([z.string(), z.number().int(), z.bigint()]).transform(String);
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? '' : String(v)));
const yuan = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === '' ? '0' : String(v)));
const int = z
  .union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)])
  .nullish()
  .transform((v) => v ?? 0);
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

export const WeidianItemSchema = z.object({
  sub_order_id: id,
  item_id: id,
  sku_id: id.nullish(),
  merchant_code: text,
  item_name: text,
  sku_title: text,
  price: yuan,
  quantity: z.number().int().min(1),
  total_price: yuan,
  refund_status: text,
});
export type WeidianItem = z.infer<typeof WeidianItemSchema>;

export const WeidianOrderSchema = z.object({
  order_id: id,
  status: z.string(),
  add_time: z.string(),
  update_time: text,
  pay_time: text,
  total: yuan,
  express_fee: yuan,
  discount_fee: yuan,
  buyer_note: text,
  seller_note: text,
  buyer_info: z
    .object({
      buyer_id: text,
      name: text,
      phone: text,
      province: text,
      city: text,
      region: text,
      address: text,
      post: text,
    })
    .nullish(),
  items: z.array(WeidianItemSchema).min(1),
  express: list(z.object({ express_type: text, express_no: text, sub_order_ids: list(id) })),
});
export type WeidianOrder = z.infer<typeof WeidianOrderSchema>;

/** `vdian.order.list.get` `result`. */
export const WeidianOrderListSchema = z.object({ total_num: int, orders: list(z.unknown()) });

/** Every answer: `status.status_code` 0 is success. */
export const WeidianEnvelopeSchema = z
  .object({
    status: z.object({ status_code: int, status_reason: text }),
    result: z.unknown().optional(),
  })
  .passthrough();

/** `GET /token` (client_credential) `result`. */
export const WeidianTokenSchema = z.object({ access_token: z.string().min(1), expire_in: z.number().int() });

/** `vdian.item.get` `result` (UNCONFIRMED): the item's and each SKU's stock. */
export const WeidianItemStockSchema = z.object({
  itemid: id,
  stock: int,
  skus: list(z.object({ id: id, stock: int })),
});
