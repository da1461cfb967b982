import { z } from 'zod';
import { builtOnce } from './lazy/built-once.js';
import type { Platform } from './platforms.js';

/**
 * Platforms whose orders ship through the platform's own logistics rather than a carrier the
 * seller chooses: Shopee (SLS / SPX and the channels Shopee integrates) picks the carrier, issues
 * the tracking number and the shipping document. Other platforms keep the seller's carriers.
 */
export const PLATFORM_LOGISTICS: Partial<Record<Platform, { name: string }>> = {
  shopee: { name: 'Shopee logistics' },
};

/** The shipping-document types Shopee prints (100×150 thermal by default). */
export const SHIPPING_DOCUMENT_TYPES = [
  'THERMAL_AIR_WAYBILL',
  'NORMAL_AIR_WAYBILL',
  'THERMAL_JOB_AIR_WAYBILL',
  'NORMAL_JOB_AIR_WAYBILL',
  'THERMAL_UNPACKAGED_LABEL',
] as const;

/**
 * A shop's `settings.platformLogistics`: `false` ships its orders with the seller's own carriers
 * (carrier selection, as for any platform); an object (or nothing: the platform's default) ships
 * them through the platform's logistics with these choices.
 */
export const platformLogisticsSettingSchema = builtOnce(() =>
  z.union([
    z.literal(false),
    z
      .object({
        /** In order of preference; a method the order's channel does not allow is skipped. */
        methods: z
          .array(z.enum(['pickup', 'dropoff']))
          .min(1, 'must name pickup and/or dropoff')
          .max(2)
          .optional(),
        /** Shopee `address_id` (from get_shipping_parameter) to be collected from; default: the pickup address. */
        pickupAddressId: z.string().trim().min(1).max(40).optional(),
        /** Shopee `branch_id` to drop parcels at; default: the first branch offered. */
        dropoffBranchId: z.string().trim().min(1).max(40).optional(),
        /** The sender's real name, for dropoff channels that ask for it. */
        senderRealName: z.string().trim().min(1).max(100).optional(),
        documentType: z.enum(SHIPPING_DOCUMENT_TYPES).optional(),
      })
      .strict(),
  ]),
);
export type PlatformLogisticsSetting = z.infer<ReturnType<typeof platformLogisticsSettingSchema>>;

export interface PlatformLogisticsPolicy {
  platform: Platform;
  /** Where the choice came from: the platform's default, or the shop's setting. */
  source: 'platform' | 'shop';
  preference: {
    methods: Array<'pickup' | 'dropoff'>;
    pickupAddressId?: string;
    dropoffBranchId?: string;
    senderRealName?: string;
    documentType: string;
  };
}

/**
 * How a shop's parcels reach the buyer: through its platform's logistics (the policy), or null —
 * the seller's own carriers, chosen by rules. A setting that does not parse is ignored (the
 * platform's default stands); the shops API refuses it before it is stored.
 */
export function platformLogisticsPolicy(
  platform: Platform,
  settings: Record<string, unknown> | null | undefined,
): PlatformLogisticsPolicy | null {
  if (!PLATFORM_LOGISTICS[platform]) return null;
  const set = platformLogisticsSettingSchema().safeParse(settings?.platformLogistics);
  if (set.success && set.data === false) return null;
  const chosen = set.success && set.data !== false ? set.data : {};
  return {
    platform,
    source: set.success ? 'shop' : 'platform',
    preference: {
      methods: chosen.methods ?? ['pickup', 'dropoff'],
      ...(chosen.pickupAddressId ? { pickupAddressId: chosen.pickupAddressId } : {}),
      ...(chosen.dropoffBranchId ? { dropoffBranchId: chosen.dropoffBranchId } : {}),
      ...(chosen.senderRealName ? { senderRealName: chosen.senderRealName } : {}),
      documentType: chosen.documentType ?? 'THERMAL_AIR_WAYBILL',
    },
  };
}

/** The platform's logistics refused the parcel for good (its words): the shipment waits for a person. */
export const PLATFORM_LOGISTICS_REFUSED_FAILURE = 'Platform.LogisticsRefused';

export interface PlatformLogisticsRefusal {
  platform: string;
  platformOrderId: string;
  /** The platform's error code (`logistics.error_param`, `error_sign`), or ours (`several_orders`). */
  code: string | null;
  reason: string;
}

/** Arranged, but the platform has not issued the tracking number yet: the activity is tried again. */
export const TRACKING_NUMBER_PENDING_FAILURE = 'Platform.TrackingNumberPending';

/** What shipping a parcel through its platform's logistics came to. */
export type PlatformShipment =
  /** The shop (or the order's channel) ships with the seller's own carriers: choose one as usual. */
  | { kind: 'own_carrier'; reason: string }
  /** Arranged just now; the platform has not issued the tracking number yet (ask again with `arranged`). */
  | { kind: 'arranged'; method: string; hint?: string }
  | {
      kind: 'shipped';
      trackingNumber: string;
      /** The carrier in the platform's words (`Shopee Xpress`). */
      carrierName: string;
      /** How it was arranged (`pickup from address 2001, slot …`). */
      method: string;
      packageNumber?: string;
      /** `platform`: the label is the platform's shipping document; else why ours is printed. */
      document: string;
    };

/**
 * Where a parcel the platform's logistics carries stands, as the platform reports it after
 * handover (Shopee `get_order_detail`: the order's `order_status` and the package's
 * `logistics_status`). `delivered`: the buyer has it (`confirmed` once the buyer said so, or the
 * platform closed the order); `returning`: a return is under way, or the delivery failed and the
 * parcel comes back; `in_transit`: still on its way (or not yet collected).
 */
export interface PlatformDelivery {
  state: 'in_transit' | 'delivered' | 'returning';
  confirmed: boolean;
  /** The platform's words: `TO_CONFIRM_RECEIVE`, and the package's `LOGISTICS_PICKUP_DONE`. */
  orderStatus: string;
  logisticsStatus: string | null;
}
