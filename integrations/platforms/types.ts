import type { CarrierCode } from '../../domain/carriers/codes.js';
import type { NormalizedOrder, Receiver } from '../../domain/order.js';
import type { PlatformCarrierCodes } from '../../domain/platform-carrier-codes.js';
import type { PlatformDelivery } from '../../domain/platform-logistics.js';
import type { Platform } from '../../domain/platforms.js';

/**
 * The contract every marketplace / store adapter fulfils. Adapters speak the platform's real wire
 * format (paths, parameter names, signing) and return our unified model; the same code runs
 * against the real endpoint or the sandbox simulator — only `baseUrl` differs.
 */

export interface ShopCredentials {
  appKey: string;
  appSecret: string;
  accessToken?: string;
  refreshToken?: string;
  /** ISO time the access token expires, when the platform says. */
  accessTokenExpiresAt?: string;
  /** Platform-specific extras (Amazon marketplaceId, Shopee partner_id, webhook secret, …). */
  extra?: Record<string, string>;
}

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  accessTokenExpiresAt?: string;
}

export interface AdapterContext {
  /** Our shop id. */
  shopId: string;
  /** The shop's id on the platform (Taobao seller nick, PDD mall id, Shopee shop_id, …). */
  platformShopId: string;
  baseUrl: string;
  credentials: ShopCredentials;
  /**
   * The shop takes parcels carrying part of an order (its split-shipment mode is not `never`,
   * domain/split-shipments.ts). Shopee then splits the order into packages before shipping one.
   */
  splitShipments?: boolean;
  /** The shop's codes for our carriers on its platform (settings.platformCarrierCodes). */
  carrierCodes?: PlatformCarrierCodes;
  /** Injected for tests and simulators; defaults to global fetch. */
  fetch?: typeof fetch;
  now?: () => Date;
  /** Called after a token refresh so the new tokens can be stored (encrypted) for the shop. */
  onTokensRefreshed?: (tokens: TokenSet) => Promise<void>;
  /** Request timeout in ms (default 15 s). */
  timeoutMs?: number;
}

export interface PlatformLimits {
  /** Longest modified-time window one list call accepts (e.g. PDD 30 min, Shopee 15 days). */
  maxWindowSeconds: number;
  maxPageSize: number;
  /** How far back the platform lets us list at all (Taobao: 3 months). */
  maxLookbackDays?: number;
}

export interface ListWindow {
  from: Date;
  to: Date;
  /** Opaque cursor from the previous page of the same window. */
  cursor?: string | null;
}

export interface OrderPage {
  orders: NormalizedOrder[];
  nextCursor: string | null;
}

export interface ShipmentConfirmation {
  platformOrderId: string;
  carrier: CarrierCode;
  trackingNumber: string;
  shippedAt: Date;
  /** Platform line ids shipped in this parcel, when the order is split across parcels. */
  lineIds?: string[];
  /**
   * Units of each platform line in this parcel, when it carries less than the whole order (some
   * lines, or part of a line's units: a line split over parcels by weight). Platforms that fulfil
   * by quantity (Shopify) confirm exactly these; the others go by `lineIds`.
   */
  lines?: Array<{ lineId: string; quantity: number }>;
}

/** How a parcel reaches the platform's logistics: collected at the seller's, or dropped at a branch. */
export type PlatformShipMethod = 'pickup' | 'dropoff' | 'non_integrated';

/** A shop's choices for its platform-logistics parcels (shop setting `platformLogistics`). */
export interface PlatformLogisticsPreference {
  /** Methods the shop uses, in its order of preference (default pickup, then dropoff). */
  methods: Array<Exclude<PlatformShipMethod, 'non_integrated'>>;
  pickupAddressId?: string;
  dropoffBranchId?: string;
  /** Some dropoff channels ask for the sender's real name. */
  senderRealName?: string;
  /** The shipping document asked for (Shopee `THERMAL_AIR_WAYBILL`, 100×150 thermal, by default). */
  documentType: string;
}

export interface PlatformLogisticsRequest {
  platformOrderId: string;
  /** Platform line ids in this parcel, when it carries part of the order. */
  lineIds?: string[];
  preference: PlatformLogisticsPreference;
}

/**
 * What arranging a parcel with the platform's logistics came to. Refusals (the order is not ready
 * to ship, the method is not allowed, the address is not served) throw RequestRejectedError with
 * the platform's code and words.
 */
export type PlatformLogisticsResult =
  /** The order's channel takes only the seller's own carrier: choose one as usual. */
  | { kind: 'own_carrier'; reason: string }
  /** Arranged; the channel has not issued the tracking number yet (ask again later). */
  | { kind: 'pending'; method: string; packageNumber?: string; hint?: string }
  | {
      kind: 'shipped';
      /** How it was arranged (`pickup from address 2001, slot …`), or `arranged earlier` on a retry. */
      method: string;
      trackingNumber: string;
      packageNumber?: string;
      /** The carrier the platform put the parcel with, in its words (`Shopee Xpress`). */
      carrierName: string;
      /** The platform's shipping document (the label to print), or why there is none. */
      document: { pdf: Buffer } | { failed: string };
    };

/** What a ship confirmation came to: the platform has the number, or it cannot take it and why. */
export type ShipmentUploadOutcome = { outcome: 'confirmed' } | { outcome: 'unsupported'; reason: string };

export const REFUND_CASE_STATUSES = [
  'requested',
  'agreed',
  'returning',
  'refunded',
  'refused',
  'closed',
] as const;
export type RefundCaseStatus = (typeof REFUND_CASE_STATUSES)[number];

export interface RefundInfo {
  platformRefundId: string;
  platformOrderId: string;
  status: RefundCaseStatus;
  /** refund only, or return and refund. */
  kind: 'refund_only' | 'return_and_refund' | 'exchange';
  amountMinor: number;
  currency: string;
  reason?: string;
  lineIds?: string[];
  createdAt: string;
  modifiedAt: string;
}

export interface RefundPage {
  refunds: RefundInfo[];
  nextCursor: string | null;
}

/** A receiver's fields as the platform's ciphertext (bound to the order they came with). */
export interface ReceiverCiphertext {
  name: string;
  phone: string;
  detail: string;
}

export interface PlatformAdapter {
  readonly platform: Platform;
  readonly limits: PlatformLimits;
  /** Orders modified in [from, to): one page. Throws if the window exceeds `limits.maxWindowSeconds`. */
  listOrders(window: ListWindow): Promise<OrderPage>;
  getOrder(platformOrderId: string): Promise<NormalizedOrder>;
  /** Uploads the tracking number. Idempotent: already shipped with the same number counts as success. */
  confirmShipment(confirmation: ShipmentConfirmation): Promise<void>;
  listRefunds(window: ListWindow): Promise<RefundPage>;
  /** Plaintext receiver for a protected one (the platform's decrypt step). */
  decryptReceiver(order: NormalizedOrder): Promise<Receiver>;
  /**
   * The protected receiver's name, phone and detailed address as the platform's ciphertext, for
   * the platform's own e-waybill service, which decrypts inside itself (PDD). Nothing is decrypted.
   */
  receiverCiphertext?(order: NormalizedOrder): Promise<ReceiverCiphertext>;
  refreshAccessToken?(): Promise<TokenSet>;
  /**
   * Ships the parcel through the platform's own logistics (Shopee): arranges it, reads the
   * platform's tracking number and its shipping document. Idempotent: a parcel already arranged is
   * not arranged again.
   */
  shipThroughPlatform?(request: PlatformLogisticsRequest): Promise<PlatformLogisticsResult>;
  /**
   * Where a parcel the platform's logistics carries stands after handover (Shopee: the order's
   * status and its package's logistics status). Read only; safe to call again.
   */
  platformDelivery?(request: { platformOrderId: string; packageNumber?: string }): Promise<PlatformDelivery>;
}

/** What a platform push means, once its signature checked out. */
export type WebhookEvent =
  /** The push carried the whole order. */
  | { kind: 'order'; order: NormalizedOrder }
  /** The push only said the order changed; fetch it with `getOrder`. */
  | { kind: 'order_changed'; platformOrderId: string; modifiedAt?: string }
  | { kind: 'refund_changed'; platformOrderId: string; refund?: RefundInfo; platformRefundId?: string }
  /** A push we acknowledge but do not act on (pings, product changes). */
  | { kind: 'ignored'; reason: string };

export interface WebhookRequest {
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
  /** The public URL the platform posted to (Shopee signs it). */
  url: string;
}

export interface WebhookSecrets {
  appKey: string;
  appSecret: string;
  webhookSecret?: string;
}

/** Per-platform push handling: verify over the raw bytes, then parse. Throws WebhookSignatureError. */
export interface WebhookParser {
  readonly platform: Platform;
  parse(
    request: WebhookRequest,
    secrets: WebhookSecrets,
    shop: { shopId: string; platformShopId: string },
  ): WebhookEvent[];
}
