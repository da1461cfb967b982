import { z } from 'zod';

/** The parts of PDD responses we read, as parsed by `parsePlatformJson` (numbers as text). */
const numeric = z.union([z.string(), z.number()]).transform(String);
const text = z.string().optional();
const num = numeric.optional();

export const PddItemSchema = z.object({
  goods_id: num,
  goods_name: text,
  goods_spec: text,
  sku_id: num,
  outer_id: text,
  outer_goods_id: text,
  goods_count: numeric,
  goods_price: numeric,
});

export const PddOrderSchema = z.object({
  order_sn: z.string(),
  order_status: numeric,
  refund_status: num,
  after_sales_status: num,
  confirm_status: num,
  group_status: num,
  group_order_id: num,
  trade_type: num,
  is_pre_sale: num,
  pre_sale_time: text,
  step_order_info: z
    .object({
      step_trade_status: num,
      step_paid_fee: num,
      advanced_paid_fee: num,
      step_discount_amount: num,
    })
    .optional(),
  created_time: z.string(),
  pay_time: text,
  confirm_time: text,
  updated_at: z.string(),
  last_ship_time: text,
  shipping_time: text,
  goods_amount: numeric,
  discount_amount: num,
  postage: num,
  pay_amount: numeric,
  buyer_memo: text,
  remark: text,
  receiver_name: text,
  receiver_phone: text,
  receiver_address: text,
  receiver_name_mask: text,
  receiver_phone_mask: text,
  receiver_address_mask: text,
  /**
   * 合单ID: the same for every order PDD lets the seller ship together (same receiver and address);
   * `pdd.order.merge.ship.order.group` doc: 普通订单相同open_address_id可直接合单.
   */
  open_address_id: text,
  country: text,
  province: text,
  city: text,
  town: text,
  tracking_number: text,
  logistics_id: num,
  /** Further parcels' waybills the seller added to the order (element keys ❓ per API-FACTS §2.3). */
  extra_delivery_list: z.array(z.object({ logistics_id: num, tracking_number: text })).default([]),
  item_list: z.array(PddItemSchema).default([]),
  /** Order tags (`free_sf`, `delivery_one_day`, …); value 1 = the tag applies (❓ only 0 is sampled). */
  order_tag_list: z.array(z.object({ name: z.string(), value: num })).default([]),
});
export type PddOrder = z.infer<typeof PddOrderSchema>;

export const PddRefundSchema = z.object({
  id: numeric,
  order_sn: z.string(),
  after_sales_status: numeric,
  after_sales_type: numeric,
  after_sale_reason: text,
  /** Fen (❓ unit undocumented in API-FACTS; PDD's refund push samples carry fen). */
  refund_amount: numeric,
  sku_id: num,
  user_shipping_status: num,
  created_time: z.string(),
  updated_time: z.string(),
});
export type PddRefund = z.infer<typeof PddRefundSchema>;

export const PddDecryptedSchema = z.object({
  data_tag: z.string(),
  encrypted_data: z.string(),
  decrypted_data: text,
  data_type: num,
  error_code: num,
  error_msg: text,
});

export const PddTokenSchema = z.object({
  access_token: z.string(),
  refresh_token: text,
  expires_in: num,
  /** Epoch seconds (❓ seconds vs ms; both are read). */
  expires_at: num,
});
