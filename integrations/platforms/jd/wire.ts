import { z } from 'zod';

/** The parts of JOS responses we read (⚠️ field names from ERP copies of the JOS docs, API-FACTS §3.3). */
const numeric = z.union([z.string(), z.number()]).transform(String);
const text = z.string().optional();
const num = numeric.optional();

export const JdConsigneeSchema = z.object({
  fullname: text,
  telephone: text,
  mobile: text,
  fullAddress: text,
  province: text,
  city: text,
  county: text,
  town: text,
});

export const JdOrderSchema = z.object({
  orderId: numeric,
  venderId: num,
  orderType: num,
  orderState: z.string(),
  orderTotalPrice: numeric,
  orderSellerPrice: num,
  sellerDiscount: num,
  freightPrice: num,
  orderPayment: numeric,
  balanceUsed: num,
  orderRemark: text,
  venderRemark: text,
  orderStartTime: z.string(),
  paymentConfirmTime: text,
  orderEndTime: text,
  modified: z.string(),
  pin: text,
  open_id_buyer: text,
  /** Open Addressee ID for `jingdong.jos.order.oaid.decrypt` (❓ field name). */
  oaid: text,
  consigneeInfo: JdConsigneeSchema.default({}),
  itemInfoList: z
    .array(
      z.object({
        skuId: numeric,
        outerSkuId: text,
        skuName: text,
        jdPrice: numeric,
        itemTotal: numeric,
        wareId: num,
      }),
    )
    .default([]),
  couponDetailList: z.array(z.object({ skuId: text, couponType: text, couponPrice: num })).default([]),
  waybill: text,
  logisticsId: text,
  /** 68 京配, 69 京配自提 (JD Logistics delivers); other values are the seller's own carrier. */
  idSopShipmenttype: num,
});
export type JdOrder = z.infer<typeof JdOrderSchema>;

export const JdRefundApplySchema = z.object({
  id: numeric,
  orderId: numeric,
  status: numeric,
  /** Fen (⚠️ secondary source, API-FACTS §3.2 (d)). */
  applyRefundSum: numeric,
  applyTime: z.string(),
  checkTime: text,
  reason: text,
});
export type JdRefundApply = z.infer<typeof JdRefundApplySchema>;

/** One decrypted receiver (❓ response shape; named like consigneeInfo). */
export const JdDecryptedSchema = JdConsigneeSchema.extend({ orderId: numeric, oaid: text });

export const JdApiResultSchema = z.object({
  success: z.union([z.boolean(), z.string()]).optional(),
  chineseErrCode: text,
  englishErrCode: text,
});
