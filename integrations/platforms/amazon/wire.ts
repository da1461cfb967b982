import { z } from 'zod';

/** SP-API Orders v0 / Finances v0 / Tokens shapes, only the fields we read. Amounts are strings. */
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? '');

export const MoneySchema = z.object({ CurrencyCode: z.string().length(3), Amount: z.string() });

export const AmazonAddressSchema = z.object({
  Name: text,
  AddressLine1: text,
  AddressLine2: text,
  AddressLine3: text,
  City: text,
  County: text,
  District: text,
  StateOrRegion: text,
  PostalCode: text,
  CountryCode: text,
  Phone: text,
});
export type AmazonAddress = z.infer<typeof AmazonAddressSchema>;

export const AmazonOrderSchema = z.object({
  AmazonOrderId: z.string(),
  SellerOrderId: text,
  PurchaseDate: z.string(),
  LastUpdateDate: z.string(),
  OrderStatus: z.string(),
  FulfillmentChannel: text,
  OrderType: text,
  OrderTotal: MoneySchema.nullish(),
  MarketplaceId: text,
  EarliestShipDate: z.string().nullish(),
  LatestShipDate: z.string().nullish(),
  ShippingAddress: AmazonAddressSchema.nullish(),
  BuyerInfo: z.object({ BuyerEmail: text, BuyerName: text }).nullish(),
});
export type AmazonOrder = z.infer<typeof AmazonOrderSchema>;

export const AmazonOrderItemSchema = z.object({
  ASIN: text,
  SellerSKU: text,
  OrderItemId: z.string(),
  Title: text,
  QuantityOrdered: z.number().int(),
  QuantityShipped: z
    .number()
    .int()
    .nullish()
    .transform((v) => v ?? 0),
  ItemPrice: MoneySchema.nullish(),
  ShippingPrice: MoneySchema.nullish(),
  ItemTax: MoneySchema.nullish(),
  ShippingDiscount: MoneySchema.nullish(),
  PromotionDiscount: MoneySchema.nullish(),
});
export type AmazonOrderItem = z.infer<typeof AmazonOrderItemSchema>;

export const GetOrdersResponseSchema = z.object({
  payload: z.object({ Orders: z.array(AmazonOrderSchema), NextToken: z.string().nullish() }),
});
export const GetOrderResponseSchema = z.object({ payload: AmazonOrderSchema });
export const GetOrderItemsResponseSchema = z.object({
  payload: z.object({ OrderItems: z.array(AmazonOrderItemSchema), NextToken: z.string().nullish() }),
});
export const GetOrderAddressResponseSchema = z.object({
  payload: z.object({ AmazonOrderId: z.string(), ShippingAddress: AmazonAddressSchema.nullish() }),
});

/** Finances uses `CurrencyAmount` (a number), not Orders' `Amount` string. */
const Currency = z.object({ CurrencyCode: z.string().length(3), CurrencyAmount: z.number() });
export const AmazonRefundEventSchema = z.object({
  AmazonOrderId: z.string(),
  PostedDate: z.string(),
  ShipmentItemAdjustmentList: z
    .array(
      z.object({
        OrderItemId: z.string().nullish(),
        SellerSKU: text,
        ItemChargeAdjustmentList: z
          .array(z.object({ ChargeType: text, ChargeAmount: Currency }))
          .nullish()
          .transform((v) => v ?? []),
        PromotionAdjustmentList: z
          .array(z.object({ PromotionAmount: Currency }))
          .nullish()
          .transform((v) => v ?? []),
      }),
    )
    .nullish()
    .transform((v) => v ?? []),
});
export type AmazonRefundEvent = z.infer<typeof AmazonRefundEventSchema>;

export const FinancialEventsResponseSchema = z.object({
  payload: z.object({
    NextToken: z.string().nullish(),
    FinancialEvents: z.object({
      RefundEventList: z
        .array(AmazonRefundEventSchema)
        .nullish()
        .transform((v) => v ?? []),
    }),
  }),
});

export const RestrictedDataTokenSchema = z.object({ restrictedDataToken: z.string(), expiresIn: z.number() });

export const LwaTokenSchema = z.object({
  access_token: z.string(),
  expires_in: z.number(),
  refresh_token: z.string().nullish(),
  token_type: text,
});

export const AmazonErrorsSchema = z.object({
  errors: z.array(z.object({ code: z.string(), message: text, details: text })),
});
