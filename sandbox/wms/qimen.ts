import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { child, childrenOf, parseXml, textOf, toXml, type XmlElement, type XmlObject } from '../kit/xml.js';

/**
 * A warehouse run by a WMS reached through the Qimen gateway, as the order system meets it: the
 * gateway's `/router/qimen/service` endpoint takes signed delivery orders, cancellations and queries
 * for this warehouse, and the warehouse's work (`pick`, `pack`, `reportLack`, `ship`) is reported
 * back to the order system's callback URL as signed `taobao.qimen.*` calls. The signature is checked
 * with this file's own code, never the adapter's, so a wrongly signing adapter is caught.
 */

export interface QimenWmsAccount {
  appKey: string;
  secret: string;
  customerId: string;
  ownerCode: string;
  warehouseCode: string;
}

export const DEFAULT_QIMEN_WMS_ACCOUNT: QimenWmsAccount = {
  appKey: '23000001',
  secret: 'sandbox-qimen-secret',
  customerId: 'SANDBOX-WMS-C001',
  ownerCode: 'SANDBOX-OWNER',
  warehouseCode: 'QM-HZ-01',
};

export type SimDeliveryStatus = 'ACCEPT' | 'PICK' | 'PACKAGE' | 'LACK' | 'DELIVERED' | 'CANCELED';

export interface SimDeliveryOrder {
  code: string;
  id: string;
  status: SimDeliveryStatus;
  urgent: boolean;
  receiver: { name?: string; mobile?: string; province?: string; detailAddress?: string; oaid?: string };
  lines: { lineNo: string; itemCode: string; planQty: number; sourceOrderCode?: string }[];
  package?: { weightKg: number; lengthCm: number; widthCm: number; heightCm: number };
  shipped?: { logisticsCode: string; expressCode: string };
  cancelReason?: string;
}

export interface QimenCallLog {
  method: string;
  flag: 'success' | 'failure';
  code: string;
  message: string;
}

/** What the order system answered one of our reports with. */
export interface ReportAnswer {
  flag: string;
  code: string;
  message: string;
}

const GMT8_MS = 8 * 3600_000;
function chinaTime(at: Date): string {
  return new Date(at.getTime() + GMT8_MS).toISOString().slice(0, 19).replace('T', ' ');
}
function parseChinaTime(text: string | undefined): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text ?? '');
  if (!m) return undefined;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) - GMT8_MS;
}

/** MD5(secret + sorted name+value pairs (without sign) + body + secret), upper-case hex. */
function expectedSign(params: Record<string, string>, body: string, secret: string): string {
  let text = secret;
  for (const name of Object.keys(params).sort()) if (name !== 'sign') text += name + params[name];
  text += body + secret;
  return createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toUpperCase());
  const y = Buffer.from(b.toUpperCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

class Failure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface QimenWmsSandbox {
  account: QimenWmsAccount;
  orders: Map<string, SimDeliveryOrder>;
  calls: QimenCallLog[];
  /** Where reports go: the order system's `/webhooks/wms/qimen`. */
  callbackUrl: string | undefined;
  /** Mounts the gateway endpoint (`<prefix>/router/qimen/service`). */
  register(app: FastifyInstance, prefix?: string): Promise<void>;
  /** The warehouse picked every unit: `orderprocess.report` PICK. */
  pick(code: string, operator?: string): Promise<ReportAnswer>;
  /** Packed and weighed (`orderprocess.report` PACKAGE); the package is readable by query. */
  pack(
    code: string,
    pkg?: { weightKg: number; lengthCm: number; widthCm: number; heightCm: number },
  ): Promise<ReportAnswer>;
  /** Units not found: `itemlack.report` with one item per SKU. */
  reportLack(
    code: string,
    items: { itemCode: string; lackQty: number; reason?: string }[],
  ): Promise<ReportAnswer>;
  /** Handed to the carrier under the label's waybill: `deliveryorder.confirm` DELIVERED. */
  ship(code: string, waybill: { logisticsCode: string; expressCode: string }): Promise<ReportAnswer>;
}

export function createQimenWmsSandbox(
  options: {
    account?: Partial<QimenWmsAccount>;
    callbackUrl?: string;
    fetch?: typeof fetch;
    now?: () => Date;
  } = {},
): QimenWmsSandbox {
  const account = { ...DEFAULT_QIMEN_WMS_ACCOUNT, ...options.account };
  const now = options.now ?? (() => new Date());
  const orders = new Map<string, SimDeliveryOrder>();
  const calls: QimenCallLog[] = [];
  let nextId = 1;

  function answer(
    method: string,
    flag: 'success' | 'failure',
    code: string,
    message: string,
    extra: XmlObject = {},
  ) {
    calls.push({ method, flag, code, message });
    return toXml('response', { flag, code, message, ...extra });
  }

  function verify(query: Record<string, string>, body: string): void {
    for (const name of [
      'method',
      'timestamp',
      'format',
      'app_key',
      'v',
      'sign_method',
      'customerId',
      'sign',
    ]) {
      if (!query[name]) throw new Failure('missing-parameter', `缺少参数 ${name}`);
    }
    if (query.app_key !== account.appKey)
      throw new Failure('invalid-app-key', `unknown app_key ${query.app_key}`);
    if (query.format !== 'xml') throw new Failure('invalid-format', 'format 仅支持 xml');
    if (query.sign_method !== 'md5') throw new Failure('invalid-sign-method', 'sign_method must be md5');
    const at = parseChinaTime(query.timestamp);
    if (at === undefined || Math.abs(now().getTime() - at) > 10 * 60_000) {
      throw new Failure('invalid-timestamp', `timestamp ${query.timestamp} is not within ten minutes`);
    }
    if (!sameHex(query.sign!, expectedSign(query, body, account.secret))) {
      throw new Failure('sign-check-failure', 'Illegal request: sign check failure');
    }
    if (query.customerId !== account.customerId) {
      throw new Failure('invalid-customer-id', `customerId ${query.customerId} is not routed to this WMS`);
    }
  }

  function create(root: XmlElement): XmlObject {
    const order = child(root, 'deliveryOrder');
    const code = textOf(order, 'deliveryOrderCode');
    if (!code) throw new Failure('missing-field', 'deliveryOrder.deliveryOrderCode is required');
    if (textOf(order, 'orderType') !== 'JYCK') throw new Failure('invalid-field', 'orderType must be JYCK');
    if (textOf(order, 'warehouseCode') !== account.warehouseCode) {
      throw new Failure(
        'invalid-warehouse',
        `warehouseCode ${textOf(order, 'warehouseCode')} is not this warehouse`,
      );
    }
    const existing = orders.get(code);
    if (existing) return { deliveryOrderId: existing.id, createTime: chinaTime(now()) };
    const receiverInfo = child(order, 'receiverInfo');
    const receiver = {
      name: textOf(receiverInfo, 'name'),
      mobile: textOf(receiverInfo, 'mobile'),
      province: textOf(receiverInfo, 'province'),
      detailAddress: textOf(receiverInfo, 'detailAddress'),
      oaid: textOf(receiverInfo, 'oaid'),
    };
    if (
      !receiver.name ||
      !receiver.province ||
      !receiver.detailAddress ||
      !(receiver.mobile || receiver.oaid)
    ) {
      throw new Failure(
        'missing-field',
        'receiverInfo needs name, mobile (or oaid), province and detailAddress',
      );
    }
    const lines = childrenOf(child(root, 'orderLines'), 'orderLine').map((line, i) => {
      const itemCode = textOf(line, 'itemCode');
      const planQty = Number(textOf(line, 'planQty'));
      if (!itemCode || !Number.isInteger(planQty) || planQty < 1) {
        throw new Failure('invalid-field', `orderLines.orderLine[${i}] needs itemCode and planQty >= 1`);
      }
      if (textOf(line, 'ownerCode') !== account.ownerCode) {
        throw new Failure('invalid-owner', `ownerCode ${textOf(line, 'ownerCode')} is not known here`);
      }
      const sourceOrderCode = textOf(line, 'sourceOrderCode');
      return {
        lineNo: textOf(line, 'orderLineNo') ?? String(i + 1),
        itemCode,
        planQty,
        ...(sourceOrderCode ? { sourceOrderCode } : {}),
      };
    });
    if (lines.length === 0) throw new Failure('missing-field', 'orderLines is empty');
    const id = `QMWMS${String(nextId++).padStart(8, '0')}`;
    orders.set(code, {
      code,
      id,
      status: 'ACCEPT',
      urgent: textOf(order, 'isUrgency') === 'Y',
      receiver,
      lines,
    });
    return { deliveryOrderId: id, createTime: chinaTime(now()) };
  }

  function cancel(root: XmlElement): XmlObject {
    const code = textOf(root, 'orderCode');
    const order = code ? orders.get(code) : undefined;
    if (!order) throw new Failure('order-not-found', `no order ${code}`);
    if (order.status === 'DELIVERED') throw new Failure('already-delivered', `${code} has already shipped`);
    order.status = 'CANCELED';
    order.cancelReason = textOf(root, 'cancelReason') ?? '';
    return {};
  }

  function query(root: XmlElement): XmlObject {
    const code = textOf(root, 'deliveryOrderCode');
    const order = code ? orders.get(code) : undefined;
    if (!order) throw new Failure('order-not-found', `no delivery order ${code}`);
    const pkg = order.package;
    return {
      deliveryOrder: { deliveryOrderCode: order.code, deliveryOrderId: order.id, status: order.status },
      packages: pkg
        ? {
            item: 'package',
            values: [
              {
                logisticsCode: order.shipped?.logisticsCode,
                expressCode: order.shipped?.expressCode,
                weight: pkg.weightKg.toFixed(3),
                length: String(pkg.lengthCm),
                width: String(pkg.widthCm),
                height: String(pkg.heightCm),
              },
            ],
          }
        : undefined,
      orderLines: {
        item: 'orderLine',
        values: order.lines.map((l) => ({ orderLineNo: l.lineNo, itemCode: l.itemCode, planQty: l.planQty })),
      },
    };
  }

  async function report(method: string, request: XmlObject): Promise<ReportAnswer> {
    const url = sandbox.callbackUrl;
    if (!url) throw new Error('the Qimen WMS simulator has no callback URL to report to');
    const body = toXml('request', request);
    const params: Record<string, string> = {
      method,
      timestamp: chinaTime(now()),
      format: 'xml',
      app_key: account.appKey,
      v: '2.0',
      sign_method: 'md5',
      customerId: account.customerId,
    };
    const query = new URLSearchParams({ ...params, sign: expectedSign(params, body, account.secret) });
    const res = await (options.fetch ?? fetch)(`${url}?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml;charset=UTF-8' },
      body,
    });
    const root = parseXml(await res.text());
    return {
      flag: textOf(root, 'flag') ?? '',
      code: textOf(root, 'code') ?? '',
      message: textOf(root, 'message') ?? '',
    };
  }

  function open(code: string): SimDeliveryOrder {
    const order = orders.get(code);
    if (!order) throw new Error(`the simulated WMS has no delivery order ${code}`);
    if (order.status === 'CANCELED') throw new Error(`${code} was cancelled`);
    return order;
  }

  const reportProcess = (order: SimDeliveryOrder, status: string, operator: string) =>
    report('taobao.qimen.orderprocess.report', {
      order: {
        orderCode: order.code,
        orderId: order.id,
        orderType: 'JYCK',
        warehouseCode: account.warehouseCode,
      },
      process: { processStatus: status, operatorName: operator, operateTime: chinaTime(now()) },
    });

  const sandbox: QimenWmsSandbox = {
    account,
    orders,
    calls,
    callbackUrl: options.callbackUrl,
    async register(app, prefix = '') {
      await app.register(
        async (scope) => {
          scope.addContentTypeParser(
            ['application/xml', 'text/xml'],
            { parseAs: 'string' },
            (_req, body, done) => done(null, body),
          );
          scope.post('/router/qimen/service', async (request, reply) => {
            const params = request.query as Record<string, string>;
            const body = typeof request.body === 'string' ? request.body : '';
            const method = (params.method ?? '').replace(/^taobao\.qimen\./, '');
            reply.type('text/xml;charset=utf-8');
            try {
              verify(params, body);
              const root = parseXml(body);
              const handlers: Record<string, (r: XmlElement) => XmlObject> = {
                'deliveryorder.create': create,
                'order.cancel': cancel,
                'deliveryorder.query': query,
              };
              const handler = handlers[method];
              if (!handler)
                throw new Failure('invalid-method', `method ${params.method} is not served by this WMS`);
              return answer(method, 'success', '0', 'success', handler(root));
            } catch (err) {
              if (err instanceof Failure) return answer(method, 'failure', err.code, err.message);
              return answer(method, 'failure', 'invalid-request', (err as Error).message);
            }
          });
        },
        { prefix },
      );
    },
    async pick(code, operator = '拣货员小王') {
      const order = open(code);
      order.status = 'PICK';
      return reportProcess(order, 'PICK', operator);
    },
    async pack(code, pkg = { weightKg: 0.85, lengthCm: 30, widthCm: 20, heightCm: 10 }) {
      const order = open(code);
      order.status = 'PACKAGE';
      order.package = pkg;
      return reportProcess(order, 'PACKAGE', '打包员小李');
    },
    async reportLack(code, items) {
      const order = open(code);
      order.status = 'LACK';
      return report('taobao.qimen.itemlack.report', {
        warehouseCode: account.warehouseCode,
        deliveryOrderCode: order.code,
        deliveryOrderId: order.id,
        createTime: chinaTime(now()),
        outBizCode: `LACK-${order.id}-${items.map((i) => i.itemCode).join('-')}`,
        items: {
          item: 'item',
          values: items.map((i) => ({
            itemCode: i.itemCode,
            planQty: order.lines.filter((l) => l.itemCode === i.itemCode).reduce((s, l) => s + l.planQty, 0),
            lackQty: i.lackQty,
            reason: i.reason ?? '实物报缺',
          })),
        },
      });
    },
    async ship(code, waybill) {
      const order = open(code);
      const pkg = order.package ?? { weightKg: 0.85, lengthCm: 30, widthCm: 20, heightCm: 10 };
      const answered = await report('taobao.qimen.deliveryorder.confirm', {
        deliveryOrder: {
          deliveryOrderCode: order.code,
          deliveryOrderId: order.id,
          warehouseCode: account.warehouseCode,
          orderType: 'JYCK',
          status: 'DELIVERED',
          outBizCode: `CONFIRM-${order.id}`,
          confirmType: 0,
          orderConfirmTime: chinaTime(now()),
          operatorName: '发货员小张',
        },
        packages: {
          item: 'package',
          values: [
            {
              logisticsCode: waybill.logisticsCode,
              expressCode: waybill.expressCode,
              weight: pkg.weightKg.toFixed(3),
              length: String(pkg.lengthCm),
              width: String(pkg.widthCm),
              height: String(pkg.heightCm),
              items: {
                item: 'item',
                values: order.lines.map((l) => ({ itemCode: l.itemCode, quantity: l.planQty })),
              },
            },
          ],
        },
        orderLines: {
          item: 'orderLine',
          values: order.lines.map((l) => ({
            orderLineNo: l.lineNo,
            itemCode: l.itemCode,
            planQty: l.planQty,
            actualQty: l.planQty,
          })),
        },
      });
      if (answered.flag === 'success') {
        order.status = 'DELIVERED';
        order.shipped = waybill;
      }
      return answered;
    },
  };
  return sandbox;
}
