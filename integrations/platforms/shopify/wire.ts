import { DecimalAmountSchema } from '../../../domain/money.js';
import { isSafeNumber, parse } from 'lossless-json';
import { z } from 'zod';

/**
 * Shopify REST Admin shapes, only what we read. Ids are 64-bit JSON numbers; bodies are parsed
 * keeping numbers a double cannot hold as digit strings. Money values are decimal strings.
 */
export function parseShopifyJson(text: string): unknown {
  return parse(text, null, (digits) => (isSafeNumber(digits) ? Number(digits) : digits));
}

const id = z.union([z.string(), z.number().int()]).transform(String);
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? '');
/** Checked where it arrives: a malformed amount is the push's fault (400), not ours. */
const money = DecimalAmountSchema;

const AddressSchema = z.object({
  first_name: text,
  last_name: text,
  name: text,
  address1: text,
  address2: text,
  city: text,
  province: text,
  province_code: text,
  country: text,
  country_code: text,
  zip: text,
  phone: text,
});
export type ShopifyAddress = z.infer<typeof AddressSchema>;

const MoneySetSchema = z.object({ shop_money: z.object({ amount: money, currency_code: text }) });

export const ShopifyLineItemSchema = z.object({
  id,
  product_id: id.nullish(),
  variant_id: id.nullish(),
  sku: text,
  title: text,
  variant_title: text,
  quantity: z.number().int(),
  price: money,
  total_discount: money.nullish(),
  discount_allocations: z
    .array(z.object({ amount: money }))
    .nullish()
    .transform((v) => v ?? []),
  /** The line's taxes (`price` in the order's currency). */
  tax_lines: z
    .array(z.object({ price: money }))
    .nullish()
    .transform((v) => v ?? []),
});
export type ShopifyLineItem = z.infer<typeof ShopifyLineItemSchema>;

export const ShopifyRefundSchema = z.object({
  id,
  order_id: id,
  created_at: z.string(),
  processed_at: z.string().nullish(),
  note: text,
  refund_line_items: z
    .array(z.object({ line_item_id: id, quantity: z.number().int(), restock_type: text }))
    .nullish()
    .transform((v) => v ?? []),
  transactions: z
    .array(z.object({ kind: text, status: text, amount: money, currency: text }))
    .nullish()
    .transform((v) => v ?? []),
});
export type ShopifyRefund = z.infer<typeof ShopifyRefundSchema>;

export const ShopifyOrderSchema = z.object({
  id,
  name: text,
  email: text,
  phone: text,
  created_at: z.string(),
  updated_at: z.string(),
  processed_at: z.string().nullish(),
  cancelled_at: z.string().nullish(),
  closed_at: z.string().nullish(),
  currency: z.string().length(3),
  financial_status: z.string().nullish(),
  fulfillment_status: z.string().nullish(),
  total_price: money,
  total_discounts: money.nullish(),
  total_tax: money.nullish(),
  /** True when prices already include tax (VAT shops): then tax is not added on top. */
  taxes_included: z.boolean().nullish(),
  total_shipping_price_set: MoneySetSchema.nullish(),
  shipping_lines: z
    .array(z.object({ price: money }))
    .nullish()
    .transform((v) => v ?? []),
  note: text,
  tags: text,
  line_items: z.array(ShopifyLineItemSchema).min(1),
  shipping_address: AddressSchema.nullish(),
  billing_address: AddressSchema.nullish(),
  customer: z.object({ id, first_name: text, last_name: text, email: text }).nullish(),
  fulfillments: z
    .array(z.object({ id, status: text, tracking_number: text, tracking_company: text }))
    .nullish()
    .transform((v) => v ?? []),
  refunds: z
    .array(ShopifyRefundSchema)
    .nullish()
    .transform((v) => v ?? []),
});
export type ShopifyOrder = z.infer<typeof ShopifyOrderSchema>;

export const ShopifyFulfillmentOrdersSchema = z.object({
  fulfillment_orders: z.array(
    z.object({
      id,
      status: z.string(),
      line_items: z.array(z.object({ id, line_item_id: id, fulfillable_quantity: z.number().int() })),
    }),
  ),
});
export type ShopifyFulfillmentOrders = z.infer<typeof ShopifyFulfillmentOrdersSchema>;
