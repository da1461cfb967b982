import { isSafeNumber, parse } from 'lossless-json';
import { z } from 'zod';

/**
 * Shopee's wire shapes, only what we read. Prices are floats in the order's currency; bodies are
 * parsed keeping any number a double cannot hold as its digit string, so amounts convert to minor
 * units from their exact text and large ids never round.
 */
export function parseShopeeJson(text: string): unknown {
  return parse(text, null, (digits) => (isSafeNumber(digits) ? Number(digits) : digits));
}

const id = z.union([z.string(), z.number().int()]).transform(String);
const int = z.number().int();
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? '');
/** A money amount as the platform wrote it (float or, when unsafe, its text). */
const amount = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]);
const optionalAmount = amount.nullish().transform((v) => v ?? 0);
const optionalInt = int.nullish().transform((v) => v ?? 0);

export const ShopeeEnvelopeSchema = z.object({
  error: text,
  message: text,
  request_id: text,
  response: z.unknown().optional(),
});

export const ShopeeOrderListSchema = z.object({
  more: z.boolean(),
  next_cursor: text,
  order_list: z.array(z.object({ order_sn: z.string(), order_status: text })),
});

export const ShopeeItemSchema = z.object({
  item_id: id,
  item_name: text,
  item_sku: text,
  model_id: id.nullish(),
  model_name: text,
  model_sku: text,
  model_quantity_purchased: int,
  model_original_price: amount,
  model_discounted_price: amount,
  order_item_id: id.nullish(),
});
export type ShopeeItem = z.infer<typeof ShopeeItemSchema>;

export const ShopeeOrderSchema = z.object({
  order_sn: z.string(),
  region: text,
  currency: z.string().length(3),
  cod: z.boolean().nullish(),
  order_status: z.string(),
  /** Absent when not asked for in `response_optional_fields`; then nothing is derived from it. */
  total_amount: amount.nullish(),
  create_time: int,
  update_time: int,
  pay_time: int.nullish(),
  days_to_ship: optionalInt,
  ship_by_date: int.nullish(),
  buyer_user_id: id.nullish(),
  buyer_username: text,
  message_to_seller: text,
  note: text,
  estimated_shipping_fee: optionalAmount,
  actual_shipping_fee: optionalAmount,
  recipient_address: z
    .object({
      name: text,
      phone: text,
      town: text,
      district: text,
      city: text,
      state: text,
      region: text,
      zipcode: text,
      full_address: text,
    })
    .nullish(),
  item_list: z.array(ShopeeItemSchema).min(1),
  package_list: z
    .array(
      z.object({
        package_number: text,
        logistics_status: text,
        shipping_carrier: text,
        item_list: z
          .array(z.object({ item_id: id, model_id: id.nullish() }))
          .nullish()
          .transform((v) => v ?? []),
      }),
    )
    .nullish()
    .transform((v) => v ?? []),
});

/** `v2.order.split_order` (assumed shape, docs/order-semantics.md): the packages made. */
export const ShopeeSplitOrderSchema = z.object({
  package_list: z.array(
    z.object({
      package_number: z.string(),
      item_list: z.array(z.object({ item_id: id, model_id: id.nullish() })),
    }),
  ),
});
export type ShopeeOrder = z.infer<typeof ShopeeOrderSchema>;

/**
 * `GET /api/v2/payment/get_escrow_detail` `order_income`: what the order detail does not itemise.
 * Shopee documents `buyer_total_amount = original_price − seller_discount − shopee_discount −
 * voucher_from_seller − voucher_from_shopee − coins − payment_promotion + buyer_paid_shipping_fee +
 * buyer_transaction_fee + cross_border_tax` (⚠️ not in API-FACTS: the endpoint's doc text as
 * Shopee SDKs carry it). Only the parts we count are read.
 */
export const ShopeeEscrowSchema = z.object({
  order_sn: z.string(),
  order_income: z.object({
    voucher_from_seller: optionalAmount,
    voucher_from_shopee: optionalAmount,
    coins: optionalAmount,
    payment_promotion: optionalAmount,
    buyer_paid_shipping_fee: amount.nullish(),
    buyer_transaction_fee: optionalAmount,
    cross_border_tax: optionalAmount,
  }),
});
export type ShopeeEscrow = z.infer<typeof ShopeeEscrowSchema>;

export const ShopeeOrderDetailSchema = z.object({ order_list: z.array(z.unknown()) });

export const ShopeeReturnSchema = z.object({
  return_sn: id,
  order_sn: z.string(),
  status: z.string(),
  reason: text,
  text_reason: text,
  refund_amount: optionalAmount,
  currency: z.string().length(3),
  create_time: int,
  update_time: int,
  needs_logistics: z.boolean().nullish(),
  tracking_number: text,
  item: z
    .array(z.object({ item_id: id, model_id: id.nullish() }))
    .nullish()
    .transform((v) => v ?? []),
  return_seller_due_date: int.nullish(),
  return_ship_due_date: int.nullish(),
  /** Who validates the goods back: `seller_validation` or `warehouse_validation` (Shopee's). */
  validation_type: text,
  /** The buyer (`username` names the party of `negotiation.latest_offer_creator`). */
  user: z.object({ username: text }).nullish(),
  /** The latest offer of a partial refund (`v2.returns.offer`), by whichever party made it. */
  negotiation: z
    .object({
      negotiation_status: text,
      latest_solution: text,
      latest_offer_amount: z.union([z.number(), z.string()]).nullish(),
      latest_offer_creator: text,
    })
    .nullish(),
});
export type ShopeeReturn = z.infer<typeof ShopeeReturnSchema>;

export const ShopeeReturnListSchema = z.object({
  more: z.boolean(),
  return: z
    .array(z.unknown())
    .nullish()
    .transform((v) => v ?? []),
});

export const ShopeeTrackingNumberSchema = z.object({ tracking_number: text });

/** `access_token/get` answers at top level, not inside `response`. */
export const ShopeeTokenSchema = z.object({
  error: text,
  message: text,
  access_token: z.string().nullish(),
  refresh_token: z.string().nullish(),
  expire_in: int.nullish(),
});

export const ShopeePushSchema = z.object({
  shop_id: id.nullish(),
  code: int,
  timestamp: int.nullish(),
  data: z
    .object({
      ordersn: z.string().nullish(),
      status: text,
      update_time: int.nullish(),
      tracking_no: text,
    })
    .nullish(),
});
