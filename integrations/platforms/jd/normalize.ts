import { ZodError } from 'zod';
import { decimalToMinor } from '../../../domain/money.js';
import { NormalizedOrderSchema, type NormalizedOrder } from '../../../domain/order.js';
import { PlatformError } from '../errors.js';
import type { RefundInfo } from '../types.js';
import { gmt8ToIso } from '../taobao/gmt8.js';
import { normalizeChinaRegion } from '../taobao/region.js';
import { jdOrderStatus, jdRefundCaseStatus, jdRefundStatus } from './status.js';
import type { JdOrder, JdRefundApply } from './wire.js';

const fen = (value: string | undefined) => (value ? decimalToMinor(value) : 0);
const WITHHELD = '*';

/**
 * JD puts the whole address in `fullAddress` ("浙江杭州市西湖区三墩镇文三路100号"); our `detail`
 * is what follows the region names, so those are taken off the front where they match.
 */
export function stripRegionPrefix(fullAddress: string, parts: Array<string | undefined>): string {
  let rest = fullAddress.trim();
  for (const part of parts) {
    if (part && rest.startsWith(part)) rest = rest.slice(part.length);
  }
  return rest.trim() || fullAddress.trim();
}

/**
 * `jingdong.pop.order.search` / `.get` order → our order. Pure. JD presale and group-buy orders are
 * not told apart by any field we could confirm, so JD orders are typed `normal`; JD documents no
 * ship-by time either.
 */
export function normalizeJdOrder(order: JdOrder, shop: { shopId: string }): NormalizedOrder {
  const fail = (why: string) => new PlatformError(`jd order ${order.orderId}: ${why}`, 'jd');
  const status = jdOrderStatus(order.orderState);
  if (!status) throw fail(`unknown orderState ${order.orderState}`);
  const createdAt = gmt8ToIso(order.orderStartTime);
  const modifiedAt = gmt8ToIso(order.modified);
  if (!createdAt || !modifiedAt) throw fail('orderStartTime/modified missing');
  const paidAt = gmt8ToIso(order.paymentConfirmTime);

  // Due and paid come from different fields, so the payment audit compares two real figures:
  // due = orderTotalPrice (goods, before discounts, no freight) − the discounts JD itemises in
  // couponDetailList (the shop's and JD's own: 京东券, 京豆, 红包, 礼品卡 …; sellerDiscount when the
  // list is absent) + freightPrice; paid = orderPayment (应付 = 货款 − 用户优惠 − 余额 + 运费 + …)
  // + balanceUsed, the buyer's JD balance that orderPayment leaves out (API-FACTS §3.3).
  const goods = fen(order.orderTotalPrice);
  const freight = fen(order.freightPrice);
  const paid = fen(order.orderPayment) + fen(order.balanceUsed);
  const discount = jdDiscountFen(order);
  const c = order.consigneeInfo;
  const region = normalizeChinaRegion({
    province: c.province ?? '',
    city: c.city,
    district: c.county,
    town: c.town,
  });
  const name = c.fullname || WITHHELD;
  const phone = c.mobile || c.telephone || WITHHELD;
  const detail = c.fullAddress
    ? stripRegionPrefix(c.fullAddress, [c.province, c.city, c.county, c.town])
    : WITHHELD;

  const couponFor = (skuId: string) =>
    order.couponDetailList.filter((d) => d.skuId === skuId).reduce((sum, d) => sum + fen(d.couponPrice), 0);

  const normalized = {
    platform: 'jd' as const,
    shopId: shop.shopId,
    platformOrderId: order.orderId,
    status,
    refundStatus: jdRefundStatus(order.orderState, Boolean(paidAt)),
    type: 'normal' as const,
    createdAt,
    ...(paidAt ? { paidAt } : {}),
    modifiedAt,
    currency: 'CNY',
    amounts: {
      goodsFen: goods,
      discountFen: discount,
      shippingFen: freight,
      paidFen: paidAt ? paid : 0,
    },
    buyer: {
      id: order.open_id_buyer || order.pin || `jd-order:${order.orderId}`,
      ...(order.pin ? { nick: order.pin } : {}),
    },
    receiver: {
      name,
      phone,
      country: 'CN',
      ...region,
      detail,
      // JD encrypts consignees for ISVs: an oaid, a mask, or a phone that is no phone number all
      // mean the plaintext has to come from decryption.
      protected:
        Boolean(order.oaid) ||
        [name, phone, detail].some((v) => v.includes('*')) ||
        !/^\+?\d[\d\s-]{5,}$/.test(phone),
      ...(order.oaid ? { addressHandle: order.oaid } : {}),
    },
    lines: order.itemInfoList.map((item) => ({
      lineId: item.skuId,
      platformSkuId: item.skuId,
      skuCode: item.outerSkuId || item.skuId,
      title: (item.skuName ?? '').slice(0, 200),
      quantity: Number(item.itemTotal),
      unitPriceFen: decimalToMinor(item.jdPrice),
      discountFen: couponFor(item.skuId),
    })),
    ...(order.orderRemark ? { buyerRemark: order.orderRemark } : {}),
    ...(order.venderRemark ? { sellerMemo: order.venderRemark } : {}),
    // 京配 orders are delivered by JD Logistics, so the parcel must go by JD.
    ...(order.idSopShipmenttype === '68' || order.idSopShipmenttype === '69'
      ? {
          platformCarrier: {
            carrier: 'JD' as const,
            source: `jd idSopShipmenttype ${order.idSopShipmenttype} (京配${order.idSopShipmenttype === '69' ? '自提' : ''})`,
          },
        }
      : {}),
  };
  try {
    return NormalizedOrderSchema.parse(normalized);
  } catch (err) {
    if (err instanceof ZodError) throw fail(`does not fit the order model: ${err.message}`);
    throw err;
  }
}

/**
 * What JD says the buyer was let off: the sum of couponDetailList (every coupon type, whoever funds
 * it), or `sellerDiscount` when JD lists no coupons (the list is an optional field).
 */
export function jdDiscountFen(order: Pick<JdOrder, 'couponDetailList' | 'sellerDiscount'>): number {
  const coupons = order.couponDetailList.reduce((sum, d) => sum + fen(d.couponPrice), 0);
  return order.couponDetailList.length > 0 ? coupons : fen(order.sellerDiscount);
}

/** 退款审核单 (a cancellation before shipment) → RefundInfo; always refund only. */
export function normalizeJdRefundApply(apply: JdRefundApply): RefundInfo {
  const status = jdRefundCaseStatus(apply.status);
  if (!status) throw new PlatformError(`unknown JD refund apply status ${apply.status}`, 'jd');
  const createdAt = gmt8ToIso(apply.applyTime);
  if (!createdAt) throw new PlatformError(`JD refund apply ${apply.id}: applyTime missing`, 'jd');
  return {
    platformRefundId: apply.id,
    platformOrderId: apply.orderId,
    status,
    kind: 'refund_only',
    amountMinor: Number(apply.applyRefundSum),
    currency: 'CNY',
    ...(apply.reason ? { reason: apply.reason } : {}),
    createdAt,
    modifiedAt: gmt8ToIso(apply.checkTime) ?? createdAt,
  };
}
