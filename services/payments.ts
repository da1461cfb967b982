import type { Config } from '../config/index.js';
import type { AlipayOptions } from '../integrations/payments/alipay/client.js';
import { createPaymentChannels, type PaymentChannels } from '../integrations/payments/channels.js';
import type { WechatPayOptions } from '../integrations/payments/wechatpay/client.js';

/** Alipay's settings when every one is configured. */
export function alipaySettings(config: Config): AlipayOptions | undefined {
  const { ALIPAY_BASE_URL, ALIPAY_APP_ID, ALIPAY_APP_PRIVATE_KEY, ALIPAY_PUBLIC_KEY } = config;
  if (!ALIPAY_BASE_URL || !ALIPAY_APP_ID || !ALIPAY_APP_PRIVATE_KEY || !ALIPAY_PUBLIC_KEY) return undefined;
  return {
    baseUrl: ALIPAY_BASE_URL,
    appId: ALIPAY_APP_ID,
    appPrivateKey: ALIPAY_APP_PRIVATE_KEY,
    alipayPublicKey: ALIPAY_PUBLIC_KEY,
  };
}

/** WeChat Pay's settings when every one is configured (the APIv3 key decrypts notifications). */
export function wechatPaySettings(config: Config): (WechatPayOptions & { apiV3Key: string }) | undefined {
  const c = config;
  if (
    !c.WECHATPAY_BASE_URL ||
    !c.WECHATPAY_MCHID ||
    !c.WECHATPAY_SERIAL_NO ||
    !c.WECHATPAY_PRIVATE_KEY ||
    !c.WECHATPAY_APIV3_KEY ||
    !c.WECHATPAY_PLATFORM_SERIAL ||
    !c.WECHATPAY_PLATFORM_PUBLIC_KEY
  ) {
    return undefined;
  }
  return {
    baseUrl: c.WECHATPAY_BASE_URL,
    mchid: c.WECHATPAY_MCHID,
    serialNo: c.WECHATPAY_SERIAL_NO,
    privateKey: c.WECHATPAY_PRIVATE_KEY,
    platformKeys: { [c.WECHATPAY_PLATFORM_SERIAL]: c.WECHATPAY_PLATFORM_PUBLIC_KEY },
    apiV3Key: c.WECHATPAY_APIV3_KEY,
  };
}

export function paymentChannelsFromConfig(config: Config): PaymentChannels {
  const alipay = alipaySettings(config);
  const wechatpay = wechatPaySettings(config);
  return createPaymentChannels({ ...(alipay ? { alipay } : {}), ...(wechatpay ? { wechatpay } : {}) });
}

/** Where a channel notifies us about refunds, or undefined without a public URL. */
export function paymentNotifyUrl(config: Config, channel: 'alipay' | 'wechatpay'): string | undefined {
  const base = config.PAYMENT_NOTIFY_BASE_URL ?? config.API_PUBLIC_URL;
  return base ? `${base.replace(/\/$/, '')}/webhooks/payments/${channel}` : undefined;
}
