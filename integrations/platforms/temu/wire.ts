import { z } from 'zod';
import { wireId, wireList, wireText } from '../wire-fields.js';

/**
 * Temu order shapes (docs/platforms/temu.md: the partner docs' pages of `bg.order.list.v2.get`,
 * `bg.order.detail.v2.get`, `bg.order.shippinginfo.v2.get`). Parent order numbers are strings
 * (`PO-211-…`), sub-order numbers strings (`211-…`), goods and SKU ids Longs (parsed losslessly),
 * times UNIX seconds. The answers carry no amounts (see normalize.ts).
 */
const id = wireId;
const text = wireText;
const seconds = z.number().int().nullish();
const list = wireList;

export const TemuSubOrderSchema = z.object({
  orderSn: z.string().min(1),
  goodsId: id.nullish(),
  goodsName: text,
  skuId: id.nullish(),
  orderStatus: z.number().int(),
  quantity: z.number().int().min(1),
  fulfillmentType: text,
  orderCreateTime: seconds,
  orderShippingTime: seconds,
});
export type TemuSubOrder = z.infer<typeof TemuSubOrderSchema>;

export const TemuParentOrderSchema = z.object({
  parentOrderMap: z.object({
    parentOrderSn: z.string().min(1),
    parentOrderStatus: z.number().int(),
    parentOrderTime: z.number().int(),
    updateTime: seconds,
    expectShipLatestTime: seconds,
    parentShippingTime: seconds,
  }),
  orderList: z.array(TemuSubOrderSchema).min(1),
});
export type TemuParentOrder = z.infer<typeof TemuParentOrderSchema>;

/** `bg.order.list.v2.get` `result`. */
export const TemuOrderListSchema = z.object({
  totalItemNum: z.number().int().nullish(),
  pageItems: list(z.unknown()),
});

/** `bg.order.shippinginfo.v2.get` `result`. */
export const TemuShippingInfoSchema = z.object({
  receiptName: text,
  receiptAdditionalName: text,
  mobile: text,
  mail: text,
  regionName1: text,
  regionName2: text,
  regionName3: text,
  regionName4: text,
  addressLine1: text,
  addressLine2: text,
  addressLine3: text,
  addressLineAll: text,
  postCode: text,
});
export type TemuShippingInfo = z.infer<typeof TemuShippingInfoSchema>;

/** Every answer: `{success, errorCode, errorMsg, result}`. */
export const TemuEnvelopeSchema = z
  .object({
    success: z.boolean(),
    errorCode: z.union([z.number(), z.string()]).nullish(),
    errorMsg: text,
    result: z.unknown().optional(),
  })
  .passthrough();

/**
 * A money block of `bg.order.amount.query`: `{currency, amount}`, the amount a Long in the
 * currency's minor unit (cents). Absent or null: none (`signOnDelivery` when the buyer did not buy
 * the service).
 */
const TemuMoneySchema = z
  .object({ currency: text, amount: z.union([z.number(), z.bigint(), z.string()]).nullish() })
  .nullish()
  .transform((m) => ({ currency: m?.currency ?? '', minor: Number(m?.amount ?? 0) }))
  .refine((m) => Number.isSafeInteger(m.minor) && m.minor >= 0, 'must be a whole, non-negative amount');
export type TemuMoney = z.infer<typeof TemuMoneySchema>;

/** `bg.order.amount.query` `result` (the partner docs' page; docs/platforms/temu.md). */
export const TemuOrderAmountSchema = z.object({
  parentOrderMap: z.object({
    parentOrderSn: z.string().min(1),
    retailPriceTotal: TemuMoneySchema,
    shippingAmountTotal: TemuMoneySchema,
    taxTotal: TemuMoneySchema,
    discountFromSeller: TemuMoneySchema,
    discountFromTEMU: TemuMoneySchema,
    totalDiscount: TemuMoneySchema,
    refundsTotal: TemuMoneySchema,
    customerPaid: TemuMoneySchema,
    signOnDelivery: TemuMoneySchema,
    basePriceTotal: TemuMoneySchema,
    estimatedRevenue: TemuMoneySchema,
  }),
  orderList: list(
    z.object({
      orderSn: z.string().min(1),
      quantity: z.number().int().nullish(),
      unitRetailPrice: TemuMoneySchema,
      discountFromSeller: TemuMoneySchema,
      discountFromTEMU: TemuMoneySchema,
      shipAmountTotal: TemuMoneySchema,
      basePrice: TemuMoneySchema,
    }),
  ),
});
export type TemuOrderAmount = z.infer<typeof TemuOrderAmountSchema>;
