import { z } from 'zod';

/**
 * Youzan 有赞 wire shapes (MORE-CHANNELS §4), only the fields we read. The envelope and token
 * call are confirmed (the official Node SDK); the trade fields below are **UNCONFIRMED** (§4.3: no
 * doc dump with fields was found): `full_order_info.{order_info, buyer_info, address_info,
 * remark_info, pay_info, orders[], delivery_order[]}`, money in yuan strings, times
 * `yyyy-MM-dd HH:mm:ss` in Beijing time. Bodies are parsed losslessly; ids are kept as strings.
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
  .union([
    z.number().int(),
    z
      .string()
      .regex(/^-?\d+$/)
      .transform(Number),
  ])
  .nullish()
  .transform((v) => v ?? 0);
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

export const YouzanLineSchema = z.object({
  oid: id,
  item_id: id.nullish(),
  sku_id: id.nullish(),
  outer_sku_id: text,
  outer_item_id: text,
  title: text,
  sku_properties_name: text,
  num: z.number().int().min(1),
  price: yuan,
  total_fee: yuan,
  payment: yuan,
});
export type YouzanLine = z.infer<typeof YouzanLineSchema>;

export const YouzanAddressSchema = z.object({
  receiver_name: text,
  receiver_tel: text,
  delivery_province: text,
  delivery_city: text,
  delivery_district: text,
  delivery_address: text,
  delivery_postal_code: text,
});

export const YouzanTradeSchema = z.object({
  order_info: z.object({
    tid: id,
    status: z.string(),
    type: int,
    created: z.string(),
    update_time: z.string(),
    pay_time: text,
    refund_state: int,
  }),
  buyer_info: z.object({ buyer_id: text, yz_open_id: text, fans_nickname: text }).nullish(),
  address_info: YouzanAddressSchema.nullish(),
  remark_info: z.object({ buyer_message: text, trade_memo: text }).nullish(),
  pay_info: z.object({ total_fee: yuan, post_fee: yuan, payment: yuan }),
  orders: z.array(YouzanLineSchema).min(1),
  delivery_order: list(
    z.object({
      oids: list(z.object({ oid: id })),
      dists: list(z.object({ dist_info: z.object({ express_id: text, express_no: text }).nullish() })),
    }),
  ),
});
export type YouzanTrade = z.infer<typeof YouzanTradeSchema>;

/** `youzan.trades.sold.get` 4.0.x `data`. */
export const YouzanTradeListSchema = z.object({
  total_results: int,
  full_order_info_list: list(z.object({ full_order_info: z.unknown() })),
});

/** `youzan.trade.get` 4.0.x `data`. */
export const YouzanTradeGetSchema = z.object({ full_order_info: z.unknown() });

/**
 * Every answer (§4.1): success is `success: true` and `code` 200 with `data`; the gateway's own
 * refusals come as `gw_err_resp {err_code, err_msg}` (4201 illegal credential, 4203 unknown token,
 * 4005 unknown API: secondary).
 */
export const YouzanEnvelopeSchema = z
  .object({
    success: z.boolean().nullish(),
    code: int,
    message: text,
    data: z.unknown().optional(),
    gw_err_resp: z.object({ err_code: int, err_msg: text }).nullish(),
  })
  .passthrough();

/** `POST /auth/token` `data` (§4.1: confirmed call; the field names secondary). */
export const YouzanTokenSchema = z.object({
  access_token: z.string().min(1),
  /** The epoch millisecond the token ends. */
  expires: z.number().int(),
  refresh_token: z.string().nullish(),
  authority_id: text,
});

/** `youzan.cloud.secret.decrypt.batch` `data` (UNCONFIRMED): ciphertext → plaintext. */
export const YouzanDecryptSchema = z.record(z.string(), z.string());

/** `youzan.item.get` `data.item` (UNCONFIRMED): the item's and each SKU's quantity. */
export const YouzanItemSchema = z.object({
  item: z.object({
    item_id: id,
    quantity: int,
    skus: list(z.object({ sku_id: id, quantity: int })),
  }),
});

/** A push (UNCONFIRMED, §4.4): names the trade (`id`), the shop (`kdt_id`) and the message `type`. */
export const YouzanPushSchema = z.object({
  client_id: text,
  id: text.refine((v) => v === '' || /^[A-Za-z0-9_-]{1,64}$/.test(v), 'must be a trade id'),
  kdt_id: text,
  type: text,
  status: text,
  test: z.boolean().nullish(),
});
