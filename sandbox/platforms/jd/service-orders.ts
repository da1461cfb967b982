import type { SimOrderStore } from '../../kit/store.js';
import type { SimOrder, SimRefund } from '../../orders/model.js';
import { jdTime } from './render.js';
import { newsAfter } from '../../kit/after-sales.js';

/**
 * The simulator's JD after-sale service orders (售后服务单, `jingdong.asc.*`, AFTER-SALES-FACTS
 * §1.2), written from the facts' method and parameter lists, not from the adapter. A service order
 * is a return asked after the order shipped (a `return_and_refund` refund on a shipped order); its
 * `serviceId` is the refund's id.
 *
 * The facts give no value lists and no answer shapes (❓): this JD's own choices are below and in
 * the `result` wrapper of every answer. `serviceStatus`: 10001 待审核, 10002 待客户寄回, 10003 客户已
 * 寄回, 10004 已收货, 10010 完成 (refunded), 10011 审核不通过, 10012 取消. `sysVersion` is the
 * service order's last change in ms: a write with another version is refused (版本号不一致).
 * `audit.send` approves the return with the seller's address (→ 10002); `audit.refuse` turns it
 * down (→ 10011); both only while 10001. `receive.register` registers the goods back (only once
 * the buyer sent them, 10003) and JD then refunds the buyer (→ 10010).
 */
export function serviceStatusOf(refund: SimRefund): number {
  switch (refund.status) {
    case 'requested':
      return 10001;
    case 'returning':
      return refund.buyerReturn ? 10003 : 10002;
    case 'agreed':
      return 10004;
    case 'refunded':
      return 10010;
    case 'refused':
      return 10011;
    case 'closed':
      return 10012;
  }
}

const isService = (order: SimOrder) =>
  order.refund?.kind === 'return_and_refund' && (order.status === 'shipped' || Boolean(order.shipment));

const FINISHED = new Set([10010, 10011, 10012]);
/** JOS sends ids as JSON numbers where they fit. */
const jdId = (text: string) => (Number.isSafeInteger(Number(text)) ? Number(text) : text);

function renderService(order: SimOrder, refund: SimRefund): Record<string, unknown> {
  const item = order.items.find((i) => refund.lineIds?.includes(i.lineId)) ?? order.items[0]!;
  const status = serviceStatusOf(refund);
  return {
    serviceId: jdId(refund.id),
    orderId: jdId(order.id),
    customerExpect: 10,
    customerExpectName: '退货',
    serviceStatus: status,
    applyTime: jdTime(refund.createdAt),
    updateTime: jdTime(refund.modifiedAt),
    ...(FINISHED.has(status) ? { finishTime: jdTime(refund.modifiedAt) } : {}),
    skuId: jdId(item.platformSkuId),
    wareName: item.title,
    actualPayPrice: (refund.amountMinor / 100).toFixed(2),
    serviceCount: item.quantity,
    sysVersion: refund.modifiedAt.getTime(),
    questionDesc: refund.reason,
    customerPin: order.buyer.nick,
    ...(refund.buyerReturn
      ? { expressCode: refund.buyerReturn.trackingNo, expressCompany: refund.buyerReturn.company }
      : {}),
  };
}

const REQUIRED_ADDRESS = [
  'returnContactName',
  'returnContactMobile',
  'returnProvince',
  'returnCity',
  'returnCounty',
  'returnDetailAddress',
];

export function jdServiceOrderApi<V>(deps: {
  orders: (vendor: V) => SimOrder[];
  store: SimOrderStore;
  now: () => Date;
}): Record<string, (p: Record<string, unknown>, vendor: V) => Record<string, unknown>> {
  const fail = (zh: string, en: string) => ({
    result: { success: false, resultCode: en, chineseErrCode: zh, englishErrCode: en },
  });
  const ok = (data?: unknown) => ({ result: { success: true, resultCode: '', ...(data ? { data } : {}) } });
  const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  const services = (vendor: V) => deps.orders(vendor).filter(isService);
  const find = (vendor: V, p: Record<string, unknown>) => {
    const serviceId = str(p['serviceId']);
    const order = services(vendor).find((o) => o.refund!.id === serviceId);
    if (!order || str(p['orderId']) !== order.id) return undefined;
    return order;
  };
  const page = (rows: SimOrder[], p: Record<string, unknown>) => {
    const pageNumber = Number(p['pageNumber'] ?? 1);
    const pageSize = Number(p['pageSize'] ?? 10);
    if (!Number.isInteger(pageNumber) || pageNumber < 1)
      return fail('pageNumber 必须为正整数', 'invalid pageNumber');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50)
      return fail('pageSize 取值 1-50', 'invalid pageSize');
    const sorted = [...rows].sort((a, b) => a.refund!.createdAt.getTime() - b.refund!.createdAt.getTime());
    return {
      result: {
        success: true,
        resultCode: '',
        data: sorted
          .slice((pageNumber - 1) * pageSize, pageNumber * pageSize)
          .map((o) => renderService(o, o.refund!)),
        totalCount: rows.length,
      },
    };
  };
  /** A write on a service order in `status`, at the version the seller read. */
  const writable = (vendor: V, p: Record<string, unknown>, status: number) => {
    const order = find(vendor, p);
    if (!order) return { error: fail(`服务单 ${str(p['serviceId'])} 不存在`, 'service not found') };
    const refund = order.refund!;
    if (serviceStatusOf(refund) !== status)
      return { error: fail('服务单状态已变更，不能执行此操作', 'service status changed') };
    if (str(p['sysVersion']) !== String(refund.modifiedAt.getTime()))
      return { error: fail('版本号不一致，请刷新后重试', 'sysVersion mismatch') };
    return { order };
  };
  const change = (order: SimOrder, edit: (refund: SimRefund) => void) => {
    const at = deps.now();
    deps.store.update(
      order.shopKey,
      order.id,
      (o) => {
        const refund = o.refund!;
        edit(refund);
        refund.modifiedAt = newsAfter(refund.modifiedAt, at);
      },
      at,
    );
  };

  return {
    'jingdong.asc.audit.list'(p, vendor) {
      return page(
        services(vendor).filter((o) => o.refund!.status === 'requested'),
        p,
      );
    },
    'jingdong.asc.query.view'(p, vendor) {
      const order = find(vendor, p);
      if (!order) return fail(`服务单 ${str(p['serviceId'])} 不存在`, 'service not found');
      return ok(renderService(order, order.refund!));
    },
    'jingdong.asc.query.list'(p, vendor) {
      const begin = str(p['finishTimeBegin']);
      const end = str(p['finishTimeEnd']);
      if (!begin || !end) return fail('finishTimeBegin 和 finishTimeEnd 必填', 'missing time range');
      const rows = services(vendor).filter((o) => {
        const refund = o.refund!;
        const at = jdTime(refund.modifiedAt);
        return FINISHED.has(serviceStatusOf(refund)) && at >= begin && at <= end;
      });
      return page(rows, p);
    },
    'jingdong.asc.audit.send'(p, vendor) {
      const missing = REQUIRED_ADDRESS.filter((key) => !str(p[key]));
      if (missing.length) return fail(`${missing.join('、')} 必填`, 'missing return address');
      const { order, error } = writable(vendor, p, 10001);
      if (!order) return error;
      change(order, (refund) => {
        refund.status = 'returning';
        refund.returnAddress = Object.fromEntries(
          Object.entries(p)
            .filter(([key]) => key.startsWith('return'))
            .map(([key, value]) => [key, str(value)]),
        );
        refund.sellerAnswer = { action: 'agree', message: str(p['approveNotes']), at: deps.now() };
      });
      return ok();
    },
    'jingdong.asc.audit.refuse'(p, vendor) {
      if (!str(p['approveNotes'])) return fail('approveNotes 必填', 'missing approveNotes');
      const { order, error } = writable(vendor, p, 10001);
      if (!order) return error;
      change(order, (refund) => {
        refund.status = 'refused';
        refund.sellerAnswer = { action: 'refuse', message: str(p['approveNotes']), at: deps.now() };
      });
      return ok();
    },
    'jingdong.asc.receive.register'(p, vendor) {
      const order = find(vendor, p);
      if (!order) return fail(`服务单 ${str(p['serviceId'])} 不存在`, 'service not found');
      if (serviceStatusOf(order.refund!) !== 10003)
        return fail('服务单状态已变更，不能执行此操作', 'service status changed');
      const wareNum = Number(p['wareNum']);
      if (!Number.isInteger(wareNum) || wareNum < 1) return fail('wareNum 必须为正整数', 'invalid wareNum');
      change(order, (refund) => {
        refund.received = { at: deps.now(), wareNum, qualityState: str(p['qualityState']) };
        // JD refunds the buyer once the seller registered the goods back.
        refund.status = 'refunded';
      });
      return ok();
    },
  };
}
