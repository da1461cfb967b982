import { PLATFORM_NAMES, PLATFORMS, type Platform } from '../../domain/platforms.js';
import { hasAfterSalesApi } from './after-sales.js';
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
  /** After-sales cases captured and answered through the platform's API. */
  afterSales: boolean;
  /** Credential fields a shop of this platform must have. */
  requiredCredentials: string[];
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
      afterSales: hasAfterSalesApi(platform),
      requiredCredentials: [...REQUIRED_CREDENTIALS[platform]],
    };
  });
}
