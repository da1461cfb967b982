import type { NormalizedOrder, Receiver } from '../../domain/order.js';
import type { PlatformDelivery } from '../../domain/platform-logistics.js';
import { ShipmentUnsupportedError } from './errors.js';
import type {
  PlatformAdapter,
  PlatformLogisticsRequest,
  PlatformLogisticsResult,
  ReceiverCiphertext,
  ShipmentConfirmation,
  ShipmentUploadOutcome,
} from './types.js';

/**
 * The platform side of shipping: upload a tracking number to the order's platform, and get a
 * plaintext receiver for a carrier that cannot take the platform's protected one. Built from the
 * platform adapters; `unsupported` when the channel has no such API (a seller's own store).
 */
export interface PlatformGateway {
  /** `unsupported` carries the reason: the channel has no shipping API, or cannot take this parcel. */
  confirmShipment(shopId: string, confirmation: ShipmentConfirmation): Promise<ShipmentUploadOutcome>;
  decryptReceiver(
    shopId: string,
    order: Pick<NormalizedOrder, 'platform' | 'shopId' | 'platformOrderId' | 'receiver'>,
  ): Promise<Receiver>;
  /** The receiver as the platform's ciphertext, for its own e-waybill; undefined where it has none (PDD and Douyin have). */
  receiverCiphertext(
    shopId: string,
    order: Pick<NormalizedOrder, 'platform' | 'shopId' | 'platformOrderId' | 'receiver'>,
  ): Promise<ReceiverCiphertext | undefined>;
  /** Ships a parcel through the platform's own logistics (Shopee); undefined where the adapter has none. */
  shipThroughPlatform(
    shopId: string,
    request: PlatformLogisticsRequest,
  ): Promise<PlatformLogisticsResult | undefined>;
  /** Where a platform-carried parcel stands after handover; undefined where the adapter cannot say. */
  platformDelivery(
    shopId: string,
    request: { platformOrderId: string; packageNumber?: string },
  ): Promise<PlatformDelivery | undefined>;
}

/** Whatever takes a shop's ship confirmations: its platform adapter, or an own store's callback. */
export type ShipmentChannel = Pick<PlatformAdapter, 'confirmShipment'>;

/** For a shop without a platform adapter: the channel that takes its ship confirmations, or why none does. */
export type ShipmentChannelResolver = (shopId: string) => Promise<ShipmentChannel | { unsupported: string }>;

const NO_CHANNEL: ShipmentChannelResolver = async () => ({
  unsupported: 'the channel has no shipping API; the seller updates it themselves',
});

/**
 * The platform side of fulfilment over the adapters: `adapterFor(shopId)` builds the shop's adapter
 * (credentials, endpoint). A shop without one asks `channelFor`: an own store with a fulfilment
 * callback URL is told through it; anything else is `unsupported`, with the reason, as is a
 * confirmation the platform's API cannot take (ShipmentUnsupportedError). A shop without an adapter
 * keeps its plaintext receiver.
 */
export function createPlatformGateway(
  adapterFor: (shopId: string) => Promise<PlatformAdapter | undefined>,
  channelFor: ShipmentChannelResolver = NO_CHANNEL,
): PlatformGateway {
  return {
    async confirmShipment(
      shopId: string,
      confirmation: ShipmentConfirmation,
    ): Promise<ShipmentUploadOutcome> {
      const channel = (await adapterFor(shopId)) ?? (await channelFor(shopId));
      if ('unsupported' in channel) return { outcome: 'unsupported', reason: channel.unsupported };
      try {
        await channel.confirmShipment(confirmation);
      } catch (err) {
        if (err instanceof ShipmentUnsupportedError) return { outcome: 'unsupported', reason: err.message };
        throw err;
      }
      return { outcome: 'confirmed' };
    },
    async decryptReceiver(
      shopId: string,
      order: Pick<NormalizedOrder, 'platform' | 'shopId' | 'platformOrderId' | 'receiver'>,
    ): Promise<Receiver> {
      const adapter = await adapterFor(shopId);
      if (!adapter) return order.receiver;
      return adapter.decryptReceiver(order as NormalizedOrder);
    },
    async receiverCiphertext(
      shopId: string,
      order: Pick<NormalizedOrder, 'platform' | 'shopId' | 'platformOrderId' | 'receiver'>,
    ): Promise<ReceiverCiphertext | undefined> {
      const adapter = await adapterFor(shopId);
      return adapter?.receiverCiphertext?.(order as NormalizedOrder);
    },
    async shipThroughPlatform(shopId, request) {
      const adapter = await adapterFor(shopId);
      return adapter?.shipThroughPlatform?.(request);
    },
    async platformDelivery(shopId, request) {
      const adapter = await adapterFor(shopId);
      return adapter?.platformDelivery?.(request);
    },
  };
}
