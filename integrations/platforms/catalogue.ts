import { PLATFORM_NAMES, PLATFORMS, type Platform } from '../../domain/platforms.js';
import { answersThroughApi, hasAfterSalesApi } from './after-sales.js';
import { hasOrderMarkedAfterSales } from './order-marked-after-sales.js';
import { hasPullApi, PUSH_CHANNEL, REQUIRED_CREDENTIALS, webhookParserFor } from './registry.js';
import { hasStockApi } from './stock-registry.js';

/** What the ERP does with one channel: the capabilities `GET /platforms` lists. */
export interface ChannelCapabilities {
  platform: Platform;
  name: string;
  /** Orders listed by polling the platform's API. */
  pull: boolean;
  /** Changes pushed to `POST /webhooks/{platform}/{shopId}` (`http`), through a message channel, or none. */
  push: 'http' | 'message_channel' | 'none';
  /** How changes arrive besides polling, in words. */
  pushChannel?: string;
  /** Tracking numbers uploaded when a parcel leaves. */
  shipConfirm: boolean;
  /** Sellable quantities uploaded (inventory sync). */
  stockUpload: boolean;
  /** After-sales cases captured (docs/after-sales.md). */
  afterSales: boolean;
  /**
   * Where the cases come from: the platform's after-sales API, the after-sales markers on its
   * orders (the facts name no case API), a report (Amazon's returns report), the store's own case
   * push (an own store), or nowhere (the platform offers none we know of).
   */
  afterSalesSource: AfterSalesSource;
  /**
   * The seller's agreement or refusal takes effect through an API (the platform's; for an own
   * store, the payment channel's refund), else in the platform's back office.
   */
  afterSalesAnswers: boolean;
  /** Credential fields a shop of this platform must have. */
  requiredCredentials: string[];
}

export const AFTER_SALES_SOURCES = ['case_api', 'order', 'report', 'push', 'none'] as const;
export type AfterSalesSource = (typeof AFTER_SALES_SOURCES)[number];

/**
 * Cases that come neither through an after-sales API nor on the orders: Amazon's from its returns
 * report (the shop sync reads it; refunds go out by feed, there is no agree or refuse), an own
 * store's from its case push (the ERP decides, and refunds through Alipay or WeChat Pay).
 */
const OTHER_CASES: Partial<Record<Platform, { source: AfterSalesSource; answers: boolean }>> = {
  amazon: { source: 'report', answers: false },
  own: { source: 'push', answers: true },
};

function afterSalesOf(platform: Platform) {
  const other = OTHER_CASES[platform];
  if (other) return { afterSales: true, afterSalesSource: other.source, afterSalesAnswers: other.answers };
  return {
    afterSales: hasAfterSalesApi(platform),
    afterSalesSource: hasOrderMarkedAfterSales(platform)
      ? ('order' as const)
      : hasAfterSalesApi(platform)
        ? ('case_api' as const)
        : ('none' as const),
    afterSalesAnswers: answersThroughApi(platform),
  };
}

/** Platforms whose message channel is a service of their own (TOP TMC, PDD PMC). */
const MESSAGE_CHANNELS: readonly Platform[] = ['taobao', 'tmall', 'pdd'];

export function channelCapabilities(): ChannelCapabilities[] {
  return PLATFORMS.map((platform) => {
    const http = webhookParserFor(platform) !== undefined;
    const channel = PUSH_CHANNEL[platform];
    return {
      platform,
      name: PLATFORM_NAMES[platform],
      pull: hasPullApi(platform),
      push: http ? 'http' : MESSAGE_CHANNELS.includes(platform) ? 'message_channel' : 'none',
      ...(channel ? { pushChannel: channel } : {}),
      // Every adapter uploads tracking numbers; an own store is told through its fulfilment callback.
      shipConfirm: hasPullApi(platform) || platform === 'own',
      stockUpload: hasStockApi(platform),
      ...afterSalesOf(platform),
      requiredCredentials: [...REQUIRED_CREDENTIALS[platform]],
    };
  });
}
