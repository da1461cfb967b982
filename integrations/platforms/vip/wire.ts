import { z } from 'zod';
import { wireDecimal, wireId, wireList, wireText } from '../wire-fields.js';

/**
 * VOP 直发 (DvdDeliveryService) shapes, from the official SDK's generated classes
 * (docs/platforms/vip.md): `DvdOrder`, `DvdOrderDetail`, `ShipResult`, the inventory and OAuth
 * results. Order ids and barcodes are strings; money is yuan (strings or doubles); times are
 * `yyyy-MM-dd HH:mm:ss` (China time, UNCONFIRMED).
 */
const text = wireText;
const list = wireList;
const int = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).transform(Number);

export const VipOrderSchema = z.object({
  order_id: wireId,
  order_status: wireId,
  buyer: text,
  address: text,
  mobile: text,
  tel: text,
  postcode: text,
  province: text,
  city: text,
  country: text,
  country_id: text,
  remark: text,
  transport_day: text,
  vendor_id: wireId.nullish(),
  product_money: wireDecimal,
  carriage: wireDecimal,
  vip_order_total_amount: z.union([z.number(), z.string()]).nullish(),
  add_time: text,
  vis_add_time: text,
  po_no: text,
});
export type VipOrder = z.infer<typeof VipOrderSchema>;

/** `getOrderList` `result`. */
export const VipOrderListSchema = z.object({
  dvd_order_list: list(z.unknown()),
  total: int.nullish(),
});

export const VipOrderDetailSchema = z.object({
  barcode: wireId,
  art_no: text,
  product_name: text,
  brand_name: text,
  size: text,
  amount: int,
  sell_price: wireDecimal,
  customized_info: text,
});
export type VipOrderDetail = z.infer<typeof VipOrderDetailSchema>;

/** `getOrderDetail` `result`. */
export const VipOrderDetailListSchema = z.object({
  orderDetails: list(VipOrderDetailSchema),
  total: int.nullish(),
});

/** `ship` `result` (`ShipResult`): the orders taken and the ones refused, each with `error_msg`. */
export const VipShipResultSchema = z.object({
  success_num: int.nullish(),
  fail_num: int.nullish(),
  fail_data: list(z.object({ order_id: wireId.nullish(), error_msg: text }).passthrough()),
});

/** `InventoryService.getSkuStock` `result`. */
export const VipSkuStockSchema = list(
  z.object({ barcode: wireId.nullish(), leaving_stock: int.nullish(), current_hold: int.nullish() }),
);

/** `OauthService.refreshToken` `result`. */
export const VipTokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: text,
  expires_in: int.nullish(),
});

/** Every answer: `{returnCode, returnMessage?, result}`; "0" is success. */
export const VipEnvelopeSchema = z
  .object({
    returnCode: wireId,
    returnMessage: text,
    result: z.unknown().optional(),
  })
  .passthrough();
