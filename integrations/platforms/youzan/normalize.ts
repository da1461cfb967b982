import { amountToMinor } from '../../../domain/money.js';
import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type PlatformOrderStatus,
  type Receiver,
  type RefundStatus,
} from '../../../domain/order.js';
import { gmt8ToIso } from '../taobao/gmt8.js';
import type { YouzanLine, YouzanTrade } from './wire.js';

/**
 * Youzan trade (`full_order_info`) → our order. Pure. Every field read here is UNCONFIRMED (§4.3
 * names the structure and the status values, not the fields' meaning):
 *
 * - `order_info.status`: WAIT_BUYER_PAY → awaiting_payment; WAIT_CONFIRM (待确认, a group still
 *   forming) → paid with a forming group; TRADE_PAID and WAIT_SELLER_SEND_GOODS → paid (partially
 *   shipped once a `delivery_order` names some lines); WAIT_BUYER_CONFIRM_GOODS → shipped;
 *   TRADE_SUCCESS → completed; TRADE_CLOSE → cancelled. `type` 10 → group buy.
 * - Money in yuan strings: goods = Σ lines' `total_fee`, shipping = `pay_info.post_fee`, paid =
 *   `pay_info.payment` once paid, the discount what is left between them; a line's discount is its
 *   `total_fee` − `payment`.
 * - `refund_state` 1/11 (partly or wholly refunding) → requested, 12 (wholly refunded) → refunded.
 * - The receiver's name, phone and street are Youzan ciphertext (§5 caveat): kept as given with
 *   `protected: true`; `youzan.cloud.secret.decrypt.batch` gives the plaintext only when a waybill
 *   needs it.
 */
export function normalizeYouzanTrade(trade: YouzanTrade, shopId: string): NormalizedOrder {
  const info = trade.order_info;
  const fen = (v: string) => Math.abs(amountToMinor(v, 'CNY'));
  const status = orderStatus(trade);
  const forming = info.status === 'WAIT_CONFIRM';
  const goods = trade.orders.reduce((t, l) => t + lineTotal(l), 0);
  const shipping = fen(trade.pay_info.post_fee);
  const paid = fen(trade.pay_info.payment);
  const buyer = trade.buyer_info;
  return NormalizedOrderSchema.parse({
    platform: 'youzan',
    shopId,
    platformOrderId: info.tid,
    status,
    refundStatus: refundStatus(info.refund_state),
    type: forming || info.type === 10 ? 'group_buy' : 'normal',
    ...(forming ? { groupStatus: 'forming' } : info.type === 10 ? { groupStatus: 'formed' } : {}),
    createdAt: beijing(info.created),
    ...(info.pay_time ? { paidAt: beijing(info.pay_time) } : {}),
    modifiedAt: beijing(info.update_time),
    currency: 'CNY',
    amounts: {
      goodsFen: goods,
      discountFen: Math.max(0, goods + shipping - paid),
      shippingFen: shipping,
      paidFen: status === 'awaiting_payment' ? 0 : paid,
    },
    buyer: {
      id: buyer?.yz_open_id || buyer?.buyer_id || `youzan-trade-${info.tid}`,
      ...(buyer?.fans_nickname ? { nick: buyer.fans_nickname.slice(0, 64) } : {}),
    },
    receiver: youzanReceiver(trade),
    lines: trade.orders.map((l) => ({
      lineId: l.oid,
      platformSkuId: l.sku_id && l.sku_id !== '0' ? l.sku_id : (l.item_id ?? ''),
      skuCode: l.outer_sku_id || l.outer_item_id || l.sku_id || l.oid,
      title: [l.title, ...specOf(l.sku_properties_name)].filter(Boolean).join(' ').slice(0, 200),
      quantity: l.num,
      unitPriceFen: fen(l.price),
      discountFen: Math.max(0, lineTotal(l) - fen(l.payment)),
    })),
    ...(trade.remark_info?.buyer_message ? { buyerRemark: trade.remark_info.buyer_message } : {}),
    ...(trade.remark_info?.trade_memo ? { sellerMemo: trade.remark_info.trade_memo } : {}),
  });
}

function lineTotal(l: YouzanLine): number {
  const total = Math.abs(amountToMinor(l.total_fee, 'CNY'));
  return total > 0 ? total : Math.abs(amountToMinor(l.price, 'CNY')) * l.num;
}

/** `[{"k":"颜色","v":"红色"}]` (a JSON string in the samples seen) or plain text. */
function specOf(props: string): string[] {
  if (!props) return [];
  try {
    const parsed = JSON.parse(props) as unknown;
    if (Array.isArray(parsed))
      return parsed.map((p) => String((p as { v?: unknown }).v ?? '')).filter(Boolean);
  } catch {
    // plain text
  }
  return [props];
}

/** The oids a `delivery_order` entry has sent. */
export function youzanShippedLines(trade: YouzanTrade): Set<string> {
  return new Set(trade.delivery_order.flatMap((d) => d.oids.map((o) => o.oid)));
}

function orderStatus(trade: YouzanTrade): PlatformOrderStatus {
  switch (trade.order_info.status) {
    case 'WAIT_BUYER_PAY':
      return 'awaiting_payment';
    case 'WAIT_CONFIRM':
    case 'TRADE_PAID':
      return 'paid';
    case 'WAIT_SELLER_SEND_GOODS':
      return youzanShippedLines(trade).size > 0 ? 'partially_shipped' : 'paid';
    case 'WAIT_BUYER_CONFIRM_GOODS':
      return 'shipped';
    case 'TRADE_SUCCESS':
      return 'completed';
    case 'TRADE_CLOSE':
      return 'cancelled';
    default:
      throw new RangeError(`unknown youzan trade status ${trade.order_info.status}`);
  }
}

function refundStatus(state: number): RefundStatus {
  if (state === 1 || state === 11) return 'requested';
  if (state === 12) return 'refunded';
  return 'none';
}

function youzanReceiver(trade: YouzanTrade): Receiver {
  const a = trade.address_info;
  return {
    name: a?.receiver_name || '-',
    phone: a?.receiver_tel || '-',
    country: 'CN',
    province: a?.delivery_province || '-',
    city: a?.delivery_city ?? '',
    district: a?.delivery_district ?? '',
    detail: a?.delivery_address || '-',
    ...(a?.delivery_postal_code ? { postalCode: a.delivery_postal_code } : {}),
    protected: true,
  };
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time (UNCONFIRMED) → ISO. */
function beijing(value: string): string {
  const iso = gmt8ToIso(value);
  if (!iso) throw new RangeError(`youzan time we cannot read: ${value}`);
  return iso;
}
