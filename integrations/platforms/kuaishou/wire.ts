import { z } from 'zod';

/**
 * Kuaishou's wire shapes (MORE-CHANNELS §1.3, the doc dump), only the fields we read. `oid` and
 * item/sku ids are JSON numbers of 16+ digits: bodies are parsed with `parseLosslessJson` and ids
 * accept a number or its digit string, kept as strings. Money is integer fen; times are epoch ms.
 */
const id = z.union([z.string(), z.number().int()]).transform(String);
const int = z.number().int();
const optionalInt = int.nullish().transform((v) => v ?? 0);
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? '');
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

export const KuaishouOrderSchema = z.object({
  orderBaseInfo: z.object({
    oid: id,
    status: int,
    createTime: int,
    payTime: optionalInt,
    updateTime: int,
    buyerOpenId: text,
    buyerNick: text,
    totalFee: optionalInt,
    expressFee: optionalInt,
    discountFee: optionalInt,
    remark: text,
    preSale: optionalInt,
    allActivityType: list(int),
    disableDeliveryReasonCode: list(int),
    riskCode: optionalInt,
    validPromiseShipmentTimeStamp: optionalInt,
  }),
  orderItemInfo: z.object({
    orderItemId: id.nullish(),
    skuId: id.nullish(),
    relSkuId: id.nullish(),
    itemId: id.nullish(),
    skuNick: text,
    skuDesc: text,
    itemTitle: text,
    num: int,
    price: int,
    originalPrice: optionalInt,
    discountFee: optionalInt,
  }),
  orderAddress: z.object({
    province: text,
    city: text,
    district: text,
    town: text,
    encryptedConsignee: text,
    encryptedMobile: text,
    encryptedAddress: text,
    desensitiseConsignee: text,
    desensitiseMobile: text,
    desensitiseAddress: text,
  }),
  orderRefundList: list(z.object({ refundId: id, refundStatus: int })),
  orderLogisticsInfo: list(z.object({ expressNo: text, expressCode: optionalInt })),
  orderStepInfo: z
    .object({
      payStepType: optionalInt,
      orderStepList: list(z.object({ payStepNo: optionalInt, payFee: optionalInt, payTime: optionalInt })),
    })
    .nullish(),
  orderNote: z.object({ sellerNote: text }).nullish(),
});
export type KuaishouOrder = z.infer<typeof KuaishouOrderSchema>;

export const KuaishouCursorListSchema = z.object({
  cursor: text,
  orderList: list(z.unknown()),
});

/** `open.order.decrypt.batch` answer (item fields UNCONFIRMED: community SDKs). */
export const KuaishouDecryptSchema = z.object({
  decryptList: list(
    z.object({
      bizId: id.nullish(),
      encryptedData: text,
      decryptedData: text,
      errorCode: optionalInt,
      errorMsg: text,
    }),
  ),
});

/** `open.item.sku.list.get` answer: the item's SKUs (field names UNCONFIRMED: community SDKs). */
export const KuaishouSkuListSchema = list(z.object({ kwaiSkuId: id, skuStock: int }));

export const KuaishouTokenSchema = z.object({
  result: int,
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: int,
  error: text,
  error_msg: text,
});

/** The envelope every API answers with; `result` 1 is success. */
export const KuaishouEnvelopeSchema = z.object({
  result: int,
  error_msg: text,
  code: z.union([z.string(), int]).nullish(),
  msg: text,
  sub_code: z.union([z.string(), int]).nullish(),
  sub_msg: text,
  data: z.unknown().optional(),
});

/** A push, once decrypted: `info` is a JSON string (§1.4). */
export const KuaishouPushSchema = z.object({
  eventId: text,
  msgId: text,
  bizId: id.nullish(),
  appKey: text,
  event: z.string(),
  info: text,
  test: z.boolean().nullish(),
});
export const KuaishouPushInfoSchema = z.object({
  oid: id.nullish(),
  sellerId: id.nullish(),
  status: int.nullish(),
  updateTime: int.nullish(),
});
