import { createCipheriv, createSign, createVerify, randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { sleep, type NotifyLog, type PaymentFaults, type SimPaymentBook, type SimRefund } from './ledger.js';

/**
 * WeChat Pay API v3 domestic refunds (`POST /v3/refund/domestic/refunds`,
 * `GET /v3/refund/domestic/refunds/{out_refund_no}`), written from AFTER-SALES-FACTS §2.2 and
 * API-FACTS §14. Checks the merchant's WECHATPAY2-SHA256-RSA2048 Authorization with the
 * merchant's registered key, signs every answer with its own key (`Wechatpay-Serial` = its
 * public-key id), takes refunds as PROCESSING and settles them SUCCESS (or ABNORMAL when
 * scripted) after `settleMs`, then sends REFUND.* notifications encrypted with the merchant's
 * APIv3 key (AEAD_AES_256_GCM) and signed, as many copies as asked.
 */
export interface WechatPaySimOptions {
  merchants: Record<string, { serialNo: string; publicKey: string; apiV3Key: string }>;
  platform: { serial: string; privateKey: string; publicKey: string };
  book: SimPaymentBook;
  faults: PaymentFaults;
  notifications: NotifyLog;
  /** How long a refund stays PROCESSING (default 50 ms). */
  settleMs?: () => number;
  notifyCopies?: () => number;
  fetch?: typeof fetch;
  now?: () => Date;
}

const AUTH = /^WECHATPAY2-SHA256-RSA2048 (.+)$/;

function authFields(header: string | undefined): Record<string, string> | undefined {
  const match = AUTH.exec(header ?? '');
  if (!match) return undefined;
  const fields: Record<string, string> = {};
  for (const part of match[1]!.matchAll(/(\w+)="([^"]*)"/g)) fields[part[1]!] = part[2]!;
  return fields;
}

const rfc3339 = (at: Date) => `${new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;

export const wechatPaySimulator: FastifyPluginAsync<WechatPaySimOptions> = async (app, options) => {
  const now = options.now ?? (() => new Date());
  const { book, faults, platform } = options;
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );

  const signed = (reply: FastifyReply, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    const timestamp = String(Math.floor(now().getTime() / 1000));
    const nonce = randomBytes(16).toString('hex');
    const signature = createSign('sha256')
      .update(`${timestamp}\n${nonce}\n${text}\n`)
      .sign(platform.privateKey, 'base64');
    return reply
      .code(status)
      .headers({
        'content-type': 'application/json',
        'wechatpay-timestamp': timestamp,
        'wechatpay-nonce': nonce,
        'wechatpay-signature': signature,
        'wechatpay-serial': platform.serial,
        'request-id': randomBytes(8).toString('hex'),
      })
      .send(text);
  };
  const error = (reply: FastifyReply, status: number, code: string, message: string) =>
    signed(reply, status, { code, message });

  /** Which merchant signed the request, or why not. */
  const caller = (request: FastifyRequest): { mchid: string } | string => {
    const fields = authFields(request.headers.authorization);
    if (!fields) return 'Authorization is not WECHATPAY2-SHA256-RSA2048';
    const merchant = options.merchants[fields.mchid ?? ''];
    if (!merchant || merchant.serialNo !== fields.serial_no) return 'unknown mchid or certificate serial';
    const timestamp = Number(fields.timestamp);
    if (!Number.isFinite(timestamp) || Math.abs(now().getTime() / 1000 - timestamp) > 300)
      return 'timestamp expired';
    const canonical = request.url.slice(request.url.indexOf('/v3/'));
    const body = typeof request.body === 'string' ? request.body : '';
    const message = `${request.method}\n${canonical}\n${fields.timestamp}\n${fields.nonce_str}\n${body}\n`;
    const ok = createVerify('sha256')
      .update(message)
      .verify(merchant.publicKey, fields.signature ?? '', 'base64');
    return ok ? { mchid: fields.mchid! } : 'signature does not verify';
  };

  const view = (refund: SimRefund, totalFen: number, tradeNo: string) => ({
    refund_id: refund.refundId,
    out_refund_no: refund.refundNo,
    transaction_id: tradeNo,
    out_trade_no: refund.outTradeNo,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    ...(refund.succeededAt ? { success_time: rfc3339(refund.succeededAt) } : {}),
    create_time: rfc3339(refund.createdAt),
    status: refund.status,
    funds_account: 'AVAILABLE',
    amount: {
      total: totalFen,
      refund: refund.amountFen,
      payer_total: totalFen,
      payer_refund: refund.amountFen,
      settlement_refund: refund.amountFen,
      settlement_total: totalFen,
      discount_refund: 0,
      currency: 'CNY',
      from: [],
      refund_fee: 0,
    },
  });

  const notify = async (mchid: string, refund: SimRefund) => {
    const merchant = options.merchants[mchid];
    const trade = book.trade(refund.outTradeNo);
    if (!merchant || !trade || !refund.notifyUrl) return;
    const resource = {
      mchid,
      transaction_id: trade.tradeNo,
      out_trade_no: refund.outTradeNo,
      refund_id: refund.refundId,
      out_refund_no: refund.refundNo,
      refund_status: refund.status,
      ...(refund.succeededAt ? { success_time: rfc3339(refund.succeededAt) } : {}),
      user_received_account: '支付用户零钱',
      amount: {
        total: trade.totalFen,
        refund: refund.amountFen,
        payer_total: trade.totalFen,
        payer_refund: refund.amountFen,
      },
    };
    const key = Buffer.from(merchant.apiV3Key, 'utf8');
    const nonce = randomBytes(6).toString('hex');
    const cipher = createCipheriv('aes-256-gcm', key, Buffer.from(nonce, 'utf8'));
    cipher.setAAD(Buffer.from('refund', 'utf8'));
    const sealed = Buffer.concat([
      cipher.update(JSON.stringify(resource), 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    const body = JSON.stringify({
      id: `EV-${refund.refundId}-${refund.status}`,
      create_time: rfc3339(now()),
      resource_type: 'encrypt-resource',
      event_type: `REFUND.${refund.status}`,
      summary:
        refund.status === 'SUCCESS' ? '退款成功' : refund.status === 'ABNORMAL' ? '退款异常' : '退款关闭',
      resource: {
        original_type: 'refund',
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: sealed.toString('base64'),
        associated_data: 'refund',
        nonce,
      },
    });
    const copies = options.notifyCopies?.() ?? 1;
    for (let copy = 0; copy < copies; copy++) {
      const timestamp = String(Math.floor(now().getTime() / 1000));
      const headerNonce = randomBytes(16).toString('hex');
      const signature = createSign('sha256')
        .update(`${timestamp}\n${headerNonce}\n${body}\n`)
        .sign(platform.privateKey, 'base64');
      try {
        const response = await (options.fetch ?? fetch)(refund.notifyUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'wechatpay-timestamp': timestamp,
            'wechatpay-nonce': headerNonce,
            'wechatpay-signature': signature,
            'wechatpay-serial': platform.serial,
            'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
            'request-id': randomBytes(8).toString('hex'),
          },
          body,
        });
        options.notifications.add({
          channel: 'wechatpay',
          url: refund.notifyUrl,
          refundNo: refund.refundNo,
          body,
          status: response.status,
          reply: await response.text(),
        });
      } catch (err) {
        options.notifications.add({
          channel: 'wechatpay',
          url: refund.notifyUrl,
          refundNo: refund.refundNo,
          body,
          error: (err as Error).message,
        });
      }
    }
  };

  app.post('/v3/refund/domestic/refunds', async (request, reply) => {
    const who = caller(request);
    if (typeof who === 'string') return error(reply, 401, 'SIGN_ERROR', who);
    const fault = faults.next('refund');
    if (fault?.kind === 'delay') await sleep(fault.ms);
    if (fault?.kind === 'fail') return error(reply, 500, 'SYSTEM_ERROR', '系统错误');
    let body: {
      out_trade_no?: string;
      out_refund_no?: string;
      notify_url?: string;
      amount?: { refund?: number; total?: number; currency?: string };
    };
    try {
      body = JSON.parse(request.body as string) as typeof body;
    } catch {
      return error(reply, 400, 'PARAM_ERROR', 'body is not JSON');
    }
    const refundNo = body.out_refund_no ?? '';
    const amount = body.amount?.refund;
    if (!/^[0-9A-Za-z_\-|*@]{1,64}$/.test(refundNo)) return error(reply, 400, 'PARAM_ERROR', 'out_refund_no');
    if (!Number.isInteger(amount) || amount! <= 0) return error(reply, 400, 'PARAM_ERROR', 'amount.refund');
    const trade = book.trade(body.out_trade_no ?? '');
    if (!trade) return error(reply, 404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    if (body.amount?.total !== trade.totalFen)
      return error(reply, 400, 'PARAM_ERROR', '订单金额或退款金额与之前请求不一致');
    let refund = book.refund(refundNo);
    if (refund && refund.amountFen !== amount)
      return error(reply, 400, 'INVALID_REQUEST', '退款单号已存在且金额不一致');
    if (!refund) {
      if (book.refundedFen(trade.outTradeNo) + amount! > trade.totalFen)
        return error(reply, 400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
      const abnormal = fault?.kind === 'abnormal';
      const created = book.add(
        {
          outTradeNo: trade.outTradeNo,
          refundNo,
          amountFen: amount!,
          status: 'PROCESSING',
          ...(body.notify_url ? { notifyUrl: body.notify_url } : {}),
        },
        now(),
      );
      refund = created;
      setTimeout(() => {
        book.settle(created, abnormal ? 'ABNORMAL' : 'SUCCESS', now());
        void notify(who.mchid, created);
      }, options.settleMs?.() ?? 50).unref();
    }
    if (fault?.kind === 'lose') {
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    return signed(reply, 200, view(refund, trade.totalFen, trade.tradeNo));
  });

  app.get<{ Params: { refundNo: string } }>(
    '/v3/refund/domestic/refunds/:refundNo',
    async (request, reply) => {
      const who = caller(request);
      if (typeof who === 'string') return error(reply, 401, 'SIGN_ERROR', who);
      const fault = faults.next('query');
      if (fault?.kind === 'delay') await sleep(fault.ms);
      if (fault?.kind === 'fail') return error(reply, 500, 'SYSTEM_ERROR', '系统错误');
      const refund = book.refund(request.params.refundNo);
      const trade = refund && book.trade(refund.outTradeNo);
      if (!refund || !trade) return error(reply, 404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
      return signed(reply, 200, view(refund, trade.totalFen, trade.tradeNo));
    },
  );
};
