import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { alipaySimulator } from './alipay.js';
import { NotifyLog, PaymentFaults, SimPaymentBook } from './ledger.js';
import { wechatPaySimulator } from './wechatpay.js';

export { alipaySimulator } from './alipay.js';
export { wechatPaySimulator } from './wechatpay.js';
export { NotifyLog, PaymentFaults, SimPaymentBook } from './ledger.js';
export type { NotifyRecord, PaymentFault, SimRefund, SimTrade } from './ledger.js';

/** Where each channel is mounted under the sandbox's `/payments`. */
export const PAYMENT_SANDBOX_PREFIXES = { alipay: '/alipay', wechatpay: '/wechatpay' } as const;

function rsaPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * What a merchant configures to use the simulated channels: its own keys (made up at each start,
 * like a real merchant generating them in the console and uploading the public half) and the
 * channels' public keys.
 */
export interface PaymentSandboxAccounts {
  alipay: { appId: string; appPrivateKey: string; appPublicKey: string; alipayPublicKey: string };
  wechatpay: {
    mchid: string;
    serialNo: string;
    privateKey: string;
    publicKey: string;
    apiV3Key: string;
    platformSerial: string;
    platformPublicKey: string;
  };
}

export interface PaymentSandbox {
  accounts: PaymentSandboxAccounts;
  alipay: { book: SimPaymentBook; faults: PaymentFaults };
  wechatpay: { book: SimPaymentBook; faults: PaymentFaults };
  notifications: NotifyLog;
  /** How many copies of each notification go out (tests set 2 to send duplicates). */
  notifyCopies: number;
  /** How long a WeChat refund stays PROCESSING before it settles. */
  wechatSettleMs: number;
  register(app: FastifyInstance): Promise<void>;
}

export function createPaymentSandbox(
  options: { now?: () => Date; fetch?: typeof fetch } = {},
): PaymentSandbox {
  const app = rsaPair();
  const alipayOwn = rsaPair();
  const merchant = rsaPair();
  const platform = rsaPair();
  const notifications = new NotifyLog();
  const sandbox: PaymentSandbox = {
    accounts: {
      alipay: {
        appId: '2021000000000000',
        appPrivateKey: app.privateKey,
        appPublicKey: app.publicKey,
        alipayPublicKey: alipayOwn.publicKey,
      },
      wechatpay: {
        mchid: '1900000100',
        serialNo: randomBytes(20).toString('hex').toUpperCase(),
        privateKey: merchant.privateKey,
        publicKey: merchant.publicKey,
        apiV3Key: randomBytes(16).toString('hex'),
        platformSerial: `PUB_KEY_ID_${randomBytes(12).toString('hex').toUpperCase()}`,
        platformPublicKey: platform.publicKey,
      },
    },
    alipay: { book: new SimPaymentBook('2026'), faults: new PaymentFaults() },
    wechatpay: { book: new SimPaymentBook('4200'), faults: new PaymentFaults() },
    notifications,
    notifyCopies: 1,
    wechatSettleMs: 50,
    async register(scope) {
      const shared = {
        notifications,
        notifyCopies: () => sandbox.notifyCopies,
        ...(options.now ? { now: options.now } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      };
      const { alipay, wechatpay } = sandbox.accounts;
      await scope.register(alipaySimulator, {
        prefix: PAYMENT_SANDBOX_PREFIXES.alipay,
        apps: { [alipay.appId]: { publicKey: alipay.appPublicKey } },
        alipayKeys: alipayOwn,
        ...sandbox.alipay,
        ...shared,
      });
      await scope.register(wechatPaySimulator, {
        prefix: PAYMENT_SANDBOX_PREFIXES.wechatpay,
        merchants: {
          [wechatpay.mchid]: {
            serialNo: wechatpay.serialNo,
            publicKey: wechatpay.publicKey,
            apiV3Key: wechatpay.apiV3Key,
          },
        },
        platform: { serial: wechatpay.platformSerial, ...platform },
        settleMs: () => sandbox.wechatSettleMs,
        ...sandbox.wechatpay,
        ...shared,
      });
    },
  };
  return sandbox;
}
