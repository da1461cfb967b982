import { randomBytes } from 'node:crypto';
import type { PaymentSandboxAccounts } from '../../sandbox/payments/index.js';
import { carrierSandboxEnv } from '../../sandbox/carriers/index.js';
import {
  DEFAULT_TRANSLATION_SANDBOX_ACCOUNTS,
  TRANSLATION_SANDBOX_PREFIXES,
} from '../../sandbox/translation/index.js';

type Env = Record<string, string | undefined>;

/**
 * What `npm run dev` sets when the person has not: demo timings (a wave forms 15 s after its first
 * order, tracking is polled every 30 s, a parcel without a scan for 3 minutes is an exception,
 * Amazon's returns report is asked for every minute), the carrier services pointed at the sandbox's simulators with their demo credentials, and the API's
 * public URL so the tracking simulator can push scans to our webhook. Layer it under the
 * environment: `{ ...devDefaults(process.env), ...process.env }`.
 */
export function devDefaults(env: Env): Record<string, string> {
  const set = (name: string) => env[name] !== undefined && env[name] !== '';
  const host = set('API_HOST') ? env.API_HOST! : '127.0.0.1';
  const port = set('API_PORT') ? env.API_PORT! : '3000';
  const timings: Record<string, string> = {
    WAVE_WINDOW_SECONDS: '15',
    TRACKING_POLL_SECONDS: '30',
    TRACKING_NO_SCAN_SECONDS: '180',
    HOLD_SLA_SECONDS: '900',
    // Amazon's returns report asked for every minute (not hourly): the demo's Amazon return is a
    // case within minutes, also on a later start whose last report was asked for moments ago.
    AMAZON_RETURNS_REPORT_SECONDS: '60',
    API_PUBLIC_URL: `http://${host}:${port}`,
  };
  if (['false', '0', 'no'].includes((env.SANDBOX_ENABLED ?? '').toLowerCase())) return timings;
  const sandboxUrl = `http://127.0.0.1:${env.SANDBOX_PORT || '3900'}`;
  return { ...timings, ...sandboxCarrierEnv(sandboxUrl), ...sandboxTranslationEnv(sandboxUrl) };
}

/** Baidu Translate's and Tencent TMT's settings for the sandbox's simulators (their demo keys). */
export function sandboxTranslationEnv(sandboxUrl: string): Record<string, string> {
  return {
    BAIDU_TRANSLATE_BASE_URL: `${sandboxUrl.replace(/\/$/, '')}/translation${TRANSLATION_SANDBOX_PREFIXES.baidu}`,
    BAIDU_TRANSLATE_APP_ID: DEFAULT_TRANSLATION_SANDBOX_ACCOUNTS.baidu.appId,
    BAIDU_TRANSLATE_SECRET_KEY: DEFAULT_TRANSLATION_SANDBOX_ACCOUNTS.baidu.secretKey,
    TENCENT_TMT_BASE_URL: `${sandboxUrl.replace(/\/$/, '')}/translation${TRANSLATION_SANDBOX_PREFIXES.tencent}`,
    TENCENT_TMT_SECRET_ID: DEFAULT_TRANSLATION_SANDBOX_ACCOUNTS.tencent.secretId,
    TENCENT_TMT_SECRET_KEY: DEFAULT_TRANSLATION_SANDBOX_ACCOUNTS.tencent.secretKey,
  };
}

/** The carrier adapters' settings for the sandbox's simulators at `sandboxUrl`. */
export function sandboxCarrierEnv(sandboxUrl: string): Record<string, string> {
  return {
    ...carrierSandboxEnv(`${sandboxUrl.replace(/\/$/, '')}/carriers`),
    // Push secrets are made up per start, never a value anyone could read here: the token in the
    // route-push URL the dev stack gives the SF simulator (as a seller enters it in SF's console),
    // as the Kuaidi100 salt is.
    SF_PUSH_TOKEN: randomBytes(18).toString('base64url'),
  };
}

type PaymentSimulators = {
  baseUrls: Record<'alipay' | 'wechatpay', string>;
  accounts: PaymentSandboxAccounts;
};

/**
 * The payment channels' settings for the sandbox's Alipay and WeChat Pay simulators: their base
 * URLs, our app id / mchid, our private keys and the channels' public keys, all made up when the
 * sandbox starts (the simulators verify our signatures with their own copy of our public keys). A
 * channel the environment configures at all (any of its `ALIPAY_*` / `WECHATPAY_*` set) is left to
 * the environment: its settings are never mixed with the simulator's.
 */
export function sandboxPaymentEnv(payments: PaymentSimulators, env: Env): Record<string, string> {
  const configured = (prefix: string) =>
    Object.entries(env).some(
      ([name, value]) => name.startsWith(prefix) && value !== undefined && value !== '',
    );
  const { alipay, wechatpay } = payments.accounts;
  return {
    ...(configured('ALIPAY_')
      ? {}
      : {
          ALIPAY_BASE_URL: payments.baseUrls.alipay,
          ALIPAY_APP_ID: alipay.appId,
          ALIPAY_APP_PRIVATE_KEY: alipay.appPrivateKey,
          ALIPAY_PUBLIC_KEY: alipay.alipayPublicKey,
        }),
    ...(configured('WECHATPAY_')
      ? {}
      : {
          WECHATPAY_BASE_URL: payments.baseUrls.wechatpay,
          WECHATPAY_MCHID: wechatpay.mchid,
          WECHATPAY_SERIAL_NO: wechatpay.serialNo,
          WECHATPAY_PRIVATE_KEY: wechatpay.privateKey,
          WECHATPAY_APIV3_KEY: wechatpay.apiV3Key,
          WECHATPAY_PLATFORM_SERIAL: wechatpay.platformSerial,
          WECHATPAY_PLATFORM_PUBLIC_KEY: wechatpay.platformPublicKey,
        }),
  };
}
