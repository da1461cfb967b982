import { z } from 'zod';

/**
 * The parts of TOP responses we read (`format=json&simplify=true`), as parsed by
 * `parsePlatformJson`: numbers arrive as their source text, so numeric fields accept both.
 */
const numeric = z.union([z.string(), z.number()]).transform(String);
const text = z.string().optional();
const money = numeric.optional();

export const TopOrderSchema = z.object({
  oid: numeric,
  oid_str: text,
  status: text,
  refund_status: text,
  num_iid: numeric.optional(),
  sku_id: numeric.optional(),
  outer_iid: text,
  outer_sku_id: text,
  title: text,
  sku_properties_name: text,
  price: numeric,
  num: numeric,
  total_fee: money,
  payment: money,
  discount_fee: money,
  adjust_fee: money,
  divide_order_fee: money,
  invoice_no: text,
  logistics_company: text,
  consign_time: text,
});
export type TopOrder = z.infer<typeof TopOrderSchema>;

export const TopTradeSchema = z.object({
  tid: numeric,
  tid_str: text,
  status: z.string(),
  type: text,
  buyer_nick: text,
  buyer_open_uid: text,
  seller_nick: text,
  created: z.string(),
  pay_time: text,
  modified: z.string(),
  consign_time: text,
  end_time: text,
  est_con_time: text,
  total_fee: numeric,
  discount_fee: money,
  adjust_fee: money,
  post_fee: money,
  payment: numeric,
  buyer_message: text,
  seller_memo: text,
  receiver_name: text,
  receiver_mobile: text,
  receiver_phone: text,
  receiver_country: text,
  receiver_state: text,
  receiver_city: text,
  receiver_district: text,
  receiver_town: text,
  receiver_address: text,
  receiver_zip: text,
  oaid: text,
  step_trade_status: text,
  step_paid_fee: money,
  new_presell: z.boolean().optional(),
  /** The buyer's delivery choice at purchase: free, post, express, ems, virtual, 25, 26. */
  shipping_type: text,
  orders: z.array(TopOrderSchema).default([]),
});
export type TopTrade = z.infer<typeof TopTradeSchema>;

/** One row of `taobao.trades.sold.increment.get` (partial: only what paging needs). */
export const TopTradeRefSchema = z.object({ tid: numeric, tid_str: text, modified: text });

export const TopRefundSchema = z.object({
  refund_id: numeric,
  tid: numeric,
  oid: numeric.optional(),
  status: z.string(),
  refund_fee: numeric,
  reason: text,
  desc: text,
  has_good_return: z.union([z.boolean(), z.string()]).optional(),
  created: z.string(),
  modified: z.string(),
  refund_phase: text,
});
export type TopRefund = z.infer<typeof TopRefundSchema>;

export const TopDecryptedReceiverSchema = z.object({
  oaid: text,
  tid: numeric.optional(),
  name: text,
  mobile: text,
  phone: text,
  country: text,
  state: text,
  city: text,
  district: text,
  town: text,
  address_detail: text,
  matched: z.union([z.boolean(), z.string()]).optional(),
  privacy_protection: z.union([z.boolean(), z.string()]).optional(),
});

export const TmcMessageSchema = z.object({
  id: numeric,
  topic: z.string(),
  pub_time: text,
  pub_app_key: text,
  user_id: numeric.optional(),
  user_nick: text,
  content: z.string(),
});
export type TmcMessage = z.infer<typeof TmcMessageSchema>;

/** `token_result` of taobao.top.auth.token.refresh (a JSON string; field names ❓ per API-FACTS §1.1). */
export const TopTokenResultSchema = z.object({
  access_token: z.string(),
  refresh_token: text,
  expires_in: numeric.optional(),
  /** Epoch ms, as the OAuth token endpoint reports it. */
  expire_time: numeric.optional(),
});
