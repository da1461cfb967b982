import { z } from 'zod';
import { wireId, wireList, wireText } from '../wire-fields.js';

/**
 * Dewu order shapes (docs/platforms/dewu.md). The envelope `{code, msg, data}` with code 200 for
 * success is from the sources; **the order fields are UNCONFIRMED** (no order page of the docs was
 * found): they follow the snake_case naming of the documented product answers (`spu_id`,
 * `sku_id`, `article_number`, amounts in fen) and a shop whose answers differ is not readable
 * until this file follows them. Ids are read losslessly as strings (order numbers may come as
 * long JSON numbers), times as epoch milliseconds.
 */
const id = wireId;
const text = wireText;
const ms = z.number().int().nullish();
const fen = z.number().int().nullish();

export const DewuReceiverSchema = z
  .object({
    name: text,
    mobile: text,
    province: text,
    city: text,
    district: text,
    address: text,
    zip: text,
  })
  .nullish();

export const DewuOrderSchema = z.object({
  order_no: id,
  /** Fulfilment model (e.g. 品牌直发 `brand_deliver`, 普通现货 `common`): UNCONFIRMED values. */
  order_type: text,
  status: z.number().int(),
  create_time: z.number().int(),
  pay_time: ms,
  modify_time: ms,
  spu_id: id.nullish(),
  sku_id: id,
  article_number: text,
  title: text,
  properties: text,
  qty: z.number().int().min(1).nullish(),
  price: fen,
  discount: fen,
  freight: fen,
  actual_pay: fen,
  express_no: text,
  logistics_code: text,
  refund_status: z.number().int().nullish(),
  receiver: DewuReceiverSchema,
});
export type DewuOrder = z.infer<typeof DewuOrderSchema>;

/** The order list's `data`. */
export const DewuOrderListSchema = z.object({
  total: z.number().int().nullish(),
  list: wireList(z.unknown()),
});

/** Every answer of the gateway: `{code, msg, data}`, 200 for success. */
export const DewuEnvelopeSchema = z
  .object({
    code: z.union([z.number(), z.string()]),
    msg: text,
    data: z.unknown().optional(),
  })
  .passthrough();

/** The OAuth token answer (`/api/v1/h5/passport/v1/oauth2/refresh_token`). */
export const DewuTokenSchema = z.object({
  code: z.union([z.number(), z.string()]),
  data: z
    .object({
      access_token: z.string().min(1),
      access_token_expires_in: z.number().int().positive(),
      refresh_token: text,
      refresh_token_expires_in: z.number().int().nullish(),
      open_id: text,
    })
    .nullish(),
});

/** A SKU's stock as the stock query answers it (UNCONFIRMED). */
export const DewuSkuStockSchema = z.object({
  sku_id: id,
  quantity: z.number().int(),
});
export const DewuStockQuerySchema = wireList(DewuSkuStockSchema);
