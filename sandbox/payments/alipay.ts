import { createSign, createVerify } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { sleep, type NotifyLog, type PaymentFaults, type SimPaymentBook, type SimRefund } from './ledger.js';

/**
 * Alipay's OpenAPI gateway (`POST /gateway.do`) for `alipay.trade.refund` and
 * `alipay.trade.fastpay.refund.query`, written from AFTER-SALES-FACTS §2.1 and API-FACTS §13: it
 * checks the app's RSA2 signature with the app's registered public key, answers signed with its
 * own key over the `<method>_response` node, moves money once per `out_request_no`
 * (`fund_change` Y the first time, N on a repeat), refuses a refund above what is left, and sends
 * the payment's `trade_status_sync` notification for each refund (signed; duplicates on request).
 */
export interface AlipaySimOptions {
  /** Apps allowed to call, with the public key their requests verify with. */
  apps: Record<string, { publicKey: string }>;
  /** The simulator's own key pair: answers and notifications are signed with it. */
  alipayKeys: { privateKey: string; publicKey: string };
  book: SimPaymentBook;
  faults: PaymentFaults;
  notifications: NotifyLog;
  /** Send each notification this many times (the real gateway resends until acknowledged). */
  notifyCopies?: () => number;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** The simulator's own sign string: sorted, non-empty, `sign` left out (and `sign_type` for notifications). */
function signingText(fields: Record<string, string>, leaveOut: string[]): string {
  return Object.entries(fields)
    .filter(([key, value]) => !leaveOut.includes(key) && value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

const signWith = (text: string, key: string) => createSign('sha256').update(text).sign(key, 'base64');

const yuan = (fen: number) => (fen / 100).toFixed(2);
const fenOf = (text: unknown) =>
  typeof text === 'string' && /^\d+(\.\d{1,2})?$/.test(text) ? Math.round(Number(text) * 100) : NaN;
const chinaTime = (at: Date) =>
  new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

export const alipaySimulator: FastifyPluginAsync<AlipaySimOptions> = async (app, options) => {
  const now = options.now ?? (() => new Date());
  const { book, faults } = options;
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  const answer = (reply: FastifyReply, method: string, node: Record<string, unknown>) => {
    const nodeText = JSON.stringify(node);
    const name = `${method.replaceAll('.', '_')}_response`;
    const sign = signWith(nodeText, options.alipayKeys.privateKey);
    return reply.type('application/json;charset=utf-8').send(`{"${name}":${nodeText},"sign":"${sign}"}`);
  };
  const businessError = (subCode: string, subMsg: string) => ({
    code: '40004',
    msg: 'Business Failed',
    sub_code: subCode,
    sub_msg: subMsg,
  });

  const notify = async (refund: SimRefund, tradeNo: string, totalFen: number) => {
    const url = refund.notifyUrl ?? book.trade(refund.outTradeNo)?.notifyUrl;
    if (!url) return;
    const refunded = book.refundedFen(refund.outTradeNo);
    const fields: Record<string, string> = {
      notify_id: `${refund.refundId}N`,
      notify_type: 'trade_status_sync',
      notify_time: chinaTime(now()),
      charset: 'utf-8',
      version: '1.0',
      app_id: Object.keys(options.apps)[0] ?? '',
      trade_no: tradeNo,
      out_trade_no: refund.outTradeNo,
      out_biz_no: refund.refundNo,
      trade_status: refunded >= totalFen ? 'TRADE_CLOSED' : 'TRADE_SUCCESS',
      total_amount: yuan(totalFen),
      refund_fee: yuan(refunded),
      gmt_refund: `${chinaTime(refund.succeededAt ?? now())}.000`,
      sign_type: 'RSA2',
    };
    fields.sign = signWith(signingText(fields, ['sign', 'sign_type']), options.alipayKeys.privateKey);
    const body = new URLSearchParams(fields).toString();
    const copies = options.notifyCopies?.() ?? 1;
    for (let copy = 0; copy < copies; copy++) {
      try {
        const response = await (options.fetch ?? fetch)(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
          body,
        });
        options.notifications.add({
          channel: 'alipay',
          url,
          refundNo: refund.refundNo,
          body,
          status: response.status,
          reply: await response.text(),
        });
      } catch (err) {
        options.notifications.add({
          channel: 'alipay',
          url,
          refundNo: refund.refundNo,
          body,
          error: (err as Error).message,
        });
      }
    }
  };

  app.post('/gateway.do', async (request, reply) => {
    const fields = (request.body ?? {}) as Record<string, string>;
    const method = fields.method ?? '';
    const fault = faults.next(method);
    if (fault?.kind === 'delay') await sleep(fault.ms);
    if (fault?.kind === 'fail')
      return answer(reply, method, {
        code: '20000',
        msg: 'Service Currently Unavailable',
        sub_code: 'isp.unknow-error',
        sub_msg: '系统繁忙',
      });
    const registered = options.apps[fields.app_id ?? ''];
    if (!registered)
      return answer(reply, method, {
        code: '40002',
        msg: 'Invalid Arguments',
        sub_code: 'isv.invalid-app-id',
        sub_msg: '无效的AppID参数',
      });
    const verified =
      fields.sign_type === 'RSA2' &&
      !!fields.sign &&
      createVerify('sha256')
        .update(signingText(fields, ['sign']))
        .verify(registered.publicKey, fields.sign, 'base64');
    if (!verified)
      return answer(reply, method, {
        code: '40002',
        msg: 'Invalid Arguments',
        sub_code: 'isv.invalid-signature',
        sub_msg: '验签出错',
      });
    let biz: Record<string, unknown>;
    try {
      biz = JSON.parse(fields.biz_content ?? '') as Record<string, unknown>;
    } catch {
      return answer(reply, method, {
        code: '40002',
        msg: 'Invalid Arguments',
        sub_code: 'isv.invalid-parameter',
        sub_msg: 'biz_content',
      });
    }
    const trade = book.trade(String(biz.out_trade_no ?? ''));

    if (method === 'alipay.trade.fastpay.refund.query') {
      if (!trade) return answer(reply, method, businessError('ACQ.TRADE_NOT_EXIST', '交易不存在'));
      const refund = book.refund(String(biz.out_request_no ?? ''));
      if (!refund || refund.outTradeNo !== trade.outTradeNo)
        return answer(reply, method, { code: '10000', msg: 'Success' });
      return answer(reply, method, {
        code: '10000',
        msg: 'Success',
        trade_no: trade.tradeNo,
        out_trade_no: trade.outTradeNo,
        out_request_no: refund.refundNo,
        total_amount: yuan(trade.totalFen),
        refund_amount: yuan(refund.amountFen),
        refund_status: 'REFUND_SUCCESS',
        gmt_refund_pay: chinaTime(refund.succeededAt ?? refund.createdAt),
      });
    }
    if (method !== 'alipay.trade.refund') {
      return answer(reply, method, {
        code: '40004',
        msg: 'Business Failed',
        sub_code: 'isv.invalid-method',
        sub_msg: '不存在的方法名',
      });
    }
    if (!trade) return answer(reply, method, businessError('ACQ.TRADE_NOT_EXIST', '交易不存在'));
    const amount = fenOf(biz.refund_amount);
    if (!(amount > 0))
      return answer(reply, method, {
        code: '40002',
        msg: 'Invalid Arguments',
        sub_code: 'isv.invalid-parameter',
        sub_msg: 'refund_amount',
      });
    // Without out_request_no the refund is the trade's one full refund (its number is out_trade_no).
    const refundNo = String(biz.out_request_no ?? trade.outTradeNo);
    const existing = book.refund(refundNo);
    let moved = false;
    if (!existing) {
      if (book.refundedFen(trade.outTradeNo) + amount > trade.totalFen) {
        return answer(reply, method, businessError('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限'));
      }
      const refund = book.add(
        {
          outTradeNo: trade.outTradeNo,
          refundNo,
          amountFen: amount,
          status: 'SUCCESS',
          ...(fields.notify_url ? { notifyUrl: fields.notify_url } : {}),
        },
        now(),
      );
      moved = true;
      setImmediate(() => void notify(refund, trade.tradeNo, trade.totalFen));
    }
    if (fault?.kind === 'lose') {
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    return answer(reply, method, {
      code: '10000',
      msg: 'Success',
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      buyer_logon_id: 'sim***@alipay.example',
      fund_change: moved ? 'Y' : 'N',
      refund_fee: yuan(book.refundedFen(trade.outTradeNo)),
      gmt_refund_pay: chinaTime(now()),
    });
  });
};
