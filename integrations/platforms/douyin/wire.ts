import { parseLosslessJson } from '../lossless-json.js';
import { z } from 'zod';

/**
 * Douyin's wire shapes, only the fields we read. Order, product and sku ids are JSON numbers of up
 * to 19 digits, so bodies are parsed with `parseDouyinJson`: a number a double cannot hold exactly
 * stays as its digit string, and id fields accept either form.
 */
export const parseDouyinJson: (text: string) => unknown = parseLosslessJson;

const id = z.union([z.string(), z.number().int()]).transform(String);
const int = z.number().int();
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? '');
const optionalInt = int.nullish().transform((v) => v ?? 0);

const Area = z
  .object({ name: text, id: id.nullish() })
  .nullish()
  .transform((v) => v ?? { name: '', id: null });

export const DouyinSkuOrderSchema = z.object({
  order_id: id,
  parent_order_id: id.nullish(),
  order_status: optionalInt,
  sku_id: id.nullish(),
  out_sku_id: text,
  code: text,
  product_id: id.nullish(),
  out_product_id: text,
  product_name: text,
  spec: z
    .array(z.object({ name: text, value: text }))
    .nullish()
    .transform((v) => v ?? []),
  item_num: int,
  origin_amount: int,
  sum_amount: int,
  pay_amount: int,
  pre_sale_type: optionalInt,
  /** 直播间id: the live room the item was bought in, 0 or absent otherwise (⚠️ community SDK). */
  room_id: id.nullish(),
  /** 主播id of that live room (⚠️ community SDK). */
  author_id: id.nullish(),
  after_sale_info: z
    .object({ after_sale_status: optionalInt, after_sale_type: optionalInt, refund_status: optionalInt })
    .nullish(),
});
export type DouyinSkuOrder = z.infer<typeof DouyinSkuOrderSchema>;

export const DouyinPhaseSchema = z.object({
  phase_order_id: id.nullish(),
  current_phase: optionalInt,
  pay_success: z.boolean().nullish(),
  phase_order_amount: optionalInt,
  phase_pay_amount: optionalInt,
  phase_open_time: optionalInt,
  phase_pay_time: optionalInt,
});

export const DouyinLogisticsSchema = z.object({
  tracking_no: text,
  company: text,
  company_name: text,
  ship_time: optionalInt,
});

export const DouyinOrderSchema = z.object({
  order_id: id,
  order_status: int,
  main_status: optionalInt,
  order_type: optionalInt,
  trade_type: optionalInt,
  create_time: int,
  pay_time: optionalInt,
  update_time: int,
  exp_ship_time: optionalInt,
  order_amount: int,
  pay_amount: int,
  post_amount: optionalInt,
  promotion_amount: optionalInt,
  buyer_words: text,
  seller_words: text,
  doudian_open_id: text,
  encrypt_post_receiver: text,
  encrypt_post_tel: text,
  post_addr: z.object({
    province: Area,
    city: Area,
    town: Area,
    street: Area,
    encrypt_detail: text,
  }),
  open_address_id: text,
  sku_order_list: z.array(DouyinSkuOrderSchema).min(1),
  order_phase_list: z
    .array(DouyinPhaseSchema)
    .nullish()
    .transform((v) => v ?? []),
  logistics_info: z
    .array(DouyinLogisticsSchema)
    .nullish()
    .transform((v) => v ?? []),
});
export type DouyinOrder = z.infer<typeof DouyinOrderSchema>;

export const DouyinSearchListDataSchema = z.object({
  shop_order_list: z
    .array(z.unknown())
    .nullish()
    .transform((v) => v ?? []),
  total: int,
  page: optionalInt,
  size: optionalInt,
});

export const DouyinOrderDetailDataSchema = z.object({ shop_order_detail: z.unknown() });

export const DouyinAfterSaleSchema = z.object({
  aftersale_info: z.object({
    aftersale_id: id,
    aftersale_type: optionalInt,
    aftersale_status: optionalInt,
    related_id: id.nullish(),
    apply_time: optionalInt,
    update_time: optionalInt,
    refund_amount: optionalInt,
    refund_post_amount: optionalInt,
    refund_status: optionalInt,
    reason: text,
  }),
  order_info: z
    .object({
      shop_order_id: id,
      related_order_info: z
        .array(z.object({ sku_order_id: id }))
        .nullish()
        .transform((v) => v ?? []),
    })
    .nullish(),
  text_part: z.object({ reason_text: text }).nullish(),
});
export type DouyinAfterSale = z.infer<typeof DouyinAfterSaleSchema>;

export const DouyinAfterSaleListDataSchema = z.object({
  items: z
    .array(z.unknown())
    .nullish()
    .transform((v) => v ?? []),
  has_more: z.boolean().nullish(),
  total: int,
  page: optionalInt,
  size: optionalInt,
});

export const DouyinDecryptDataSchema = z.object({
  decrypt_infos: z.array(
    z.object({
      auth_id: id,
      cipher_text: text,
      decrypt_text: text,
      err_no: optionalInt,
      err_msg: text,
    }),
  ),
});

export const DouyinTokenDataSchema = z.object({
  access_token: z.string().min(1),
  expires_in: int,
  refresh_token: z.string().min(1),
  shop_id: id.nullish(),
});

/** The envelope every Douyin API answers with; success is code 10000 / err_no 0. */
export const DouyinEnvelopeSchema = z.object({
  code: int.nullish(),
  err_no: int.nullish(),
  msg: text,
  message: text,
  sub_code: text,
  sub_msg: text,
  log_id: text,
  data: z.unknown().optional(),
});
