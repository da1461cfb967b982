import {
  NormalizedOrderSchema,
  type NormalizedOrder,
  type PlatformOrderStatus,
} from '../../../domain/order.js';
import type { TemuOrderAmount, TemuParentOrder, TemuShippingInfo } from './wire.js';

/**
 * Temu parent order (+ its shipping info) → our order. Pure. From the partner docs:
 *
 * - `parentOrderStatus` 1 PENDING → awaiting_payment (not yet shippable); 2 UN_SHIPPING → paid;
 *   41 部分发货 / 51 部分收货 → partially shipped while a sub-order is still 2, else shipped;
 *   4 SHIPPED → shipped; 5 RECEIPTED → completed; 3 CANCELED → cancelled.
 * - Each sub-order (`orderSn`) is a line: `skuId`, `goodsName`, `quantity`.
 * - Times are UNIX seconds.
 * - **Amounts are not in the order answers**: they come from `bg.order.amount.query` (`amount`,
 *   minor units), in its currency: goods = `retailPriceTotal`, discount = `totalDiscount` (Temu's
 *   and the seller's), shipping = `shippingAmountTotal` + `signOnDelivery`, tax = `taxTotal`, paid
 *   = `customerPaid` + `refundsTotal` (Temu's `customerPaid` is net of refunds; refunds are the
 *   after-sales' to count). A shop whose app Temu has not approved for that call (`amount` null)
 *   gets amounts 0 in its currency (`extra.currency`, default USD), as the docs say. The receiver
 *   is `bg.order.shippinginfo.v2.get`'s, read as given; its
 *   `regionName1` (the country) is taken when it is an ISO code, else the shop's country.
 */
export function normalizeTemuOrder(
  order: TemuParentOrder,
  shipping: TemuShippingInfo | undefined,
  /** `bg.order.amount.query`'s answer; null where the shop's app may not call it. */
  amount: TemuOrderAmount | null,
  shopId: string,
  currency: string,
  /** The shop's country (ISO alpha-2), when `regionName1` is not a code itself. */
  country: string,
): NormalizedOrder {
  const p = order.parentOrderMap;
  const at = (s: number) => new Date(s * 1000).toISOString();
  const s = shipping;
  const money = amount?.parentOrderMap;
  const lineMoney = new Map(amount?.orderList.map((l) => [l.orderSn, l]));
  return NormalizedOrderSchema.parse({
    platform: 'temu',
    shopId,
    platformOrderId: p.parentOrderSn,
    status: temuOrderStatus(order),
    refundStatus: 'none',
    type: 'normal',
    createdAt: at(p.parentOrderTime),
    ...(p.parentOrderStatus !== 1 ? { paidAt: at(p.parentOrderTime) } : {}),
    modifiedAt: at(p.updateTime ?? p.parentOrderTime),
    currency: money?.customerPaid.currency || money?.retailPriceTotal.currency || currency,
    amounts: money
      ? {
          goodsFen: money.retailPriceTotal.minor,
          discountFen:
            money.totalDiscount.minor || money.discountFromSeller.minor + money.discountFromTEMU.minor,
          shippingFen: money.shippingAmountTotal.minor + money.signOnDelivery.minor,
          ...(money.taxTotal.minor > 0 ? { taxFen: money.taxTotal.minor } : {}),
          paidFen: money.customerPaid.minor + money.refundsTotal.minor,
        }
      : { goodsFen: 0, discountFen: 0, shippingFen: 0, paidFen: 0 },
    buyer: { id: `temu-order-${p.parentOrderSn}` },
    receiver: {
      name: [s?.receiptName, s?.receiptAdditionalName].filter(Boolean).join(' ') || '-',
      phone: s?.mobile || '-',
      country: /^[A-Z]{2}$/.test(s?.regionName1 ?? '') ? s!.regionName1 : country,
      province: s?.regionName2 || '-',
      city: s?.regionName3 ?? '',
      district: s?.regionName4 ?? '',
      detail:
        [s?.addressLine1, s?.addressLine2, s?.addressLine3].filter(Boolean).join(', ') ||
        s?.addressLineAll ||
        '-',
      ...(s?.postCode ? { postalCode: s.postCode } : {}),
      protected: false,
    },
    lines: order.orderList.map((o) => {
      const m = lineMoney.get(o.orderSn);
      return {
        lineId: o.orderSn,
        platformSkuId: o.skuId || o.orderSn,
        skuCode: o.skuId || o.orderSn,
        title: o.goodsName.slice(0, 200) || o.orderSn,
        quantity: o.quantity,
        unitPriceFen: m?.unitRetailPrice.minor ?? 0,
        discountFen: m ? m.discountFromSeller.minor + m.discountFromTEMU.minor : 0,
      };
    }),
  });
}

/** Sub-orders Temu shows as sent (4 SHIPPED, 5 RECEIPTED). */
export function temuSentLines(order: TemuParentOrder): Set<string> {
  return new Set(
    order.orderList.filter((o) => o.orderStatus === 4 || o.orderStatus === 5).map((o) => o.orderSn),
  );
}

function temuOrderStatus(order: TemuParentOrder): PlatformOrderStatus {
  const unsent = order.orderList.some((o) => o.orderStatus === 2);
  switch (order.parentOrderMap.parentOrderStatus) {
    case 1:
      return 'awaiting_payment';
    case 2:
      return 'paid';
    case 41:
    case 51:
      return unsent ? 'partially_shipped' : 'shipped';
    case 4:
      return 'shipped';
    case 5:
      return 'completed';
    case 3:
      return 'cancelled';
    default:
      throw new RangeError(`unknown temu parentOrderStatus ${order.parentOrderMap.parentOrderStatus}`);
  }
}
