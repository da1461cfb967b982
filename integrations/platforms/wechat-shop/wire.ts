import { z } from 'zod';

/**
 * WeChat Channels shop (微信小店/视频号) wire shapes (MORE-CHANNELS §3.3, the SDK's models and
 * doc-shaped samples), only the fields we read. `order_id` is a string of up to 19 digits (past
 * 2^53) and `product_id`/`sku_id` are 64-bit: bodies are parsed with `parseLosslessJson` and ids
 * kept as strings. Money is integer fen; times are epoch seconds.
 */
const id = z.union([z.string(), z.number().int(), z.bigint()]).transform(String);
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? '' : String(v)));
const int = z
  .union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)])
  .nullish()
  .transform((v) => v ?? 0);
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

export const WechatAddressSchema = z.object({
  user_name: text,
  postal_code: text,
  province_name: text,
  city_name: text,
  county_name: text,
  detail_info: text,
  tel_number: text,
  house_number: text,
  virtual_order_tel_number: text,
  hash_code: text,
});

export const WechatProductSchema = z.object({
  product_id: id,
  sku_id: id,
  sku_cnt: z.number().int().min(1),
  title: text,
  sale_price: int,
  real_price: int,
  sku_code: text,
  out_sku_id: text,
  sku_attrs: list(z.object({ attr_key: text, attr_value: text })),
  on_aftersale_sku_cnt: int,
  finish_aftersale_sku_cnt: int,
  is_free_gift: z.boolean().nullish(),
});
export type WechatProduct = z.infer<typeof WechatProductSchema>;

export const WechatOrderSchema = z.object({
  order_id: id,
  status: z.number().int(),
  create_time: z.number().int(),
  update_time: z.number().int(),
  openid: text,
  order_detail: z.object({
    product_infos: list(WechatProductSchema),
    price_info: z.object({
      product_price: int,
      order_price: int,
      freight: int,
      discounted_price: int,
    }),
    pay_info: z.object({ pay_time: int }).nullish(),
    delivery_info: z
      .object({
        address_info: WechatAddressSchema.nullish(),
        delivery_product_info: list(
          z.object({
            waybill_id: text,
            delivery_id: text,
            product_infos: list(z.object({ product_id: id, sku_id: id, product_cnt: int })),
          }),
        ),
      })
      .nullish(),
    ext_info: z.object({ customer_notes: text, merchant_notes: text }).nullish(),
  }),
  aftersale_detail: z
    .object({
      on_aftersale_order_cnt: int,
      aftersale_order_list: list(z.object({ aftersale_order_id: id, status: int })),
    })
    .nullish(),
});
export type WechatOrder = z.infer<typeof WechatOrderSchema>;

/** `/channels/ec/order/list/get`: ids only, `next_key` cursor, `has_more`. */
export const WechatOrderListSchema = z.object({
  order_id_list: list(id),
  next_key: text,
  has_more: z.boolean().nullish(),
});

export const WechatOrderGetSchema = z.object({ order: z.unknown() });

/** `/channels/ec/order/sensitiveinfo/decode`: the plain address. */
export const WechatDecodeSchema = z.object({ address_info: WechatAddressSchema });

/** `/channels/ec/product/stock/get` (UNCONFIRMED: not in the facts). */
export const WechatStockSchema = z.object({
  data: z.object({ normal_stock_num: int, limited_discount_stock_num: int }).nullish(),
});

/** Every answer: `errcode` 0 (or absent) is success. */
export const WechatEnvelopeSchema = z.object({ errcode: int, errmsg: text }).passthrough();

/** `GET /cgi-bin/token` (§3.1): a token valid `expires_in` seconds (7200). */
export const WechatTokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().int() });

/** A push event (§3.4): `Event` names it, `order_info.order_id` the order. */
export const WechatPushSchema = z.object({
  ToUserName: text,
  MsgType: text,
  Event: text,
  CreateTime: int,
  order_info: z.object({ order_id: id.nullish() }).passthrough().nullish(),
});

export const WechatEncryptedSchema = z.object({ Encrypt: z.string().min(1) });
