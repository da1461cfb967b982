import { createHmac } from 'node:crypto';
import { stringify } from 'lossless-json';
import { currencyExponent } from '../../../domain/money.js';
import type { SimOrder } from '../../orders/model.js';

/**
 * SimOrder → an AliExpress order (MORE-CHANNELS §9: 16-digit numeric ids, money as
 * `{amount, currency_code}` decimal strings; the rest of the shape UNCONFIRMED): times
 * `yyyy-MM-dd HH:mm:ss` at GMT+8, child orders per line, the logistics numbers sent.
 */
const num = (id: string): bigint | string => (/^\d+$/.test(id) ? BigInt(id) : id);

function money(minor: number, currency: string) {
  const digits = currencyExponent(currency);
  return { amount: (minor / 10 ** digits).toFixed(digits), currency_code: currency };
}

export function aliexpressSimTime(at: Date | undefined, offsetMinutes = 480): string {
  if (!at) return '';
  return new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The product a SKU belongs to (the simulator's own numbering). */
export const aliexpressProductId = (skuId: string) => `1005${skuId.slice(-9).padStart(9, '0')}`;

const shipmentsOf = (order: SimOrder) =>
  [order.shipment, ...(order.extraShipments ?? [])].filter((s) => s !== undefined);

export function aliexpressStatus(order: SimOrder): string {
  const open = order.refund && ['requested', 'agreed', 'returning'].includes(order.refund.status);
  switch (order.status) {
    case 'unpaid':
    case 'deposit_paid':
      return 'PLACE_ORDER_SUCCESS';
    case 'paid':
      if (open) return 'IN_CANCEL';
      return shipmentsOf(order).length > 0 ? 'SELLER_PART_SEND_GOODS' : 'WAIT_SELLER_SEND_GOODS';
    case 'shipped':
      return open ? 'IN_ISSUE' : 'WAIT_BUYER_ACCEPT_GOODS';
    case 'completed':
    case 'cancelled':
      return 'FINISH';
  }
}

export function aliexpressOrderBody(order: SimOrder) {
  const c = order.currency;
  const r = order.receiver;
  const goods = order.items.reduce((t, i) => t + i.unitPriceMinor * i.quantity, 0);
  const discount = order.items.reduce((t, i) => t + i.discountMinor, 0) + order.discountMinor;
  const open = order.refund && ['requested', 'agreed', 'returning'].includes(order.refund.status);
  const phone = /^\+(\d{1,3})[\s-]?(.*)$/.exec(r.phone);
  return {
    id: num(order.id),
    order_status: aliexpressStatus(order),
    gmt_create: aliexpressSimTime(order.createdAt),
    gmt_modified: aliexpressSimTime(order.modifiedAt),
    gmt_pay_success: aliexpressSimTime(order.paidAt),
    buyer_login_id: `us${order.buyer.id.replace(/\D/g, '').slice(-9) || '1'}`,
    order_amount: money(goods - discount + order.shippingMinor, c),
    logistics_amount: money(order.shippingMinor, c),
    seller_discount_amount: money(discount, c),
    memo: order.buyerRemark ?? '',
    issue_status: open && order.status === 'shipped' ? 'IN_ISSUE' : 'NO_ISSUE',
    end_reason:
      order.status === 'cancelled'
        ? 'cancel_order_close_trade'
        : order.status === 'completed'
          ? 'buyer_accept_goods'
          : '',
    receipt_address: {
      contact_person: r.name,
      mobile_no: phone ? phone[2] : r.phone,
      phone_country: phone ? phone[1] : '',
      detail_address: r.detail,
      address2: '',
      city: r.city,
      province: r.province,
      country: r.country,
      zip: r.postalCode ?? '',
    },
    child_order_list: {
      global_aeop_tp_child_order_dto: order.items.map((i) => ({
        id: num(i.lineId),
        product_id: num(aliexpressProductId(i.platformSkuId)),
        sku_id: i.platformSkuId,
        sku_code: i.skuCode,
        product_name: `${i.title} ${i.spec}`.trim(),
        product_count: i.quantity,
        product_price: money(i.unitPriceMinor, c),
        issue_status: 'NO_ISSUE',
      })),
    },
    logistics_info_list: {
      global_aeop_tp_logistics_info_dto: shipmentsOf(order).map((s) => ({
        logistics_no: s.trackingNumber,
        logistics_service: s.carrierCode,
        gmt_send: aliexpressSimTime(s.shippedAt),
      })),
    },
  };
}

export function renderAliexpressOrder(order: SimOrder): string {
  return stringify(aliexpressOrderBody(order))!;
}

/** The simulator's own push signing: hex HMAC-SHA256 keyed with the app secret over app key + body. */
export function aliexpressSimPushSign(appKey: string, appSecret: string, body: string): string {
  const hmac = createHmac('sha256', Buffer.from(appSecret, 'utf8'));
  hmac.update(Buffer.from(appKey, 'utf8'));
  hmac.update(Buffer.from(body, 'utf8'));
  return hmac.digest('hex');
}

/** An order-status message as the simulator pushes it (UNCONFIRMED, §9). */
export function renderAliexpressPush(
  app: { appKey: string; appSecret: string },
  order: SimOrder,
): { headers: Record<string, string>; body: string } {
  const body = stringify({
    seller_id: num(order.shopKey),
    message_type: 'order_status_change',
    data: {
      order_id: num(order.id),
      order_status: aliexpressStatus(order),
      gmt_modified: aliexpressSimTime(order.modifiedAt),
    },
    timestamp: order.modifiedAt.getTime(),
    site: 'ae_global',
  })!;
  return {
    headers: {
      'content-type': 'application/json',
      authorization: aliexpressSimPushSign(app.appKey, app.appSecret, body),
    },
    body,
  };
}
