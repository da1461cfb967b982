import { z } from 'zod';
import type { PlatformCase, PlatformCaseStatus, PlatformWriteResult } from '../after-sales-types.js';
import { PlatformError, RequestRejectedError } from '../errors.js';
import type { AdapterContext } from '../types.js';
import { TopClient } from './client.js';
import { gmt8ToIso } from './gmt8.js';
import type { TopSignMethod } from './sign.js';

/**
 * Tmall exchanges (天猫换货, AFTER-SALES-FACTS §1.1 "Exchange"): `tmall.exchange.get` reads one
 * dispute; the seller agrees with a return address (`tmall.exchange.agree`, `address_id` = the
 * `contact_id` of `taobao.logistics.address.search`), confirms the returned goods
 * (`tmall.exchange.returngoods.agree`, 卖家确认收货) and ships the replacement
 * (`tmall.exchange.consigngoods`, `logistics_type` 200 快递). Writes answer
 * `result{success, msg_code, message, exchange{dispute_id, biz_order_id, status, modified}}`.
 * The shape of `tmall.exchange.get`'s own answer is not in the facts: the exchange is read from
 * `result.exchange`, `exchange` or `results[0]`, whichever is there.
 */

/** Exchange `status` (facts): 1 换货待处理 … 14 请退款. */
export const TMALL_EXCHANGE_STATUS: Record<number, string> = {
  1: '换货待处理',
  2: '待买家退货',
  3: '买家已退货待收货',
  4: '换货关闭',
  5: '换货成功',
  6: '待买家修改',
  12: '待发出换货商品',
  13: '待买家收货',
  14: '请退款',
};

/** Where the case stands for each exchange status. */
const CASE_STATUS: Record<number, PlatformCaseStatus> = {
  1: 'open',
  2: 'waiting_buyer',
  3: 'open',
  4: 'closed',
  5: 'closed',
  6: 'waiting_buyer',
  12: 'agreed',
  13: 'agreed',
  14: 'closed',
};

const STEP: Record<number, NonNullable<PlatformCase['exchangeStep']>> = {
  1: 'requested',
  6: 'requested',
  2: 'returning',
  3: 'returned',
  12: 'to_ship',
  13: 'shipped',
  4: 'ended',
  5: 'ended',
  14: 'ended',
};

const numeric = z.union([z.string(), z.number()]).transform(String);
const text = z.string().optional();

export const TmallExchangeSchema = z.object({
  dispute_id: numeric,
  biz_order_id: numeric,
  status: z.union([z.string(), z.number()]).transform(Number),
  created: z.string(),
  modified: z.string(),
  reason: text,
  desc: text,
  title: text,
  num: numeric.optional(),
  bought_sku: text,
  exchange_sku: text,
  buyer_logistic_name: text,
  buyer_logistic_no: text,
  seller_logistic_name: text,
  seller_logistic_no: text,
  time_out: text,
  refund_version: numeric.optional(),
});
export type TmallExchange = z.infer<typeof TmallExchangeSchema>;

/** The case id of a Tmall exchange: `exchange-{dispute_id}` (its refunds have ids of their own). */
export const exchangeCaseId = (disputeId: string) => `exchange-${disputeId}`;
export const disputeIdOf = (platformCaseId: string) =>
  platformCaseId.startsWith('exchange-') ? platformCaseId.slice('exchange-'.length) : undefined;

/** The exchange as a case: no money moves (amount 0), the platform's status kept in its own words. */
export function tmallExchangeToCase(exchange: TmallExchange): PlatformCase {
  const status = CASE_STATUS[exchange.status];
  if (!status) throw new PlatformError(`unknown Tmall exchange status ${exchange.status}`, 'tmall');
  const createdAt = gmt8ToIso(exchange.created);
  const modifiedAt = gmt8ToIso(exchange.modified);
  if (!createdAt || !modifiedAt) {
    throw new PlatformError(`Tmall exchange ${exchange.dispute_id}: times missing`, 'tmall');
  }
  const timeout = exchange.time_out ? gmt8ToIso(exchange.time_out) : undefined;
  return {
    platformCaseId: exchangeCaseId(exchange.dispute_id),
    platformOrderId: exchange.biz_order_id,
    kind: 'exchange',
    status,
    platformStatus: `${exchange.status} ${TMALL_EXCHANGE_STATUS[exchange.status]}`,
    amountFen: 0,
    reason: exchange.reason ?? '',
    // The exchange's fields name its SKUs, not its sub-order (no `oid` in the facts): the whole order.
    lineIds: [],
    shipped: true,
    answersAfterShipment: true,
    exchangeStep: STEP[exchange.status]!,
    ...(exchange.bought_sku && exchange.exchange_sku && exchange.bought_sku !== exchange.exchange_sku
      ? { skuSwap: { bought: exchange.bought_sku, wanted: exchange.exchange_sku } }
      : {}),
    ...(exchange.refund_version ? { version: exchange.refund_version } : {}),
    ...(timeout && status === 'open' ? { sellerDeadline: timeout } : {}),
    ...(timeout && status === 'waiting_buyer' ? { buyerDeadline: timeout } : {}),
    ...(exchange.buyer_logistic_no && exchange.buyer_logistic_name
      ? { buyerReturn: { company: exchange.buyer_logistic_name, trackingNo: exchange.buyer_logistic_no } }
      : {}),
    createdAt,
    modifiedAt,
  };
}

const FIELDS =
  'dispute_id,biz_order_id,status,created,modified,reason,desc,title,num,bought_sku,exchange_sku,' +
  'buyer_logistic_name,buyer_logistic_no,seller_logistic_name,seller_logistic_no,time_out,refund_version';

export interface TmallExchangeApi {
  get(disputeId: string): Promise<TmallExchange>;
  /** Agrees the exchange and names where the goods come back (`address_id`). */
  agree(disputeId: string, addressId: string): Promise<PlatformWriteResult>;
  /** 卖家确认收货: the returned goods arrived and are what was sold. */
  confirmReturned(disputeId: string): Promise<PlatformWriteResult>;
  /** Ships the replacement: its tracking number and carrier name (快递, `logistics_type` 200). */
  consign(
    disputeId: string,
    parcel: { trackingNo: string; companyName: string },
  ): Promise<PlatformWriteResult>;
}

export function createTmallExchangeApi(
  ctx: AdapterContext,
  options: { signMethod?: TopSignMethod } = {},
): TmallExchangeApi {
  const client = new TopClient(ctx, 'tmall', options.signMethod ?? 'md5');
  const write = async (method: string, params: Record<string, string>): Promise<PlatformWriteResult> => {
    try {
      const body = await client.call(method, {
        ...params,
        fields: 'dispute_id,biz_order_id,status,modified',
      });
      const result = (body['result'] ?? body) as Record<string, unknown>;
      const ok = result['success'] === true || result['success'] === 'true';
      const code = typeof result['msg_code'] === 'string' ? result['msg_code'] : undefined;
      const message = typeof result['message'] === 'string' ? result['message'] : '';
      if (!ok) return { outcome: 'rejected', code: code ?? 'success=false', message };
      return { outcome: 'done', ...(code ? { code } : {}), ...(message ? { message } : {}) };
    } catch (err) {
      if (err instanceof RequestRejectedError)
        return { outcome: 'rejected', code: err.code ?? 'rejected', message: err.message };
      throw err;
    }
  };
  return {
    async get(disputeId) {
      const body = await client.call('tmall.exchange.get', { dispute_id: disputeId, fields: FIELDS });
      const result = body['result'] as Record<string, unknown> | undefined;
      const results = body['results'] as unknown[] | Record<string, unknown[]> | undefined;
      const listed = Array.isArray(results)
        ? results[0]
        : results
          ? Object.values(results)[0]?.[0]
          : undefined;
      const raw = result?.['exchange'] ?? body['exchange'] ?? listed;
      if (!raw)
        throw new PlatformError(`tmall.exchange.get ${disputeId}: no exchange in the answer`, 'tmall');
      return TmallExchangeSchema.parse(raw);
    },
    agree: (disputeId, addressId) =>
      write('tmall.exchange.agree', { dispute_id: disputeId, address_id: addressId }),
    confirmReturned: (disputeId) => write('tmall.exchange.returngoods.agree', { dispute_id: disputeId }),
    consign: (disputeId, parcel) =>
      write('tmall.exchange.consigngoods', {
        dispute_id: disputeId,
        logistics_no: parcel.trackingNo,
        logistics_type: '200',
        logistics_company_name: parcel.companyName,
      }),
  };
}
