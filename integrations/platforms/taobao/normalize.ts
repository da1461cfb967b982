import { ZodError } from 'zod';
import { decimalToMinor } from '../../../domain/money.js';
import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type OrderLine,
  type OrderType,
} from '../../../domain/order.js';
import { PlatformError } from '../errors.js';
import type { RefundInfo } from '../types.js';
import { gmt8ToIso } from './gmt8.js';
import { normalizeChinaRegion } from './region.js';
import {
  EXCHANGE_STATUSES,
  topLineRefundStatus,
  topOrderStatus,
  topRefundCaseStatus,
  topRefundStatus,
} from './status.js';
import type { TopOrder, TopRefund, TopTrade } from './wire.js';

export interface TopShop {
  platform: 'taobao' | 'tmall';
  shopId: string;
}

const fen = (value: string | undefined) => (value ? decimalToMinor(value) : 0);

/** Where the platform withheld a receiver field entirely (closed orders), keep the slot visibly empty. */
const WITHHELD = '*';

/** `taobao.trade.fullinfo.get` trade → our order. Pure; throws PlatformError on data we cannot map. */
export function normalizeTopTrade(trade: TopTrade, shop: TopShop): NormalizedOrder {
  const platformOrderId = trade.tid_str || trade.tid;
  const fail = (why: string) =>
    new PlatformError(`${shop.platform} trade ${platformOrderId}: ${why}`, shop.platform);

  const status = topOrderStatus(trade.status, trade.step_trade_status);
  if (!status) throw fail(`unknown trade status ${trade.status}`);
  const createdAt = gmt8ToIso(trade.created);
  const modifiedAt = gmt8ToIso(trade.modified);
  if (!createdAt || !modifiedAt) throw fail('created/modified time missing');

  const isPresale = trade.type === 'step' || Boolean(trade.step_trade_status) || trade.new_presell === true;
  const type: OrderType = isPresale ? 'presale' : 'normal';
  // 拼团中或发货强管控订单，已付款但禁止发货: TOP forbids shipping until the status moves on; a
  // forming group is the common case, and the wait is the same for both.
  const shipForbidden = trade.status === 'PAID_FORBID_CONSIGN';

  // payment = total_fee − discount_fee + adjust_fee + post_fee. adjust_fee is the seller's manual
  // price change and may be negative; it is folded into goods or discount so neither goes below 0.
  const adjust = fen(trade.adjust_fee);
  const payment = fen(trade.payment);
  const stepPaid = fen(trade.step_paid_fee);
  const amounts = {
    goodsFen: fen(trade.total_fee) + Math.max(adjust, 0),
    discountFen: fen(trade.discount_fee) + Math.max(-adjust, 0),
    shippingFen: fen(trade.post_fee),
    paidFen: paidAmount(trade, status, payment, stepPaid),
  };

  // step_paid_fee is what the buyer has paid in stages: the deposit, once it is paid (❓ whether it
  // grows to the full amount after the balance; we read it as the deposit, as ERPs commonly do).
  const presale =
    isPresale && stepPaid > 0
      ? { depositFen: stepPaid, balanceFen: Math.max(0, payment - stepPaid) }
      : undefined;

  const region = normalizeChinaRegion({
    province: trade.receiver_state ?? '',
    city: trade.receiver_city,
    district: trade.receiver_district,
    town: trade.receiver_town,
  });
  const name = trade.receiver_name || WITHHELD;
  const phone = trade.receiver_mobile || trade.receiver_phone || WITHHELD;
  const detail = trade.receiver_address || WITHHELD;
  const masked = [name, phone, detail].some((v) => v.includes('*'));

  const order = {
    platform: shop.platform,
    shopId: shop.shopId,
    platformOrderId,
    status,
    refundStatus: topRefundStatus(trade.orders.map((o) => o.refund_status)),
    type,
    ...(shipForbidden ? { groupStatus: 'forming' as const } : {}),
    createdAt,
    ...(gmt8ToIso(trade.pay_time) ? { paidAt: gmt8ToIso(trade.pay_time) } : {}),
    modifiedAt,
    currency: 'CNY',
    amounts,
    ...(presale ? { presale } : {}),
    buyer: {
      id: trade.buyer_open_uid || trade.buyer_nick || `tid:${platformOrderId}`,
      ...(trade.buyer_nick ? { nick: trade.buyer_nick } : {}),
    },
    receiver: {
      name,
      phone,
      country: 'CN',
      ...region,
      detail,
      ...(trade.receiver_zip ? { postalCode: trade.receiver_zip } : {}),
      protected: Boolean(trade.oaid) || masked,
      ...(trade.oaid ? { addressHandle: trade.oaid } : {}),
    },
    lines: trade.orders.map(normalizeLine),
    ...(trade.buyer_message ? { buyerRemark: trade.buyer_message } : {}),
    ...(trade.seller_memo ? { sellerMemo: trade.seller_memo } : {}),
    // est_con_time is sometimes prose ("付款后3天内"); only a real time becomes shipBy.
    ...(gmt8ToIso(trade.est_con_time) ? { shipBy: gmt8ToIso(trade.est_con_time) } : {}),
    // The buyer paid for EMS delivery (shipping_type ems): the parcel has to go by EMS.
    ...(trade.shipping_type === 'ems'
      ? { platformCarrier: { carrier: 'EMS' as const, source: `${shop.platform} shipping_type ems` } }
      : {}),
  };
  try {
    return NormalizedOrderSchema.parse(order);
  } catch (err) {
    if (err instanceof ZodError) throw fail(`does not fit the order model: ${err.message}`);
    throw err;
  }
}

function paidAmount(trade: TopTrade, status: string, payment: number, stepPaid: number): number {
  if (status === 'awaiting_payment') return 0;
  if (status === 'deposit_paid') return stepPaid;
  if (trade.status === 'TRADE_CLOSED_BY_TAOBAO') return 0;
  if (trade.step_trade_status === 'FRONT_PAID_FRONT_FORFEITED') return stepPaid;
  return payment;
}

function normalizeLine(line: TopOrder): OrderLine {
  const adjust = fen(line.adjust_fee);
  const platformSkuId = line.sku_id && line.sku_id !== '0' ? line.sku_id : (line.num_iid ?? '');
  return {
    lineId: line.oid_str || line.oid,
    platformSkuId,
    // Sellers without an outer code still need a key to map the line to one of our SKUs.
    skuCode: line.outer_sku_id || line.outer_iid || platformSkuId || line.oid,
    title: [line.title, line.sku_properties_name].filter(Boolean).join(' ').slice(0, 200),
    quantity: Number(line.num),
    unitPriceFen: decimalToMinor(line.price),
    discountFen: fen(line.discount_fee) + Math.max(-adjust, 0),
    refundStatus: topLineRefundStatus(line.refund_status),
  };
}

/** `taobao.refunds.receive.get` row → RefundInfo. */
export function normalizeTopRefund(refund: TopRefund): RefundInfo {
  const status = topRefundCaseStatus(refund.status);
  if (!status) throw new PlatformError(`unknown TOP refund status ${refund.status}`, 'taobao');
  const createdAt = gmt8ToIso(refund.created);
  const modifiedAt = gmt8ToIso(refund.modified);
  if (!createdAt || !modifiedAt)
    throw new PlatformError(`TOP refund ${refund.refund_id}: times missing`, 'taobao');
  const withReturn = refund.has_good_return === true || refund.has_good_return === 'true';
  return {
    platformRefundId: refund.refund_id,
    platformOrderId: refund.tid,
    status,
    kind: EXCHANGE_STATUSES.has(refund.status)
      ? 'exchange'
      : withReturn
        ? 'return_and_refund'
        : 'refund_only',
    amountMinor: decimalToMinor(refund.refund_fee),
    currency: 'CNY',
    ...(refund.reason ? { reason: refund.reason } : {}),
    ...(refund.oid ? { lineIds: [refund.oid] } : {}),
    createdAt,
    modifiedAt,
  };
}
