import { z } from 'zod';

/**
 * AliExpress shapes (MORE-CHANNELS §9), only the fields we read. Confirmed-ish (secondary): the
 * `{<method>_response: …}` / `{error_response: {code, msg}}` envelope, 16-digit order ids (JSON
 * numbers close to 2^53: bodies are parsed losslessly and ids kept as strings) and money as
 * `{amount: "170.54", currency_code: "USD"}`. Everything else below — the `result` wrapper, the
 * order's field names, the list's `target_list.order_dto` — is UNCONFIRMED.
 */
const id = z.union([z.string(), z.number().int(), z.bigint()]).transform(String);
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? '' : String(v)));
const int = z
  .union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)])
  .nullish()
  .transform((v) => v ?? 0);
export const MoneySchema = z
  .object({ amount: z.union([z.string(), z.number()]).transform(String), currency_code: z.string() })
  .nullish();
export type AliexpressMoney = z.infer<typeof MoneySchema>;
/** AliExpress wraps lists as `{<item_type>: [...]}`. */
const wrapped = <T extends z.ZodType>(key: string, item: T) =>
  z
    .object({ [key]: z.array(item).nullish() })
    .nullish()
    .transform((v) => ((v?.[key] as z.infer<T>[] | null | undefined) ?? []) as z.infer<T>[]);

export const AliexpressLineSchema = z.object({
  id: id,
  product_id: id,
  sku_id: id.nullish(),
  sku_code: text,
  product_name: text,
  product_count: z.number().int().min(1),
  product_price: MoneySchema,
  issue_status: text,
});
export type AliexpressLine = z.infer<typeof AliexpressLineSchema>;

export const AliexpressOrderSchema = z.object({
  id: id,
  order_status: z.string(),
  gmt_create: z.string(),
  gmt_modified: text,
  gmt_pay_success: text,
  buyer_login_id: text,
  order_amount: MoneySchema,
  logistics_amount: MoneySchema,
  seller_discount_amount: MoneySchema,
  memo: text,
  issue_status: text,
  end_reason: text,
  receipt_address: z
    .object({
      contact_person: text,
      mobile_no: text,
      phone_country: text,
      detail_address: text,
      address2: text,
      city: text,
      province: text,
      country: text,
      zip: text,
    })
    .nullish(),
  child_order_list: wrapped('global_aeop_tp_child_order_dto', AliexpressLineSchema),
  logistics_info_list: wrapped(
    'global_aeop_tp_logistics_info_dto',
    z.object({ logistics_no: text, logistics_service: text }),
  ),
});
export type AliexpressOrder = z.infer<typeof AliexpressOrderSchema>;

/** `aliexpress.solution.order.get` `result`: order ids and paging. */
export const AliexpressOrderListSchema = z.object({
  target_list: wrapped('order_dto', z.object({ order_id: id })),
  total_count: int,
  current_page: int,
  total_page: int,
});

/** `aliexpress.solution.order.info.get` `result`. */
export const AliexpressOrderInfoSchema = z.object({ data: z.unknown() });

export const AliexpressErrorSchema = z.object({
  error_response: z.object({ code: text, msg: text, sub_code: text, sub_msg: text }),
});

/** `/rest/auth/token/refresh` (the IOP token answer, as Lazada's). */
export const AliexpressTokenSchema = z.object({
  code: text,
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int(),
});

/** `aliexpress.solution.product.info.get` `result` (UNCONFIRMED): each SKU's stock. */
export const AliexpressProductSchema = z.object({
  product_id: id,
  aeop_ae_product_s_k_us: wrapped(
    'global_aeop_ae_product_sku',
    z.object({ sku_code: text, id: text, ipm_sku_stock: int }),
  ),
});

/** A push (UNCONFIRMED, §9): the IOP message, naming the seller and the order. */
export const AliexpressPushSchema = z.object({
  seller_id: id,
  message_type: text,
  data: z
    .object({
      order_id: id.refine((v) => /^\d{1,24}$/.test(v), 'must be an order id').nullish(),
      order_status: text,
    })
    .passthrough()
    .nullish(),
  timestamp: z.union([z.number(), z.string()]).nullish(),
});
