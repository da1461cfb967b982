import type { NormalizedOrder, Receiver } from '../../domain/order.js';
import type { PlatformGateway } from '../fulfilment.js';
import type { PlatformAdapter, ShipmentConfirmation } from './types.js';

/**
 * The platform side of fulfilment over the adapters: `adapterFor(shopId)` builds the shop's adapter
 * (credentials, endpoint); a shop without one — a seller's own store pushes orders but has no API
 * for us to call — gets `unsupported` for ship confirmation and keeps its plaintext receiver.
 */
export function createPlatformGateway(
  adapterFor: (shopId: string) => Promise<PlatformAdapter | undefined>,
): PlatformGateway {
  return {
    async confirmShipment(shopId: string, confirmation: ShipmentConfirmation) {
      const adapter = await adapterFor(shopId);
      if (!adapter) return 'unsupported';
      await adapter.confirmShipment(confirmation);
      return 'confirmed';
    },
    async decryptReceiver(
      shopId: string,
      order: Pick<NormalizedOrder, 'platform' | 'shopId' | 'platformOrderId' | 'receiver'>,
    ): Promise<Receiver> {
      const adapter = await adapterFor(shopId);
      if (!adapter) return order.receiver;
      return adapter.decryptReceiver(order as NormalizedOrder);
    },
  };
}
