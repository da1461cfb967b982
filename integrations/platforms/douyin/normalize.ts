import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type OrderLine,
  type OrderType,
  type PlatformOrderStatus,
  type Presale,
  type Receiver,
  type RefundStatus,
} from '../../../domain/order.js';
import { rolledUpRefundStatus } from '../../../domain/line-refunds.js';
import type { RefundCaseStatus, RefundInfo } from '../types.js';
import type { DouyinAfterSale, DouyinOrder, DouyinSkuOrder } from './wire.js';

/**
 * Douyin order → our order. Pure.
 *
 * Status (`order_status`, with `main_status` where it says more):
 * | Douyin                         | ours              | refund    |
 * |--------------------------------|-------------------|-----------|
 * | 1 待确认/待支付                 | awaiting_payment  |           |
 * | 105 已支付(风控中)              | awaiting_payment  |           | paid, but Douyin forbids shipping until risk review clears (→ 2)
 * | main 103 部分支付 (deposit)     | deposit_paid      |           |
 * | 2 备货中                        | paid              |           |
 * | 101 部分发货                    | partially_shipped |           |
 * | 3 已发货                        | shipped           |           |
 * | 4 已取消                        | cancelled         |           |
 * | 5 已完成                        | completed         |           |
 * | main 21 发货前退款完结          | cancelled         | refunded  |
 * | main 22 发货后退款完结          | completed         | refunded  |
 * | main 39 收货后退款完结          | completed         | refunded  |
 * Refund status otherwise comes from the sku orders' `after_sale_info.refund_status`
 * (1 待退款 / 2 退款中 → requested, 3 退款成功 → refunded, 4 退款失败 → closed); any open
 * request wins over finished ones.
 *
 * Refunds are per sku order: each line carries its own sku order's `after_sale_info` state
 * (`skuRefundStatus`), so a case on one sku order holds only that line (docs/order-semantics.md).
 * An order whose sku orders carry no `after_sale_info` at all, and the orders Douyin ended by a
 * refund (main 21/22/39), keep the order-level state for every line.
 *
 * Type: `trade_type` 1 (拼团) → group_buy; `order_type` 1 (全款预售), `trade_type` 2 (定金预售),
 * any sku `pre_sale_type` 1/2 or a phase list → presale; otherwise a sku order bought in a live
 * room (`room_id` not 0; ⚠️ community SDK field) → livestream. `b_type` is the app the buyer used
 * (2 抖音), not a live room, and says nothing of the type.
 *
 * Money is already in fen. Goods = Σ sku `sum_amount` (price × qty), discount = `promotion_amount`
 * (shop + platform + talent: the buyer did not pay it), shipping = `post_amount`, paid =
 * `pay_amount` once paid. Receivers arrive encrypted (`##…#1##`, `$$…$1$$`) and are kept as given
 * with `protected: true` and `addressHandle` = `open_address_id`; `/order/batchDecrypt` gives the
 * plaintext when a waybill needs it.
 */
export function normalizeDouyinOrder(order: DouyinOrder, shopId: string): NormalizedOrder {
  const status = orderStatus(order);
  const type = orderType(order);
  const goodsFen = order.sku_order_list.reduce((sum, sku) => sum + sku.sum_amount, 0);
  const presale = type === 'presale' ? presaleOf(order) : undefined;
  const paidFen =
    status === 'awaiting_payment'
      ? 0
      : status === 'deposit_paid'
        ? (presale?.depositFen ?? 0)
        : order.pay_amount;
  const orderLines = lines(order);
  const perLine = orderLines.some((l) => l.refundStatus !== undefined);
  return NormalizedOrderSchema.parse({
    platform: 'douyin',
    shopId,
    platformOrderId: order.order_id,
    status,
    refundStatus: perLine ? rolledUpRefundStatus(orderLines.map((l) => l.refundStatus)) : refundStatus(order),
    type,
    createdAt: iso(order.create_time),
    ...(order.pay_time > 0 ? { paidAt: iso(order.pay_time) } : {}),
    modifiedAt: iso(order.update_time),
    currency: 'CNY',
    amounts: {
      goodsFen,
      discountFen: order.promotion_amount,
      shippingFen: order.post_amount,
      paidFen,
    },
    ...(presale ? { presale } : {}),
    buyer: { id: order.doudian_open_id || `douyin-order-${order.order_id}` },
    receiver: douyinReceiver(order),
    lines: orderLines,
    ...(order.buyer_words ? { buyerRemark: order.buyer_words } : {}),
    ...(order.seller_words ? { sellerMemo: order.seller_words } : {}),
    ...(order.exp_ship_time > 0 ? { shipBy: iso(order.exp_ship_time) } : {}),
  });
}

const CIPHER = /^(##.*##|\$\$.*\$\$)$/s;

/** True for Douyin's encrypted strings: `##…#1##` (names, addresses) and `$$…$1$$` (phones). */
export function isDouyinCipher(value: string): boolean {
  return CIPHER.test(value);
}

export function douyinReceiver(order: DouyinOrder): Receiver {
  const addr = order.post_addr;
  const name = order.encrypt_post_receiver;
  const phone = order.encrypt_post_tel;
  const detail = addr.encrypt_detail;
  return {
    name,
    phone,
    country: 'CN',
    province: addr.province.name,
    city: addr.city.name,
    district: addr.town.name,
    ...(addr.street.name ? { town: addr.street.name } : {}),
    detail,
    protected: [name, phone, detail].some(isDouyinCipher),
    ...(order.open_address_id ? { addressHandle: order.open_address_id } : {}),
  };
}

function orderStatus(order: DouyinOrder): PlatformOrderStatus {
  switch (order.main_status) {
    case 103:
      return 'deposit_paid';
    case 21:
      return 'cancelled';
    case 22:
    case 39:
      return 'completed';
  }
  switch (order.order_status) {
    case 1:
    case 105:
      return 'awaiting_payment';
    case 2:
      return 'paid';
    case 101:
      return 'partially_shipped';
    case 3:
      return 'shipped';
    case 4:
      return 'cancelled';
    case 5:
      return 'completed';
    default:
      throw new RangeError(`unknown Douyin order_status ${order.order_status} on order ${order.order_id}`);
  }
}

function refundStatus(order: DouyinOrder): RefundStatus {
  if ([21, 22, 39].includes(order.main_status)) return 'refunded';
  const states = order.sku_order_list.map((sku) => sku.after_sale_info?.refund_status ?? 0);
  if (states.some((s) => s === 1 || s === 2)) return 'requested';
  if (states.some((s) => s === 3)) return 'refunded';
  if (states.some((s) => s === 4)) return 'closed';
  return 'none';
}

/**
 * One sku order's refund state from its `after_sale_info` (API-FACTS §4 sku items;
 * `after_sale_status` read as the case's `aftersale_status`, AFTER-SALES-FACTS §1.4):
 *
 * | after_sale_info                                                        | the line  |
 * |------------------------------------------------------------------------|-----------|
 * | refund_status 1 待退款 / 2 退款中                                        | requested |
 * | after_sale_status 6 申请 / 7 退货中 / 11 已发货 on a refund type (0/1/2)   | requested |
 * | refund_status 3 退款成功                                                 | refunded  |
 * | after_sale_status 27 拒绝售后申请 / 29 退货拒绝                            | refused   |
 * | refund_status 4 退款失败, after_sale_status 28 售后失败                   | closed    |
 * | anything else (0 无售后, exchanges and resends that move no money)        | none      |
 */
export function skuRefundStatus(info: DouyinSkuOrder['after_sale_info']): RefundStatus {
  const status = info?.after_sale_status ?? 0;
  const refund = info?.refund_status ?? 0;
  const type = info?.after_sale_type ?? -1;
  if (refund === 1 || refund === 2) return 'requested';
  if (refund === 3) return 'refunded';
  if (status === 27 || status === 29) return 'refused';
  if (refund === 4 || status === 28) return 'closed';
  if ([6, 7, 11].includes(status) && [0, 1, 2].includes(type)) return 'requested';
  return 'none';
}

function lines(order: DouyinOrder): OrderLine[] {
  const perLine =
    ![21, 22, 39].includes(order.main_status) && order.sku_order_list.some((sku) => sku.after_sale_info);
  return order.sku_order_list.map((sku) => ({
    ...line(sku),
    ...(perLine ? { refundStatus: skuRefundStatus(sku.after_sale_info) } : {}),
  }));
}

function orderType(order: DouyinOrder): OrderType {
  if (order.trade_type === 1) return 'group_buy';
  const presale =
    order.order_type === 1 ||
    order.trade_type === 2 ||
    order.order_phase_list.length > 0 ||
    order.sku_order_list.some((sku) => sku.pre_sale_type === 1 || sku.pre_sale_type === 2);
  if (presale) return 'presale';
  return order.sku_order_list.some((sku) => sku.room_id && sku.room_id !== '0') ? 'livestream' : 'normal';
}

/** 定金预售: phase 1 is the deposit, phase 2 the balance. Full-payment presale has no phases. */
function presaleOf(order: DouyinOrder): Presale | undefined {
  const deposit = order.order_phase_list.find((p) => p.current_phase === 1);
  const balance = order.order_phase_list.find((p) => p.current_phase === 2);
  if (!deposit || !balance) return undefined;
  return {
    depositFen: deposit.phase_order_amount,
    balanceFen: balance.phase_order_amount,
    ...(deposit.pay_success && deposit.phase_pay_time > 0
      ? { depositPaidAt: iso(deposit.phase_pay_time) }
      : {}),
    ...(balance.pay_success && balance.phase_pay_time > 0
      ? { balancePaidAt: iso(balance.phase_pay_time) }
      : {}),
    ...(balance.phase_open_time > 0 ? { balanceStartsAt: iso(balance.phase_open_time) } : {}),
  };
}

function line(sku: DouyinSkuOrder): OrderLine {
  const platformSkuId = sku.sku_id ?? '';
  return {
    lineId: sku.order_id,
    platformSkuId,
    // Sellers fill either the sku code or the external sku id; fall back to Douyin's id so the
    // line can still be mapped by hand.
    skuCode: sku.code || sku.out_sku_id || platformSkuId,
    title: [sku.product_name, sku.spec.map((s) => s.value).join(' ')].filter(Boolean).join(' '),
    quantity: sku.item_num,
    unitPriceFen: sku.origin_amount,
    discountFen: Math.max(0, sku.sum_amount - sku.pay_amount),
  };
}

function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

/**
 * After-sale → refund case. `aftersale_status`: 6 待商家同意 → requested; 7 待买家退货,
 * 8 待商家发货, 3/13 换货待买家收货 → agreed; 11 待商家二次同意 (goods on the way back) → returning;
 * 12 售后成功 → refunded (closed for exchanges/resends, which move no money); 14 换货成功 → closed;
 * 27/29 商家拒绝 → refused; 28 售后失败 → closed. `aftersale_type`: 0 退货退款 → return_and_refund;
 * 1/2 仅退款, 6 价保 → refund_only; 3 换货, 7 补寄, 8 维修 → exchange.
 */
export function normalizeDouyinAfterSale(item: DouyinAfterSale, fallbackOrderId?: string): RefundInfo {
  const info = item.aftersale_info;
  const kind = afterSaleKind(info.aftersale_type);
  const platformOrderId = item.order_info?.shop_order_id ?? info.related_id ?? fallbackOrderId;
  if (!platformOrderId) throw new RangeError(`after-sale ${info.aftersale_id} names no order`);
  const lineIds = item.order_info?.related_order_info.map((o) => o.sku_order_id) ?? [];
  const reason = item.text_part?.reason_text || info.reason;
  return {
    platformRefundId: info.aftersale_id,
    platformOrderId,
    status: afterSaleStatus(info.aftersale_status, kind),
    kind,
    amountMinor: info.refund_amount + info.refund_post_amount,
    currency: 'CNY',
    ...(reason ? { reason } : {}),
    ...(lineIds.length ? { lineIds } : {}),
    createdAt: iso(info.apply_time),
    modifiedAt: iso(info.update_time || info.apply_time),
  };
}

function afterSaleKind(type: number): RefundInfo['kind'] {
  if (type === 0) return 'return_and_refund';
  if (type === 3 || type === 7 || type === 8) return 'exchange';
  return 'refund_only';
}

function afterSaleStatus(status: number, kind: RefundInfo['kind']): RefundCaseStatus {
  switch (status) {
    case 6:
      return 'requested';
    case 3:
    case 7:
    case 8:
    case 13:
      return 'agreed';
    case 11:
      return 'returning';
    case 12:
      return kind === 'exchange' ? 'closed' : 'refunded';
    case 14:
    case 28:
      return 'closed';
    case 27:
    case 29:
      return 'refused';
    default:
      return 'requested';
  }
}
