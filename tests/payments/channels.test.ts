import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAlipayChannel } from '../../integrations/payments/alipay/client.js';
import { ALIPAY_NOTIFY_ACK, parseAlipayNotify } from '../../integrations/payments/alipay/notify.js';
import { refundOnce } from '../../integrations/payments/refund-once.js';
import type { RefundNotice } from '../../integrations/payments/types.js';
import { createWechatPayChannel } from '../../integrations/payments/wechatpay/client.js';
import {
  parseWechatRefundNotify,
  WECHATPAY_NOTIFY_ACK,
} from '../../integrations/payments/wechatpay/notify.js';
import { AuthError, TransientPlatformError } from '../../integrations/platforms/errors.js';
import { createPaymentSandbox, type PaymentSandbox } from '../../sandbox/payments/index.js';

/**
 * The Alipay and WeChat Pay adapters against their simulators over HTTP: the simulators check our
 * signatures with their own code and keys, sign their answers and notifications with theirs, and
 * keep the money. Each test reads the simulator's book to show what moved.
 */
let sandbox: PaymentSandbox;
let channels: FastifyInstance;
let receiver: FastifyInstance;
let baseUrl: string;
let notifyBase: string;
const received: RefundNotice[] = [];
const other = createPaymentSandbox();

beforeAll(async () => {
  sandbox = createPaymentSandbox();
  channels = Fastify({ logger: false });
  await channels.register(async (scope) => sandbox.register(scope), { prefix: '/payments' });
  baseUrl = `${await channels.listen({ port: 0, host: '127.0.0.1' })}/payments`;

  // A merchant endpoint that takes the notifications the way the ERP's webhook does.
  receiver = Fastify({ logger: false });
  receiver.addContentTypeParser(['application/json', '*'], { parseAs: 'string' }, (_r, body, done) =>
    done(null, body),
  );
  receiver.post('/alipay', async (request, reply) => {
    const notice = parseAlipayNotify(
      request.body as string,
      sandbox.accounts.alipay.alipayPublicKey,
      sandbox.accounts.alipay.appId,
    );
    if (notice) received.push(notice);
    return reply.type('text/plain').send(ALIPAY_NOTIFY_ACK);
  });
  receiver.post('/wechatpay', async (request, reply) => {
    const header = (name: string) => request.headers[name] as string | undefined;
    const { wechatpay } = sandbox.accounts;
    const notice = parseWechatRefundNotify(
      {
        timestamp: header('wechatpay-timestamp'),
        nonce: header('wechatpay-nonce'),
        signature: header('wechatpay-signature'),
        serial: header('wechatpay-serial'),
      },
      request.body as string,
      {
        platformKeys: { [wechatpay.platformSerial]: wechatpay.platformPublicKey },
        apiV3Key: wechatpay.apiV3Key,
        mchid: wechatpay.mchid,
      },
      Math.floor(Date.now() / 1000),
    );
    if (notice) received.push(notice);
    return reply.send(WECHATPAY_NOTIFY_ACK);
  });
  notifyBase = await receiver.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await channels?.close();
  await receiver?.close();
});

beforeEach(() => {
  sandbox.notifyCopies = 1;
  sandbox.alipay.faults.clear();
  sandbox.wechatpay.faults.clear();
});

const unique = (prefix: string) => `${prefix}${Date.now()}${Math.floor(Math.random() * 1e6)}`;

describe('Alipay', () => {
  const alipay = () => {
    const { alipay: account } = sandbox.accounts;
    return createAlipayChannel({
      baseUrl: `${baseUrl}/alipay`,
      appId: account.appId,
      appPrivateKey: account.appPrivateKey,
      alipayPublicKey: account.alipayPublicKey,
      timeoutMs: 5_000,
    });
  };

  it('refunds once per out_request_no: a repeat answers fund_change N and is read back as the same refund', async () => {
    const outTradeNo = unique('T');
    sandbox.alipay.book.openTrade({ outTradeNo, totalFen: 10_000 });
    const request = {
      outTradeNo,
      refundNo: `${outTradeNo}-R1`,
      amountFen: 3_000,
      totalFen: 10_000,
      reason: '未发货仅退款',
    };
    const first = await alipay().refund(request);
    expect(first).toMatchObject({ state: 'succeeded', refundedFen: 3_000 });
    const again = await alipay().refund(request);
    expect(again).toMatchObject({ state: 'succeeded', refundedFen: 3_000 });
    expect(sandbox.alipay.book.moves.filter((move) => move.outTradeNo === outTradeNo)).toHaveLength(1);
  });

  it('a lost answer after the money moved: the retry asks first and does not refund again', async () => {
    const outTradeNo = unique('T');
    sandbox.alipay.book.openTrade({ outTradeNo, totalFen: 5_000 });
    const request = { outTradeNo, refundNo: `${outTradeNo}-R1`, amountFen: 5_000, totalFen: 5_000 };
    sandbox.alipay.faults.add('alipay.trade.refund', { kind: 'lose' });
    await expect(refundOnce(alipay(), request)).rejects.toBeInstanceOf(TransientPlatformError);
    expect(await refundOnce(alipay(), request)).toMatchObject({ state: 'succeeded', refundedFen: 5_000 });
    expect(sandbox.alipay.book.moves.filter((move) => move.outTradeNo === outTradeNo)).toEqual([
      { outTradeNo, refundNo: request.refundNo, amountFen: 5_000 },
    ]);
  });

  it('refuses a refund above what is left on the trade, and a gateway fault is transient', async () => {
    const outTradeNo = unique('T');
    sandbox.alipay.book.openTrade({ outTradeNo, totalFen: 1_000 });
    await alipay().refund({ outTradeNo, refundNo: `${outTradeNo}-R1`, amountFen: 800, totalFen: 1_000 });
    expect(
      await alipay().refund({ outTradeNo, refundNo: `${outTradeNo}-R2`, amountFen: 300, totalFen: 1_000 }),
    ).toMatchObject({
      state: 'failed',
      code: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL',
    });
    sandbox.alipay.faults.add('alipay.trade.refund', { kind: 'fail' });
    await expect(
      alipay().refund({ outTradeNo, refundNo: `${outTradeNo}-R3`, amountFen: 100, totalFen: 1_000 }),
    ).rejects.toBeInstanceOf(TransientPlatformError);
    expect(await alipay().query({ outTradeNo, refundNo: `${outTradeNo}-R3` })).toMatchObject({
      state: 'not_found',
    });
  });

  it('an app signing with a key Alipay does not know is refused; an answer signed by someone else is not believed', async () => {
    const outTradeNo = unique('T');
    sandbox.alipay.book.openTrade({ outTradeNo, totalFen: 1_000 });
    const { alipay: account } = sandbox.accounts;
    const wrongKey = createAlipayChannel({
      baseUrl: `${baseUrl}/alipay`,
      appId: account.appId,
      appPrivateKey: other.accounts.alipay.appPrivateKey,
      alipayPublicKey: account.alipayPublicKey,
    });
    await expect(
      wrongKey.refund({ outTradeNo, refundNo: `${outTradeNo}-R1`, amountFen: 100, totalFen: 1_000 }),
    ).rejects.toBeInstanceOf(AuthError);
    const forged = createAlipayChannel({
      baseUrl: `${baseUrl}/alipay`,
      appId: account.appId,
      appPrivateKey: account.appPrivateKey,
      alipayPublicKey: other.accounts.alipay.alipayPublicKey,
    });
    await expect(forged.query({ outTradeNo, refundNo: `${outTradeNo}-R1` })).rejects.toBeInstanceOf(
      AuthError,
    );
    expect(sandbox.alipay.book.moves.filter((move) => move.outTradeNo === outTradeNo)).toHaveLength(0);
  });

  it('sends a signed trade_status_sync per refund, twice when asked; both copies verify and name the same refund', async () => {
    const outTradeNo = unique('T');
    sandbox.alipay.book.openTrade({ outTradeNo, totalFen: 2_000, notifyUrl: `${notifyBase}/alipay` });
    sandbox.notifyCopies = 2;
    const refundNo = `${outTradeNo}-R1`;
    await alipay().refund({ outTradeNo, refundNo, amountFen: 500, totalFen: 2_000 });
    await expect
      .poll(() => received.filter((notice) => notice.refundNo === refundNo).length === 2)
      .toBe(true);
    const notices = received.filter((notice) => notice.refundNo === refundNo);
    expect(new Set(notices.map((notice) => notice.noticeId)).size).toBe(1);
    expect(notices[0]).toMatchObject({ channel: 'alipay', outTradeNo, state: 'succeeded', refundedFen: 500 });
    expect(sandbox.notifications.of(refundNo).every((record) => record.reply === 'success')).toBe(true);
  });
});

describe('WeChat Pay', () => {
  const wechat = (platformKeys?: Record<string, string>) => {
    const { wechatpay: account } = sandbox.accounts;
    return createWechatPayChannel({
      baseUrl: `${baseUrl}/wechatpay`,
      mchid: account.mchid,
      serialNo: account.serialNo,
      privateKey: account.privateKey,
      platformKeys: platformKeys ?? { [account.platformSerial]: account.platformPublicKey },
      timeoutMs: 5_000,
    });
  };

  it('takes a refund as PROCESSING, settles it SUCCESS, notifies REFUND.SUCCESS (duplicated) and moves the money once', async () => {
    const outTradeNo = unique('W');
    sandbox.wechatpay.book.openTrade({ outTradeNo, totalFen: 8_800 });
    sandbox.notifyCopies = 2;
    const request = {
      outTradeNo,
      refundNo: `${outTradeNo}-R1`,
      amountFen: 8_800,
      totalFen: 8_800,
      notifyUrl: `${notifyBase}/wechatpay`,
    };
    expect(await wechat().refund(request)).toMatchObject({ state: 'processing', refundedFen: 8_800 });
    await expect
      .poll(() => received.filter((notice) => notice.refundNo === request.refundNo).length === 2)
      .toBe(true);
    expect(received.find((notice) => notice.refundNo === request.refundNo)).toMatchObject({
      channel: 'wechatpay',
      state: 'succeeded',
      refundedFen: 8_800,
    });
    expect(await wechat().query(request)).toMatchObject({ state: 'succeeded' });
    expect(await wechat().refund(request)).toMatchObject({ state: 'succeeded' });
    expect(sandbox.wechatpay.book.moves.filter((move) => move.outTradeNo === outTradeNo)).toHaveLength(1);
  });

  it('a lost answer: refundOnce finds the refund by out_refund_no and does not send it again', async () => {
    const outTradeNo = unique('W');
    sandbox.wechatpay.book.openTrade({ outTradeNo, totalFen: 1_500 });
    const request = { outTradeNo, refundNo: `${outTradeNo}-R1`, amountFen: 1_000, totalFen: 1_500 };
    sandbox.wechatpay.faults.add('refund', { kind: 'lose' });
    await expect(refundOnce(wechat(), request)).rejects.toBeInstanceOf(TransientPlatformError);
    expect((await refundOnce(wechat(), request)).state).toMatch(/processing|succeeded/);
    await expect.poll(() => sandbox.wechatpay.book.refund(request.refundNo)?.status === 'SUCCESS').toBe(true);
    expect(sandbox.wechatpay.book.moves.filter((move) => move.outTradeNo === outTradeNo)).toHaveLength(1);
    expect(sandbox.wechatpay.book.refundsOf(outTradeNo)).toHaveLength(1);
  });

  it('ABNORMAL is reported as abnormal; above what is left is refused; unknown refunds are not_found', async () => {
    const outTradeNo = unique('W');
    sandbox.wechatpay.book.openTrade({ outTradeNo, totalFen: 1_000 });
    sandbox.wechatpay.faults.add('refund', { kind: 'abnormal' });
    const first = {
      outTradeNo,
      refundNo: `${outTradeNo}-R1`,
      amountFen: 600,
      totalFen: 1_000,
      notifyUrl: `${notifyBase}/wechatpay`,
    };
    await wechat().refund(first);
    await expect.poll(() => received.some((notice) => notice.refundNo === first.refundNo)).toBe(true);
    expect(received.find((notice) => notice.refundNo === first.refundNo)?.state).toBe('abnormal');
    expect(await wechat().query(first)).toMatchObject({ state: 'abnormal' });
    await wechat().refund({ ...first, refundNo: `${outTradeNo}-R2`, amountFen: 400 });
    expect(await wechat().refund({ ...first, refundNo: `${outTradeNo}-R3`, amountFen: 1 })).toMatchObject({
      state: 'failed',
      code: 'INVALID_REQUEST',
    });
    expect(await wechat().query({ outTradeNo, refundNo: `${outTradeNo}-R9` })).toMatchObject({
      state: 'not_found',
    });
  });

  it('answers are verified: an answer signed by a key we were not given is an auth error; a bad request signature is refused', async () => {
    const outTradeNo = unique('W');
    sandbox.wechatpay.book.openTrade({ outTradeNo, totalFen: 100 });
    const { wechatpay: account } = sandbox.accounts;
    const untrusting = wechat({ [account.platformSerial]: other.accounts.wechatpay.platformPublicKey });
    await expect(untrusting.query({ outTradeNo, refundNo: 'nothing' })).rejects.toBeInstanceOf(AuthError);
    const impostor = createWechatPayChannel({
      baseUrl: `${baseUrl}/wechatpay`,
      mchid: account.mchid,
      serialNo: account.serialNo,
      privateKey: other.accounts.wechatpay.privateKey,
      platformKeys: { [account.platformSerial]: account.platformPublicKey },
    });
    await expect(
      impostor.refund({ outTradeNo, refundNo: `${outTradeNo}-R1`, amountFen: 100, totalFen: 100 }),
    ).rejects.toBeInstanceOf(AuthError);
    expect(sandbox.wechatpay.book.refundsOf(outTradeNo)).toHaveLength(0);
  });
});
