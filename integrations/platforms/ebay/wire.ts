import { z } from 'zod';

/**
 * eBay Sell Fulfillment API shapes (MORE-CHANNELS §10), only the fields we read. The endpoint, its
 * `filter` and paging are confirmed; field names below the order are UNCONFIRMED (§10: "field names
 * UNCONFIRMED"), so every one is optional with a neutral default and the normalizer names what it
 * misses. Order ids are strings (`6498414015!260000000562911`), never numbers. Money is
 * `{value: "<decimal string>", currency}` in major units.
 */
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? '' : String(v)));
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

export const EbayAmountSchema = z.object({
  value: z.union([z.string(), z.number()]).transform((v) => String(v).replace(/,/g, '')),
  currency: z.string().min(3),
});
export type EbayAmount = z.infer<typeof EbayAmountSchema>;

export const EbayAddressSchema = z.object({
  addressLine1: text,
  addressLine2: text,
  city: text,
  stateOrProvince: text,
  county: text,
  postalCode: text,
  countryCode: text,
});

export const EbayShipToSchema = z.object({
  fullName: text,
  contactAddress: EbayAddressSchema.nullish(),
  primaryPhone: z.object({ phoneNumber: text }).nullish(),
  email: text,
});

export const EbayLineItemSchema = z.object({
  lineItemId: z.union([z.string(), z.number()]).transform(String),
  legacyItemId: text,
  legacyVariationId: text,
  sku: text,
  title: text,
  quantity: z.number().int().min(1),
  lineItemCost: EbayAmountSchema.nullish(),
  total: EbayAmountSchema.nullish(),
  appliedPromotions: list(z.object({ discountAmount: EbayAmountSchema.nullish(), description: text })),
  lineItemFulfillmentStatus: text,
  refunds: list(z.object({ amount: EbayAmountSchema.nullish(), refundDate: text })),
});
export type EbayLineItem = z.infer<typeof EbayLineItemSchema>;

export const EbayOrderSchema = z.object({
  orderId: z.string().min(1),
  legacyOrderId: text,
  creationDate: z.string(),
  lastModifiedDate: z.string(),
  orderFulfillmentStatus: text,
  orderPaymentStatus: text,
  sellerId: text,
  buyer: z.object({ username: text }).nullish(),
  buyerCheckoutNotes: text,
  pricingSummary: z
    .object({
      priceSubtotal: EbayAmountSchema.nullish(),
      priceDiscount: EbayAmountSchema.nullish(),
      deliveryCost: EbayAmountSchema.nullish(),
      deliveryDiscount: EbayAmountSchema.nullish(),
      tax: EbayAmountSchema.nullish(),
      total: EbayAmountSchema.nullish(),
    })
    .nullish(),
  cancelStatus: z.object({ cancelState: text }).nullish(),
  paymentSummary: z
    .object({
      payments: list(z.object({ paymentDate: text, paymentStatus: text })),
      refunds: list(z.object({ amount: EbayAmountSchema.nullish(), refundStatus: text })),
    })
    .nullish(),
  fulfillmentStartInstructions: list(
    z.object({
      fulfillmentInstructionsType: text,
      shippingStep: z.object({ shipTo: EbayShipToSchema.nullish(), shippingCarrierCode: text }).nullish(),
    }),
  ),
  lineItems: z.array(EbayLineItemSchema).min(1),
});
export type EbayOrder = z.infer<typeof EbayOrderSchema>;

/** `getOrders`: a page of orders with `total`, `offset`, `limit` and `next` (a link to the next page). */
export const EbayOrderPageSchema = z.object({
  total: z.number().int().nullish(),
  offset: z.number().int().nullish(),
  limit: z.number().int().nullish(),
  next: text,
  orders: list(z.unknown()),
});

/** `getShippingFulfillments`: the order's shipments so far. */
export const EbayFulfillmentListSchema = z.object({
  total: z.number().int().nullish(),
  fulfillments: list(
    z.object({
      fulfillmentId: text,
      shipmentTrackingNumber: text,
      shippingCarrierCode: text,
      lineItems: list(z.object({ lineItemId: text, quantity: z.number().int().nullish() })),
    }),
  ),
});

/** Every error answer: `{errors: [{errorId, domain, category, message, longMessage}]}`. */
export const EbayErrorsSchema = z.object({
  errors: z
    .array(
      z.object({
        errorId: z.number().int().nullish(),
        domain: text,
        category: text,
        message: text,
        longMessage: text,
      }),
    )
    .min(1),
});

/** `POST /identity/v1/oauth2/token` (refresh_token grant): a new access token, the refresh token stays. */
export const EbayTokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int(),
  refresh_token: z.string().nullish(),
  token_type: text,
});

/** Inventory API `getInventoryItem` (UNCONFIRMED: not in the facts). */
export const EbayInventoryItemSchema = z.object({
  sku: text,
  availability: z
    .object({ shipToLocationAvailability: z.object({ quantity: z.number().int().nullish() }).nullish() })
    .nullish(),
});

/** `bulkUpdatePriceQuantity` answer: one response per SKU, each with its status code. */
export const EbayBulkQuantitySchema = z.object({
  responses: list(
    z.object({
      sku: text,
      statusCode: z.number().int(),
      errors: list(z.object({ errorId: z.number().int().nullish(), message: text })),
    }),
  ),
});

/**
 * A notification (Notification API envelope, UNCONFIRMED for order events: §10 "Push ... UNCONFIRMED"):
 * `metadata.topic` and `notification.data`, whose `orderId` names an order to fetch.
 */
export const EbayNotificationSchema = z.object({
  metadata: z.object({ topic: text, schemaVersion: text }).nullish(),
  notification: z.object({
    notificationId: text,
    eventDate: text,
    publishDate: text,
    publishAttemptCount: z.number().int().nullish(),
    data: z.record(z.string(), z.unknown()).nullish(),
  }),
});
