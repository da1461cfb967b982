import { ZodError } from 'zod';
import type { CarrierCode } from '../../../domain/carriers/codes.js';
import { decimalToMinor } from '../../../domain/money.js';
import {
  NormalizedOrderSchema,
  type GroupStatus,
  type NormalizedOrder,
  type OrderType,
  type RefundStatus,
} from '../../../domain/order.js';
import { PlatformError } from '../errors.js';
import type { RefundInfo } from '../types.js';
import { gmt8ToIso } from '../taobao/gmt8.js';
import { normalizeChinaRegion } from '../taobao/region.js';
import { rolledUpRefundStatus } from '../../../domain/line-refunds.js';
import {
  pddLineRefundStatus,
  pddOrderStatus,
  pddRefundCaseStatus,
  pddRefundKind,
  pddRefundStatus,
} from './status.js';
import type { PddOrder, PddRefund } from './wire.js';

const fen = (value: string | undefined) => (value ? decimalToMinor(value) : 0);
const WITHHELD = '*';

/**
 * PDD order (`pdd.order.information.get` / the increment list) → our order. Pure.
 *
 * Receivers: PDD sends ciphertext (`receiver_name` …) only while the order awaits shipment and the
 * masked text (`*_mask`) always. The masks are what we keep — readable to operators and short —
 * with `protected: true`; `decryptReceiver` fetches the current ciphertext when a waybill needs it.
 * PDD does not identify buyers to sellers, so each order is its own buyer id; `open_address_id`
 * (合单ID, the same for one receiver at one address) is the receiver's `addressHandle`, by which
 * one buyer's orders merge without decrypting (domain/parcels/merge.ts).
 *
 * Refunds: the order itself reports after-sales for the whole order only (`refund_status`). PDD's
 * after-sales records are per goods (`sku_id`); given the order's records (`cases`, read by the
 * adapter), each line takes the state of the latest record naming its SKU and the others `none`,
 * so a refund on one line holds only that line. Without records (or none naming a line of the
 * order) the order-level state stays every line's.
 */
export function normalizePddOrder(
  order: PddOrder,
  shop: { shopId: string },
  cases: readonly PddRefund[] = [],
): NormalizedOrder {
  const fail = (why: string) => new PlatformError(`pdd order ${order.order_sn}: ${why}`, 'pdd');
  const step = order.step_order_info;
  const ids = lineIds(order);
  const lineRefunds = refundsByLine(ids, cases);
  const status = pddOrderStatus({
    ...order,
    step_trade_status: step?.step_trade_status,
    ...(lineRefunds
      ? { everyLineRefunded: ids.every(({ lineId }) => lineRefunds.get(lineId) === 'refunded') }
      : {}),
  });
  if (!status)
    throw fail(`unknown status order_status=${order.order_status} confirm_status=${order.confirm_status}`);
  const createdAt = gmt8ToIso(order.created_time);
  const modifiedAt = gmt8ToIso(order.updated_at);
  if (!createdAt || !modifiedAt) throw fail('created/updated time missing');

  const isPresale = order.trade_type === '1' || order.is_pre_sale === '1';
  const isGroup =
    order.group_status === '0' || order.group_status === '2' || Number(order.group_order_id ?? 0) > 0;
  const type: OrderType = isPresale ? 'presale' : isGroup ? 'group_buy' : 'normal';
  // group_status 0 拼团中 / 1 已成团 / 2 团失败; only a group order's status means anything.
  const groupStatus = isGroup ? PDD_GROUP_STATUS[order.group_status ?? ''] : undefined;

  const payAmount = fen(order.pay_amount);
  // step_order_info: advanced_paid_fee is the deposit (定金), step_paid_fee the balance (尾款)
  // (❓ field semantics not spelled out in API-FACTS).
  const deposit = fen(step?.advanced_paid_fee);
  const balance = fen(step?.step_paid_fee);
  const presale =
    order.trade_type === '1' && deposit > 0 ? { depositFen: deposit, balanceFen: balance } : undefined;
  const paidFen =
    status === 'awaiting_payment'
      ? 0
      : status === 'deposit_paid'
        ? deposit
        : order.confirm_status === '2'
          ? 0
          : payAmount;

  const region = normalizeChinaRegion({
    province: order.province ?? '',
    city: order.city,
    district: order.town,
  });
  const country = !order.country || order.country === '中国' ? 'CN' : order.country;

  const normalized = {
    platform: 'pdd' as const,
    shopId: shop.shopId,
    platformOrderId: order.order_sn,
    status,
    refundStatus: lineRefunds
      ? rolledUpRefundStatus([...lineRefunds.values()])
      : pddRefundStatus(order.refund_status, order.after_sales_status),
    type,
    ...(groupStatus ? { groupStatus } : {}),
    createdAt,
    ...(gmt8ToIso(order.pay_time) ? { paidAt: gmt8ToIso(order.pay_time) } : {}),
    modifiedAt,
    currency: 'CNY',
    amounts: {
      goodsFen: fen(order.goods_amount),
      discountFen: fen(order.discount_amount),
      shippingFen: fen(order.postage),
      paidFen,
    },
    ...(presale ? { presale } : {}),
    buyer: { id: `pdd-order:${order.order_sn}` },
    receiver: {
      name: order.receiver_name_mask || WITHHELD,
      phone: order.receiver_phone_mask || WITHHELD,
      country,
      ...region,
      detail: order.receiver_address_mask || WITHHELD,
      protected: true,
      ...(order.open_address_id ? { addressHandle: order.open_address_id } : {}),
    },
    lines: ids.map(({ item, lineId }) => ({
      lineId,
      ...(lineRefunds ? { refundStatus: lineRefunds.get(lineId) ?? 'none' } : {}),
      platformSkuId: item.sku_id ?? '',
      skuCode: item.outer_id || item.outer_goods_id || item.sku_id || lineId,
      title: [item.goods_name, item.goods_spec].filter(Boolean).join(' ').slice(0, 200),
      quantity: Number(item.goods_count),
      unitPriceFen: decimalToMinor(item.goods_price),
      discountFen: 0,
    })),
    ...(order.buyer_memo ? { buyerRemark: order.buyer_memo } : {}),
    ...(order.remark ? { sellerMemo: order.remark } : {}),
    ...(gmt8ToIso(order.last_ship_time) ? { shipBy: gmt8ToIso(order.last_ship_time) } : {}),
    ...promisedCarrier(order),
  };
  try {
    return NormalizedOrderSchema.parse(normalized);
  } catch (err) {
    if (err instanceof ZodError) throw fail(`does not fit the order model: ${err.message}`);
    throw err;
  }
}

const PDD_GROUP_STATUS: Record<string, GroupStatus> = { '0': 'forming', '1': 'formed', '2': 'failed' };

/** Order tags by which PDD promises the buyer a carrier (`free_sf`: 顺丰包邮). */
const CARRIER_TAGS: Record<string, CarrierCode> = { free_sf: 'SF' };

function promisedCarrier(order: PddOrder): Pick<NormalizedOrder, 'platformCarrier'> {
  const tag = order.order_tag_list.find((t) => t.value === '1' && CARRIER_TAGS[t.name]);
  return tag
    ? { platformCarrier: { carrier: CARRIER_TAGS[tag.name]!, source: `pdd order_tag_list ${tag.name}` } }
    : {};
}

/** PDD items have no line ids; the SKU id tells them apart (a repeated SKU gets a suffix). */
function lineIds(order: PddOrder) {
  const used = new Map<string, number>();
  return order.item_list.map((item, index) => {
    const base = item.sku_id || String(index + 1);
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return { item, lineId: n === 1 ? base : `${base}-${n}` };
  });
}

/**
 * Each line's refund state from the order's after-sales records: the latest record naming the
 * line's SKU (`sku_id`; a record without one, `0`, is for every line). Undefined when no record
 * names a line of the order: then the order-level state is every line's.
 */
function refundsByLine(
  ids: ReadonlyArray<{ item: { sku_id?: string | undefined }; lineId: string }>,
  cases: readonly PddRefund[],
): Map<string, RefundStatus> | undefined {
  const at = (record: PddRefund) => Date.parse(gmt8ToIso(record.updated_time) ?? '') || 0;
  const latest = [...cases].sort((a, b) => at(a) - at(b));
  const states = new Map<string, RefundStatus>();
  for (const record of latest) {
    const status = pddRefundCaseStatus(record.after_sales_status, record.user_shipping_status);
    if (!status) continue;
    const whole = !record.sku_id || record.sku_id === '0';
    for (const { item, lineId } of ids) {
      if (whole || item.sku_id === record.sku_id) states.set(lineId, pddLineRefundStatus(status));
    }
  }
  return states.size > 0 ? states : undefined;
}

/** `pdd.refund.list.increment.get` row → RefundInfo. */
export function normalizePddRefund(refund: PddRefund): RefundInfo {
  const status = pddRefundCaseStatus(refund.after_sales_status, refund.user_shipping_status);
  if (!status) throw new PlatformError(`unknown PDD after_sales_status ${refund.after_sales_status}`, 'pdd');
  const createdAt = gmt8ToIso(refund.created_time);
  const modifiedAt = gmt8ToIso(refund.updated_time);
  if (!createdAt || !modifiedAt) throw new PlatformError(`PDD refund ${refund.id}: times missing`, 'pdd');
  return {
    platformRefundId: refund.id,
    platformOrderId: refund.order_sn,
    status,
    kind: pddRefundKind(refund.after_sales_type),
    amountMinor: Number(refund.refund_amount),
    currency: 'CNY',
    ...(refund.after_sale_reason ? { reason: refund.after_sale_reason } : {}),
    ...(refund.sku_id && refund.sku_id !== '0' ? { lineIds: [refund.sku_id] } : {}),
    createdAt,
    modifiedAt,
  };
}
