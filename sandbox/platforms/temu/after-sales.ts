import { answerSimRefund } from '../../kit/after-sales.js';
import type { SimOrderStore } from '../../kit/store.js';
import type { SimOrder, SimRefund } from '../../orders/model.js';

/**
 * The simulator's Temu Return and Refund calls (docs/platforms/temu.md, "After-sales"), written
 * from the partner docs' pages as copied, not from the adapter: the parent after-sales list
 * (`pageSize` ≤ 200, status-change time in seconds, both ends included, or named cases / orders),
 * its detail (both numbers required) and the full refund (`openApiRefundType` 1), answering the
 * docs' codes 130010001 (bad parameter), 130010004 (no after-sales found) and 130010005 (operate
 * forbid). A case is the order's refund; its status numbers, status group and operations are the
 * simulator's own rendering of the docs' value lists.
 */
export class TemuAfterSalesFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const sec = (d: Date) => Math.floor(d.getTime() / 1000);

/** SimRefund → `parentAfterSalesStatus` (1 requested, 10 return requested, 2 return shipped, …). */
export function parentStatus(refund: SimRefund): number {
  switch (refund.status) {
    case 'requested':
      return refund.kind === 'refund_only' ? 1 : 3;
    case 'returning':
      return 2;
    case 'agreed':
      return 4;
    case 'refunded':
      return 5;
    case 'refused':
      return 7;
    case 'closed':
      return 6;
  }
}

/** The docs' status groups: 1 Pending, 2 Requested, 3 Package Shipped, 4 Platform Reviewing, 5 Refunded, 6 Rejected, 7 Cancelled. */
function statusGroup(refund: SimRefund): number {
  switch (refund.status) {
    case 'requested':
      return 1;
    case 'returning':
      return 3;
    case 'agreed':
      return 4;
    case 'refunded':
      return 5;
    case 'refused':
      return 6;
    case 'closed':
      return 7;
  }
}

/** Operation 1 (full refund) while the case waits for the seller. */
const operations = (refund: SimRefund) => (refund.status === 'requested' ? [1] : []);

export function temuAfterSalesApis(deps: {
  store: SimOrderStore;
  shopKey: string;
  now(): Date;
}): Record<string, (body: Record<string, unknown>) => unknown> {
  const { store, shopKey } = deps;
  const withRefunds = () =>
    store
      .listModified(shopKey, new Date(0), new Date(8.64e15), 'desc')
      .filter((o): o is SimOrder & { refund: SimRefund } => o.refund !== undefined);
  const bad = (what: string) =>
    new TemuAfterSalesFailure(
      130010001,
      `The parameter is illegal. Please check if the input parameter meets the regulations. (${what})`,
    );
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const find = (b: Record<string, unknown>, code: number) => {
    const parentOrderSn = text(b.parentOrderSn);
    const parentAfterSalesSn = text(b.parentAfterSalesSn);
    if (!parentOrderSn) throw bad('parentOrderSn');
    if (!parentAfterSalesSn) throw bad('parentAfterSalesSn');
    const order = store.get(shopKey, parentOrderSn);
    if (!order?.refund || order.refund.id !== parentAfterSalesSn)
      throw new TemuAfterSalesFailure(code, 'no afterSales found');
    return { order, refund: order.refund };
  };
  const money = (order: SimOrder, amount: number) => ({ currency: order.currency, amount });
  const linesOf = (order: SimOrder, refund: SimRefund) =>
    order.items.filter((i) => !refund.lineIds || refund.lineIds.includes(i.lineId));

  return {
    'bg.aftersales.parentaftersales.list.get': (b) => {
      const pageNo = b.pageNo === undefined ? 1 : b.pageNo;
      const pageSize = b.pageSize === undefined ? 10 : b.pageSize;
      if (typeof pageNo !== 'number' || !Number.isInteger(pageNo) || pageNo < 1) throw bad('pageNo');
      if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 200)
        throw bad('pageSize');
      const range = (start: unknown, end: unknown, name: string) => {
        if (start === undefined && end === undefined) return undefined;
        if (typeof start !== 'number' || typeof end !== 'number' || start > end) throw bad(name);
        return [start, end] as const;
      };
      const updated = range(b.updateAtStart, b.updateAtEnd, 'updateAt');
      const created = range(b.createAtStart, b.createAtEnd, 'createAt');
      const sns = Array.isArray(b.parentAfterSalesSnList) ? b.parentAfterSalesSnList.map(String) : undefined;
      const orders = Array.isArray(b.parentOrderSnList) ? b.parentOrderSnList.map(String) : undefined;
      const group = b.afterSalesStatusGroup;
      const found = withRefunds().filter(({ id, refund }) => {
        const at = sec(refund.modifiedAt);
        const made = sec(refund.createdAt);
        return (
          (!updated || (at >= updated[0] && at <= updated[1])) &&
          (!created || (made >= created[0] && made <= created[1])) &&
          (!sns || sns.includes(refund.id)) &&
          (!orders || orders.includes(id)) &&
          (group === undefined || statusGroup(refund) === group)
        );
      });
      const start = (pageNo - 1) * pageSize;
      return {
        total: found.length,
        pageNumber: pageNo,
        data: found.slice(start, start + pageSize).map(({ id, refund }) => ({
          parentAfterSalesSn: refund.id,
          parentOrderSn: id,
          afterSalesType: refund.kind === 'refund_only' ? 1 : 2,
          parentAfterSalesStatus: parentStatus(refund),
          afterSalesStatusGroup: statusGroup(refund),
          createAt: sec(refund.createdAt),
          updateAt: sec(refund.modifiedAt),
          availableOperateList: operations(refund),
          operateExpireTimeMs: refund.sellerDeadline?.getTime() ?? null,
          returnDeliveryType: refund.kind === 'refund_only' ? null : 3,
        })),
      };
    },

    'temu.aftersales.parentaftersales.detail.get': (b) => {
      const { order, refund } = find(b, 130010001);
      const lines = linesOf(order, refund);
      const goods = lines.reduce((sum, i) => sum + i.unitPriceMinor * i.quantity - i.discountMinor, 0);
      // The refund spread over its lines by their goods' share, the rest on the last.
      let left = refund.amountMinor;
      const asked = lines.map((i, n) => {
        const share =
          n === lines.length - 1
            ? left
            : Math.floor(
                ((i.unitPriceMinor * i.quantity - i.discountMinor) * refund.amountMinor) / (goods || 1),
              );
        left -= share;
        return share;
      });
      return {
        parentAfterSalesSn: refund.id,
        parentOrderSn: order.id,
        afterSalesType: refund.kind === 'refund_only' ? 1 : 2,
        parentAfterSalesStatus: parentStatus(refund),
        createAtMillis: refund.createdAt.getTime(),
        lastUpdateAtMillis: refund.modifiedAt.getTime(),
        availableOperateList: operations(refund),
        refundSummary: {
          buyerTotalRefund: money(order, refund.amountMinor),
          retailPriceRefundTaxExcl: money(order, Math.min(goods, refund.amountMinor)),
          shippingAmountRefundTaxExcl: money(order, 0),
          taxTotalRefund: money(order, 0),
          discountFromTEMURefund: money(order, 0),
          discountFromSellerRefund: money(order, 0),
        },
        afterSalesList: lines.map((i, n) => ({
          afterSalesSn: `${refund.id}-${n + 1}`,
          orderSn: i.lineId,
          applyAfterSalesGoodsNumber: i.quantity,
          applyRefundAmount: money(order, asked[n]!),
          afterSalesReasonDesc: refund.reason,
          afterSalesReasonCode: 1,
          buyerComment: '',
          afterSalesStatus: parentStatus(refund),
          afterSalesGoodsInfo: { productSkuId: i.platformSkuId, productList: [] },
        })),
      };
    },

    'temu.aftersales.refund.issue': (b) => {
      if (b.openApiRefundType !== 1) throw bad('openApiRefundType');
      const { order, refund } = find(b, 130010004);
      if (!operations(refund).includes(1)) throw new TemuAfterSalesFailure(130010005, 'operate forbid');
      answerSimRefund(store, order, { action: 'agree', amountMinor: refund.amountMinor }, deps.now());
      return {};
    },
  };
}
