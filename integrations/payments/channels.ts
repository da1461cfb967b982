import { createAlipayChannel, type AlipayOptions } from './alipay/client.js';
import type { PaymentChannelName, RefundChannel } from './types.js';
import { createWechatPayChannel, type WechatPayOptions } from './wechatpay/client.js';

export type PaymentChannels = Partial<Record<PaymentChannelName, RefundChannel>>;

/** The configured channels; a channel left out has no settings and refunds through it wait for a person. */
export function createPaymentChannels(settings: {
  alipay?: AlipayOptions;
  wechatpay?: WechatPayOptions;
}): PaymentChannels {
  return {
    ...(settings.alipay ? { alipay: createAlipayChannel(settings.alipay) } : {}),
    ...(settings.wechatpay ? { wechatpay: createWechatPayChannel(settings.wechatpay) } : {}),
  };
}
