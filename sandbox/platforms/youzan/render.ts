import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import { stringify } from 'lossless-json';
import type { SimOrder } from '../../orders/model.js';

/**
 * SimOrder → a Youzan trade (`full_order_info`, MORE-CHANNELS §4.3: the structure and status names
 * from the facts, the fields UNCONFIRMED): `tid` like `E20200828154641023700067`, money in yuan
 * strings, times `yyyy-MM-dd HH:mm:ss` in Beijing time, line `oid`s as bare 19-digit numbers,
 * the receiver's name, phone and street as the simulator's own ciphertext.
 */
const num = (id: string): bigint | string => (/^\d+$/.test(id) ? BigInt(id) : id);
const yuan = (fen: number) => (fen / 100).toFixed(2);

export function youzanTime(at: Date | undefined): string {
  if (!at) return '';
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The item a SKU belongs to (the simulator's own numbering). */
export const youzanItemId = (skuId: string) => `4${skuId.slice(-8)}`;

/**
 * The simulator's receiver encryption: AES-256-GCM under its own key with an IV derived from the
 * plaintext, so the same field always gives the same ciphertext (`$yz$…$`).
 */
export class YouzanSimCipher {
  private readonly key: Buffer;
  constructor(secret: string) {
    this.key = createHash('sha256').update(`youzan-sim|${secret}`).digest();
  }
  seal(plain: string): string {
    const iv = createHmac('sha256', this.key).update(plain).digest().subarray(0, 12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `$yz$${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url')}$`;
  }
  open(sealed: string): string | undefined {
    const m = /^\$yz\$([A-Za-z0-9_-]+)\$$/.exec(sealed);
    if (!m) return undefined;
    const raw = Buffer.from(m[1]!, 'base64url');
    if (raw.length < 28) return undefined;
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}

const shipmentsOf = (order: SimOrder) =>
  [order.shipment, ...(order.extraShipments ?? [])].filter((s) => s !== undefined);

/** The oids (SimOrderItem.lineId) parcels have carried. */
export function youzanShippedOids(order: SimOrder): Set<string> {
  return new Set(shipmentsOf(order).flatMap((s) => s.lineIds ?? order.items.map((i) => i.lineId)));
}

export function youzanStatus(order: SimOrder): string {
  switch (order.status) {
    case 'unpaid':
    case 'deposit_paid':
      return 'WAIT_BUYER_PAY';
    case 'paid':
      return order.groupStatus === 'forming' ? 'WAIT_CONFIRM' : 'WAIT_SELLER_SEND_GOODS';
    case 'shipped':
      return 'WAIT_BUYER_CONFIRM_GOODS';
    case 'completed':
      return 'TRADE_SUCCESS';
    case 'cancelled':
      return 'TRADE_CLOSE';
  }
}

function refundState(order: SimOrder): number {
  const r = order.refund;
  if (!r) return 0;
  const whole = !r.lineIds || r.lineIds.length >= order.items.length;
  if (['requested', 'agreed', 'returning'].includes(r.status)) return whole ? 11 : 1;
  if (r.status === 'refunded') return whole ? 12 : 2;
  return 0;
}

export function youzanTradeBody(order: SimOrder, cipher: YouzanSimCipher) {
  const r = order.receiver;
  let goods = 0;
  let discounts = order.discountMinor;
  const lines = order.items.map((item, index) => {
    const total = item.unitPriceMinor * item.quantity;
    const discount = item.discountMinor + (index === 0 ? order.discountMinor : 0);
    goods += total;
    discounts += item.discountMinor;
    return {
      oid: num(item.lineId),
      item_id: num(youzanItemId(item.platformSkuId)),
      sku_id: num(item.platformSkuId),
      outer_sku_id: item.skuCode,
      outer_item_id: '',
      title: item.title,
      sku_properties_name: item.spec
        ? JSON.stringify(
            item.spec.split(';').map((kv) => ({ k: kv.split(':')[0], v: kv.split(':')[1] ?? kv })),
          )
        : '',
      num: item.quantity,
      price: yuan(item.unitPriceMinor),
      total_fee: yuan(total),
      payment: yuan(total - discount),
      item_type: 0,
    };
  });
  const shipments = shipmentsOf(order);
  return {
    order_info: {
      tid: order.id,
      status: youzanStatus(order),
      type: order.type === 'group_buy' ? 10 : 0,
      created: youzanTime(order.createdAt),
      update_time: youzanTime(order.modifiedAt),
      pay_time: youzanTime(order.paidAt),
      refund_state: refundState(order),
      node_kdt_id: num(order.shopKey),
    },
    buyer_info: {
      buyer_id: num(order.buyer.id.replace(/\D/g, '') || '1'),
      yz_open_id: `yz${createHash('md5').update(order.buyer.id).digest('hex').slice(0, 24)}`,
      fans_nickname: order.buyer.nick,
    },
    address_info: {
      receiver_name: cipher.seal(r.name),
      receiver_tel: cipher.seal(r.phone),
      delivery_province: r.province,
      delivery_city: r.city,
      delivery_district: r.district,
      delivery_address: cipher.seal(r.detail),
      delivery_postal_code: r.postalCode ?? '',
    },
    remark_info: { buyer_message: order.buyerRemark ?? '', trade_memo: order.sellerMemo ?? '' },
    pay_info: {
      total_fee: yuan(goods),
      post_fee: yuan(order.shippingMinor),
      payment: yuan(goods - discounts + order.shippingMinor),
    },
    orders: lines,
    delivery_order: shipments.map((s) => ({
      express_state: 1,
      oids: (s.lineIds ?? order.items.map((i) => i.lineId)).map((oid) => ({ oid: num(oid) })),
      dists: [{ dist_info: { express_id: num(s.carrierCode), express_no: s.trackingNumber } }],
    })),
  };
}

export function renderYouzanTrade(order: SimOrder, cipher: YouzanSimCipher): string {
  return stringify(youzanTradeBody(order, cipher))!;
}

function pushType(order: SimOrder): string {
  if (order.refund) return 'trade_TradeRefund';
  switch (order.status) {
    case 'unpaid':
    case 'deposit_paid':
      return 'trade_TradeCreate';
    case 'paid':
      return 'trade_TradeBuyerPay';
    case 'shipped':
      return 'trade_TradeSellerShip';
    case 'completed':
      return 'trade_TradeSuccess';
    case 'cancelled':
      return 'trade_TradeClose';
  }
}

/** The simulator's own signing of a push: MD5 hex of client id + content + client secret. */
export function youzanSimSign(clientId: string, content: string, clientSecret: string): string {
  const md5 = createHash('md5');
  md5.update(clientId, 'utf8');
  md5.update(content, 'utf8');
  md5.update(clientSecret, 'utf8');
  return md5.digest('hex');
}

/**
 * A trade push as the simulator sends it: the message JSON, signed in the `Event-Sign` header over
 * the whole body (UNCONFIRMED, §4.4).
 */
export function renderYouzanPush(
  app: { clientId: string; clientSecret: string },
  order: SimOrder,
): { headers: Record<string, string>; body: string } {
  const status = youzanStatus(order);
  const msg = encodeURIComponent(
    JSON.stringify({ tid: order.id, status, update_time: youzanTime(order.modifiedAt) }),
  );
  const body = stringify({
    client_id: app.clientId,
    id: order.id,
    kdt_id: num(order.shopKey),
    kdt_name: 'sandbox shop',
    mode: 1,
    msg,
    sendCount: 0,
    status,
    test: false,
    type: pushType(order),
    version: order.modifiedAt.getTime(),
  })!;
  return {
    headers: {
      'content-type': 'application/json',
      'event-sign': youzanSimSign(app.clientId, body, app.clientSecret),
      'event-type': pushType(order),
      'client-id': app.clientId,
    },
    body,
  };
}
