import { z } from 'zod';
import type { Platform } from './platforms.js';

/**
 * Whether an order may leave in more than one parcel (several warehouses, or part now and part
 * later), per platform and overridable per shop (docs/order-semantics.md, "Split shipments").
 *
 * - `auto`: the planner splits an order no single warehouse can ship whole, as it always did.
 * - `ask`: such an order is held for a person, who splits it (ship what each warehouse holds now)
 *   or waits for stock to ship it together.
 * - `never`: held likewise, and only waiting (or changing the order) is offered: the platform
 *   cannot take a second parcel for the order.
 */
export const SPLIT_SHIPMENT_MODES = ['auto', 'ask', 'never'] as const;
export const SplitShipmentModeSchema = z.enum(SPLIT_SHIPMENT_MODES, {
  message: `must be one of ${SPLIT_SHIPMENT_MODES.join(', ')}`,
});
export type SplitShipmentMode = z.infer<typeof SplitShipmentModeSchema>;

export interface PlatformSplitShipments {
  /** The platform takes the parcels of one order one by one, each with its own tracking number. */
  takes: boolean;
  /** How a parcel carrying part of an order is confirmed (or why it cannot be). */
  how: string;
}

/** What each platform's ship confirmation can do with a parcel carrying part of an order. */
export const PLATFORM_SPLIT_SHIPMENTS: Record<Platform, PlatformSplitShipments> = {
  taobao: {
    takes: true,
    how: 'taobao.logistics.offline.send per parcel with sub_tid (the parcel’s sub-orders) and is_split=1',
  },
  tmall: {
    takes: true,
    how: 'taobao.logistics.offline.send per parcel with sub_tid (the parcel’s sub-orders) and is_split=1',
  },
  jd: {
    takes: false,
    how: 'jingdong.pop.order.shipment ships the whole order once; several numbers go in one logiNo, so a later parcel cannot be added',
  },
  pdd: {
    takes: false,
    how: 'pdd.logistics.online.send has no per-line form; a second call (redelivery_type 2) replaces the first parcel’s number',
  },
  douyin: {
    takes: true,
    how: '/order/logisticsAddMultiPack, one pack naming the parcel’s sku orders',
  },
  shopee: {
    takes: false,
    how: 'v2.order.split_order into packages (assumed: the shop must be allowed to split), then v2.logistics.ship_order per package_number',
  },
  amazon: {
    takes: true,
    how: 'confirmShipment per parcel naming its orderItems',
  },
  shopify: {
    takes: true,
    how: 'a fulfillment per parcel naming its fulfillment order line items',
  },
  woocommerce: {
    takes: false,
    how: 'WooCommerce core has no shipment tracking: the first parcel completes the order and a later one is refused',
  },
  kuaishou: {
    takes: false,
    how: 'an order is one SKU line and open.seller.order.goods.deliver ships it once; a further parcel (open.seller.order.goods.logistics.append) is not supported here',
  },
  lazada: {
    takes: true,
    how: 'pack and ready-to-ship per parcel naming its order items (one per unit), each with its tracking number',
  },
  tiktok: {
    takes: true,
    how: 'one package per parcel (/fulfillment/202309/orders/{id}/packages) naming its line items (one per unit), each with its tracking number',
  },
  xiaohongshu: {
    takes: true,
    how: 'order.orderDeliver per parcel, a part of the order as 拆包发货 (unpack) naming its skuIdList',
  },
  wechat_shop: {
    takes: true,
    how: '/order/delivery/send per parcel naming its products (product_id, sku_id, count), each with its waybill',
  },
  ebay: {
    takes: true,
    how: 'a shipping fulfillment per parcel naming its line items and their quantities, each with its tracking number',
  },
  walmart: {
    takes: true,
    how: 'a shipping update per parcel naming its order lines, each with its tracking number (after the order is acknowledged)',
  },
  mercadolibre: {
    takes: false,
    how: 'an order has one shipment, which takes one tracking number (custom shipping) or is Mercado Envios’ own',
  },
  youzan: {
    takes: true,
    how: 'a logistics confirmation per parcel naming its order lines (oids), each with its tracking number',
  },
  aliexpress: {
    takes: true,
    how: 'a first parcel as a part shipment, the next one completes the order (AliExpress names no lines per parcel)',
  },
  weidian: {
    takes: true,
    how: 'a delivery per parcel naming its sub-orders, each with its tracking number (parameters unconfirmed)',
  },
  alibaba_1688: {
    takes: true,
    how: 'a delivery per parcel naming its sub-orders (whole sub-orders: 1688 does not ship by quantity)',
  },
  temu: {
    takes: true,
    how: 'a shipment confirmation per parcel naming its sub-orders (bg.logistics.shipment.confirm)',
  },
  dewu: {
    takes: false,
    how: 'one parcel per order: a Dewu order is one SKU, shipped with one tracking number',
  },
  vip: {
    takes: false,
    how: 'ship takes an order whole, once (a later parcel of the same order is not described)',
  },
  own: {
    takes: true,
    how: 'the store’s fulfilment callback per parcel, naming its lines',
  },
};

export interface SplitShipmentPolicy {
  platform: Platform;
  mode: SplitShipmentMode;
  /** Where the mode came from: the platform's default, or the shop's `splitShipments` setting. */
  source: 'platform' | 'shop';
  how: string;
}

/** The mode for a shop: its `splitShipments` setting when valid, else the platform's default. */
export function splitShipmentPolicy(
  platform: Platform,
  settings: Record<string, unknown> | null | undefined,
): SplitShipmentPolicy {
  const capability = PLATFORM_SPLIT_SHIPMENTS[platform];
  const set = SplitShipmentModeSchema.safeParse(settings?.splitShipments);
  if (set.success) return { platform, mode: set.data, source: 'shop', how: capability.how };
  return { platform, mode: capability.takes ? 'auto' : 'never', source: 'platform', how: capability.how };
}

/** The adapter may confirm a parcel carrying part of an order (Shopee: split the order first). */
export function takesSplitShipments(policy: SplitShipmentPolicy): boolean {
  return policy.mode !== 'never';
}

/** Why the planner holds instead of splitting, in words for the person deciding. */
export function splitHoldDetail(policy: SplitShipmentPolicy, planReason: string): string {
  const whose = policy.source === 'shop' ? 'the shop’s setting' : `${policy.platform}’s default`;
  const mode =
    policy.mode === 'never'
      ? `${policy.platform} orders of this shop cannot ship in several parcels (${whose}: ${policy.how})`
      : `this shop splits ${policy.platform} orders only when a person says so (${whose})`;
  return `${planReason}. Not split: ${mode}`;
}

export function splitHoldMessage(policy: SplitShipmentPolicy): string {
  const wait =
    'approve (split "wait") to wait for stock so one warehouse ships the whole order together — it resumes by itself when stock arrives';
  return policy.mode === 'never'
    ? `${wait}; to split anyway, set the shop’s splitShipments to "ask" when the platform takes it (e.g. Shopee split_order enabled for the shop), then approve with split "split"`
    : `${wait}, or approve with split "split" to ship what each warehouse holds now as separate parcels`;
}
