import { z } from 'zod';

/**
 * Xiaohongshu's wire shapes (MORE-CHANNELS §2.3: the doc dump for the requests, the platform's
 * Java SDK for the order detail), only the fields we read. `orderId` is a string (`P7188…`), times
 * are epoch milliseconds, money is integer fen (by type; the unit is UNCONFIRMED).
 */
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === 'null' ? '' : String(v)));
const int = z
  .number()
  .int()
  .nullish()
  .transform((v) => v ?? 0);
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

export const XiaohongshuSkuSchema = z.object({
  skuId: text,
  skuName: text,
  erpcode: text,
  skuSpec: text,
  skuQuantity: z.number().int().min(1),
  totalPaidAmount: int,
  totalMerchantDiscount: int,
  totalRedDiscount: int,
  totalTaxAmount: int,
  skuAfterSaleStatus: int,
});
export type XiaohongshuSku = z.infer<typeof XiaohongshuSkuSchema>;

export const XiaohongshuOrderSchema = z.object({
  orderId: z.string().min(1),
  orderType: int,
  orderStatus: z.number().int(),
  orderAfterSalesStatus: int,
  cancelStatus: int,
  createdTime: z.number().int(),
  paidTime: int,
  updateTime: z.number().int(),
  promiseLastDeliveryTime: int,
  receiverCountryName: text,
  receiverProvinceName: text,
  receiverCityName: text,
  receiverDistrictName: text,
  customerRemark: text,
  sellerRemark: text,
  skuList: list(XiaohongshuSkuSchema),
  totalPayAmount: int,
  totalShippingFree: int,
  totalDepositAmount: int,
  totalMerchantDiscount: int,
  totalRedDiscount: int,
  expressTrackingNo: text,
  expressCompanyCode: text,
  receiverName: text,
  receiverPhone: text,
  receiverAddress: text,
  openAddressId: text,
  userId: text,
  simpleDeliveryOrderList: list(z.object({ expressTrackingNo: text, skuIdList: list(text) }).passthrough()),
});
export type XiaohongshuOrder = z.infer<typeof XiaohongshuOrderSchema>;

/** `order.getOrderList`: a page of `OrderSimpleDetail`s (ids and states only). */
export const XiaohongshuOrderListSchema = z.object({
  total: int,
  pageNo: int,
  pageSize: int,
  maxPageNo: int,
  orderList: list(z.object({ orderId: z.string().min(1), updateTime: int }).passthrough()),
});

/** `order.getOrderReceiverInfo` (§2.3, doc dump). */
export const XiaohongshuReceiverInfoSchema = z.object({
  receiverInfos: list(
    z.object({
      orderId: text,
      matched: z.boolean().nullish(),
      receiverProvinceName: text,
      receiverCityName: text,
      receiverDistrictName: text,
      receiverTownName: text,
      receiverName: text,
      receiverPhone: text,
      receiverAddress: text,
    }),
  ),
});

/** `inventory.getSkuStock` (UNCONFIRMED: not in the facts). */
export const XiaohongshuSkuStockSchema = z.object({
  skuId: text,
  skuStockInfo: z.object({ available: int }).nullish(),
});

/** Every answer (SDK): `success` true is success; `error_code` numbers otherwise. */
export const XiaohongshuEnvelopeSchema = z.object({
  success: z.boolean(),
  error_code: z.union([z.number().int(), z.string()]).nullish(),
  error_msg: text,
  data: z.unknown().optional(),
});

/** `oauth.refreshToken` data (§2.1, SDK): expiries are epoch ms. */
export const XiaohongshuTokenSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  accessTokenExpiresAt: z.number().int(),
  sellerId: text,
});

/** A push (UNCONFIRMED, §2.4): the topic (`msgTag`), the seller and a data object naming the order. */
export const XiaohongshuPushSchema = z.object({
  msgTag: z.string(),
  sellerId: text,
  data: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .nullish()
    .transform((v): Record<string, unknown> => {
      const data: unknown = typeof v === 'string' ? JSON.parse(v) : v;
      return data && typeof data === 'object' && !Array.isArray(data)
        ? (data as Record<string, unknown>)
        : {};
    }),
});
