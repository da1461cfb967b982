import { createHash } from 'node:crypto';
import { LosslessNumber } from 'lossless-json';
import { PROVINCE_ADMINISTERED_CITIES } from '../../orders/regions.js';
import type { SimOrder, SimOrderItem, SimReceiver, SimRefund } from '../../orders/model.js';

/** TOP wire format of simulated orders: yuan strings, GMT+8 times, masked receivers + oaid. */

export const topTime = (date: Date) =>
  new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

export function parseTopTime(text: string | undefined): Date | undefined {
  if (!text || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)) return undefined;
  const date = new Date(`${text.replace(' ', 'T')}+08:00`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export const yuan = (minor: number) =>
  `${Math.trunc(minor / 100)}.${String(Math.abs(minor) % 100).padStart(2, '0')}`;

/** Ids travel as JSON numbers, exactly: 19-digit tids must survive only for big-int-safe parsers. */
const idNumber = (id: string) => (/^[1-9]\d*$/.test(id) ? new LosslessNumber(id) : id);

const hash = (text: string) => createHash('sha256').update(text).digest();

/** Numeric id derived from text, for ids the generic order model does not carry (num_iid, user ids). */
export function derivedId(text: string, digits: number): string {
  const n = hash(text).readBigUInt64BE(0) % 10n ** BigInt(digits - 1);
  return `${1 + Number(hash(`${text}#`)[0]! % 9)}${n.toString().padStart(digits - 1, '0')}`;
}

/** Open Addressee ID: changes whenever the receiver changes, so a stale one no longer matches. */
export function oaidOf(order: SimOrder, secret: string): string {
  return hash(`${secret}|${order.id}|${JSON.stringify(order.receiver)}`)
    .toString('base64url')
    .slice(0, 40);
}

export const maskName = (name: string) => `${[...name][0] ?? ''}**`;
export const maskPhone = (phone: string) => `*******${phone.slice(-4)}`;
export const maskAddress = (detail: string) => `${[...detail].slice(0, 3).join('')}*******`;

/** TOP's region slots: 省直辖县 go in receiver_district with no receiver_city (API-FACTS §1.3). */
export function topRegion(receiver: SimReceiver) {
  const provinceAdministered = receiver.district === '' && PROVINCE_ADMINISTERED_CITIES.has(receiver.city);
  return {
    receiver_state: receiver.province,
    receiver_city: provinceAdministered ? '' : receiver.city,
    receiver_district: provinceAdministered ? receiver.city : receiver.district,
    receiver_town: receiver.town ?? '',
  };
}

const REFUND_STATUS: Record<SimRefund['status'], string> = {
  requested: 'WAIT_SELLER_AGREE',
  agreed: 'WAIT_BUYER_RETURN_GOODS',
  returning: 'WAIT_SELLER_CONFIRM_GOODS',
  refused: 'SELLER_REFUSE_BUYER',
  refunded: 'SUCCESS',
  closed: 'CLOSED',
};

export const topRefundStatus = (refund: SimRefund) => REFUND_STATUS[refund.status];

export interface TopRenderContext {
  oaidSecret: string;
  /** Lines shipped separately (`is_split`), by line id. */
  shippedLines?: Map<string, { companyCode: string; trackingNumber: string; at: Date }>;
}

export function topTradeStatus(order: SimOrder, ctx: TopRenderContext): { status: string; step: string } {
  const presale = order.type === 'presale';
  const split = ctx.shippedLines?.size ?? 0;
  switch (order.status) {
    case 'unpaid':
      return { status: 'WAIT_BUYER_PAY', step: presale ? 'FRONT_NOPAID_FINAL_NOPAID' : '' };
    case 'deposit_paid':
      return { status: 'WAIT_BUYER_PAY', step: 'FRONT_PAID_FINAL_NOPAID' };
    case 'paid':
      if (order.type === 'group_buy' && order.groupStatus === 'forming')
        return { status: 'PAID_FORBID_CONSIGN', step: '' };
      return {
        status: split > 0 && split < order.items.length ? 'SELLER_CONSIGNED_PART' : 'WAIT_SELLER_SEND_GOODS',
        step: presale ? 'FRONT_PAID_FINAL_PAID' : '',
      };
    case 'shipped':
      return { status: 'WAIT_BUYER_CONFIRM_GOODS', step: presale ? 'FRONT_PAID_FINAL_PAID' : '' };
    case 'completed':
      return { status: 'TRADE_FINISHED', step: presale ? 'FRONT_PAID_FINAL_PAID' : '' };
    case 'cancelled':
      if (presale && order.presale?.depositPaidAt && !order.presale.balancePaidAt) {
        return { status: 'TRADE_CLOSED', step: 'FRONT_PAID_FRONT_FORFEITED' };
      }
      return {
        status: order.paidAt ? 'TRADE_CLOSED' : 'TRADE_CLOSED_BY_TAOBAO',
        step: presale ? 'FRONT_NOPAID_FINAL_NOPAID' : '',
      };
  }
}

const lineTotal = (item: SimOrderItem) => item.unitPriceMinor * item.quantity - item.discountMinor;

/** `taobao.trade.fullinfo.get` trade for an order (all fields; the plugin picks the requested ones). */
export function renderTopTrade(order: SimOrder, ctx: TopRenderContext): Record<string, unknown> {
  const { status, step } = topTradeStatus(order, ctx);
  const goods = order.items.reduce((sum, i) => sum + i.unitPriceMinor * i.quantity, 0);
  const discount = order.items.reduce((sum, i) => sum + i.discountMinor, 0) + order.discountMinor;
  const payment = goods - discount + order.shippingMinor;
  const receiver = order.receiver;
  const shipment = order.shipment;
  return {
    tid: idNumber(order.id),
    tid_str: order.id,
    status,
    type: order.type === 'presale' ? 'step' : 'fixed',
    buyer_nick: order.buyer.nick,
    buyer_open_uid: `AAH${hash(order.buyer.id).toString('base64url').slice(0, 21)}`,
    seller_nick: order.shopKey,
    title: order.shopKey,
    created: topTime(order.createdAt),
    ...(order.paidAt ? { pay_time: topTime(order.paidAt) } : {}),
    modified: topTime(order.modifiedAt),
    ...(shipment ? { consign_time: topTime(shipment.shippedAt) } : {}),
    total_fee: yuan(goods),
    discount_fee: yuan(discount),
    adjust_fee: '0.00',
    post_fee: yuan(order.shippingMinor),
    payment: yuan(payment),
    buyer_message: order.buyerRemark ?? '',
    seller_memo: order.sellerMemo ?? '',
    receiver_name: maskName(receiver.name),
    receiver_mobile: maskPhone(receiver.phone),
    receiver_phone: '',
    receiver_country: receiver.country === 'CN' ? '' : receiver.country,
    ...topRegion(receiver),
    receiver_address: maskAddress(receiver.detail),
    receiver_zip: receiver.postalCode ?? '',
    oaid: oaidOf(order, ctx.oaidSecret),
    step_trade_status: step,
    step_paid_fee: order.presale?.depositPaidAt ? yuan(order.presale.depositMinor) : '0.00',
    new_presell: order.type === 'presale',
    shipping_type: order.promisedCarrier === 'EMS' ? 'ems' : order.shippingMinor > 0 ? 'express' : 'free',
    orders: order.items.map((item) => {
      const split = ctx.shippedLines?.get(item.lineId);
      const lineStatus = split && status === 'SELLER_CONSIGNED_PART' ? 'WAIT_BUYER_CONFIRM_GOODS' : status;
      return {
        oid: idNumber(item.lineId),
        oid_str: item.lineId,
        status: lineStatus === 'SELLER_CONSIGNED_PART' ? 'WAIT_SELLER_SEND_GOODS' : lineStatus,
        ...lineRefund(order.refund, item.lineId),
        num_iid: idNumber(derivedId(`num_iid|${spuOf(item.skuCode)}`, 12)),
        sku_id: item.platformSkuId,
        outer_iid: spuOf(item.skuCode),
        outer_sku_id: item.skuCode,
        title: item.title,
        sku_properties_name: item.spec,
        price: yuan(item.unitPriceMinor),
        num: item.quantity,
        total_fee: yuan(lineTotal(item)),
        payment: yuan(lineTotal(item)),
        discount_fee: yuan(item.discountMinor),
        adjust_fee: '0.00',
        divide_order_fee: yuan(lineTotal(item)),
        invoice_no: split?.trackingNumber ?? shipment?.trackingNumber ?? '',
        logistics_company: split?.companyCode ?? shipment?.carrierCode ?? '',
        ...(split
          ? { consign_time: topTime(split.at) }
          : shipment
            ? { consign_time: topTime(shipment.shippedAt) }
            : {}),
      };
    }),
  };
}

/** A sub-order's refund fields: each TOP sub-order (oid) carries its own refund. */
function lineRefund(refund: SimRefund | undefined, lineId: string): Record<string, unknown> {
  if (!refund || (refund.lineIds && !refund.lineIds.includes(lineId))) return { refund_status: 'NO_REFUND' };
  return { refund_status: topRefundStatus(refund), refund_id: idNumber(refund.id) };
}

/** "TS-001-RED-M" → "TS-001": the item-level outer code of a SKU code from our catalogue. */
export const spuOf = (skuCode: string) => skuCode.split('-').slice(0, 2).join('-');

export function renderTopRefund(order: SimOrder, refund: SimRefund): Record<string, unknown> {
  const first = order.items[0];
  const line =
    refund.lineIds?.length === 1 ? refund.lineIds[0] : order.items.length === 1 ? first?.lineId : undefined;
  return {
    refund_id: idNumber(refund.id),
    tid: idNumber(order.id),
    ...(line ? { oid: idNumber(line) } : {}),
    title: first?.title ?? '',
    buyer_nick: order.buyer.nick,
    seller_nick: order.shopKey,
    total_fee: yuan(order.paidMinor),
    payment: yuan(order.paidMinor),
    status: topRefundStatus(refund),
    created: topTime(refund.createdAt),
    modified: topTime(refund.modifiedAt),
    refund_fee: yuan(refund.amountMinor),
    has_good_return: refund.kind === 'return_and_refund',
    good_status: order.shipment ? 'BUYER_RECEIVED' : 'BUYER_NOT_RECEIVED',
    reason: refund.reason,
    desc: '',
    refund_phase: order.shipment ? 'aftersale' : 'onsale',
    order_status: topTradeStatus(order, { oaidSecret: '' }).status,
    // The buyer's parcel back once sent (AFTER-SALES-FACTS §1.1: `company_name`, `sid` the return waybill).
    ...(refund.buyerReturn
      ? { company_name: refund.buyerReturn.company, sid: refund.buyerReturn.trackingNo }
      : {}),
  };
}
