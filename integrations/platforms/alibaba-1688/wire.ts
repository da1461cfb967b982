import { z } from 'zod';
import { wireDecimal, wireId, wireList, wireText } from '../wire-fields.js';

/**
 * 1688 trade shapes, from the official doc page of `alibaba.trade.getSellerOrderList`
 * (`alibaba.openplatform.trade.model.TradeInfo`; docs/platforms/1688.md has the sources). Bodies
 * are parsed losslessly: `baseInfo.id` and `productItems[].subItemID` are Longs beyond 2^53 (the
 * doc's own example shows `id` 193441303243969820 beside `idOfStr` "193441303243969811"), so the
 * string forms `idOfStr` / `subItemIDString` are read first. Money is yuan (BigDecimal numbers),
 * dates `yyyyMMddHHmmssSSS+0800`.
 */
const id = wireId;
const text = wireText;
const yuan = wireDecimal;
const list = wireList;

export const Alibaba1688ItemSchema = z.object({
  subItemID: id.nullish(),
  subItemIDString: text,
  productID: id.nullish(),
  skuID: id.nullish(),
  specId: text,
  cargoNumber: text,
  productCargoNumber: text,
  name: text,
  skuInfos: list(z.object({ name: text, value: text })),
  price: yuan,
  quantity: z.union([z.number(), z.string()]).transform(Number),
  itemAmount: yuan,
  status: text,
  refundStatus: text,
  /** 1 未发货, 2 已发货, 3 已收货, 4 已经退货, 5 部分发货, 8 还未创建物流订单. */
  logisticsStatus: z.number().int().nullish(),
  canSendGoods: z.boolean().nullish(),
  cantSendReason: text,
});
export type Alibaba1688Item = z.infer<typeof Alibaba1688ItemSchema>;

export const Alibaba1688TradeSchema = z.object({
  baseInfo: z.object({
    id: id.nullish(),
    idOfStr: text,
    status: z.string(),
    createTime: z.string(),
    payTime: text,
    modifyTime: text,
    totalAmount: yuan,
    shippingFee: yuan,
    sumProductPayment: yuan,
    currency: text,
    buyerID: text,
    buyerOpenUid: text,
    buyerLoginId: text,
    remark: text,
    buyerFeedback: text,
    sellerMemo: text,
    closeReason: text,
    receiverInfo: z
      .object({ toFullName: text, toMobile: text, toPhone: text, toPost: text, toArea: text })
      .nullish(),
  }),
  nativeLogistics: z
    .object({
      contactPerson: text,
      mobile: text,
      telephone: text,
      province: text,
      city: text,
      area: text,
      town: text,
      address: text,
      zip: text,
      logisticsItems: list(
        z.object({
          logisticsBillNo: text,
          logisticsCompanyNo: text,
          subItemIds: text,
        }),
      ),
    })
    .nullish(),
  productItems: z.array(Alibaba1688ItemSchema).min(1),
});
export type Alibaba1688Trade = z.infer<typeof Alibaba1688TradeSchema>;

/** `alibaba.trade.getSellerOrderList`: `{result: TradeInfo[], totalRecord}`. */
export const Alibaba1688OrderListSchema = z.object({
  result: list(z.unknown()),
  totalRecord: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]).nullish(),
});

/** `alibaba.trade.get.sellerView`: `{result: TradeInfo}` (the SDK's result class). */
export const Alibaba1688OrderViewSchema = z.object({ result: z.unknown() });

/** A business answer that failed: `success: false` with `errorCode` / `errorMessage`. */
export const Alibaba1688OutcomeSchema = z
  .object({
    success: z.union([z.boolean(), z.string()]).optional(),
    errorCode: text,
    errorMessage: text,
  })
  .passthrough();

/** The gateway's own refusals (HTTP 4xx/5xx): `{error_code, error_message}` (the SDK's buildException). */
export const Alibaba1688GatewayErrorSchema = z.object({ error_code: text, error_message: text });

/** `system.oauth2/getToken` (refresh_token grant). */
export const Alibaba1688TokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().nullish(),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]),
});

/** `alibaba.product.get` `productInfo` as far as stock goes (SDK field names). */
export const Alibaba1688ProductSchema = z.object({
  productInfo: z.object({
    productID: id,
    skuInfos: list(z.object({ specId: text, skuId: id.nullish(), amountOnSale: z.number().int().nullish() })),
    saleInfo: z.object({ amountOnSale: z.number().int().nullish() }).nullish(),
  }),
});
