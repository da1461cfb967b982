import type { CarrierCode } from '../../domain/carriers/codes.js';
import type { ServiceCoverage } from '../../domain/carriers/reachability.js';
import type { TrackingSnapshot } from '../../domain/carriers/tracking.js';

/**
 * What the shipment workflow calls to get a waybill and follow the parcel. Adapters speak each
 * service's real wire format; only `baseUrl` tells the real endpoint from the sandbox simulator.
 */

export interface CarrierHttpOptions {
  baseUrl: string;
  /** Injected for tests; defaults to global fetch. */
  fetch?: typeof fetch;
  now?: () => Date;
  /** Request timeout in ms (default 15 s). */
  timeoutMs?: number;
}

export interface PostalAddress {
  province: string;
  city: string;
  district: string;
  town?: string;
  detail: string;
}

export interface WaybillContact {
  name: string;
  phone: string;
  company?: string;
  address: PostalAddress;
}

/**
 * The receiver as the order has it. A protected Taobao/Tmall receiver travels as its OAID and the
 * order id (Cainiao decrypts it inside the waybill service); carriers without that ability need
 * the decrypted receiver.
 */
export type WaybillReceiver =
  | ({ protected: false } & WaybillContact)
  | {
      protected: true;
      oaid: string;
      /** The Taobao order id (tid) the OAID belongs to, as a string: it exceeds 2^53. */
      tid: string;
      /** Region stays in plaintext on protected orders. */
      address: Pick<PostalAddress, 'province' | 'city' | 'district' | 'town'>;
    }
  /**
   * A PDD or Douyin receiver as the order carries it: name, phone and detailed address still the
   * platform's ciphertext. The platform's own e-waybill takes them as they are and decrypts inside
   * the service.
   */
  | {
      protected: 'ciphertext';
      /** Whose ciphertext it is (absent: PDD, as recorded before Douyin's e-waybill). */
      platform?: SealingPlatform;
      /** The platform order number the ciphertext is bound to. */
      orderSn: string;
      name: string;
      phone: string;
      detail: string;
      address: Pick<PostalAddress, 'province' | 'city' | 'district' | 'town'>;
    };

export interface WaybillItem {
  name: string;
  quantity: number;
}

export interface WaybillRequest {
  /**
   * Our idempotency key, derived from the shipment id (`waybillRequestId`). Repeating a request
   * with the same id returns the waybill issued the first time.
   */
  requestId: string;
  carrier: CarrierCode;
  sender: WaybillContact;
  receiver: WaybillReceiver;
  parcel: {
    weightG: number;
    lengthMm?: number;
    widthMm?: number;
    heightMm?: number;
    items: WaybillItem[];
  };
  /** Platform order ids shipped in this parcel (merged orders give several). */
  orderIds: string[];
  /** Cainiao `order_channels_type`: TB, TM, PDD, JD, DY, OTHERS (❓ API-FACTS §10). */
  orderChannel?: string;
  /** Monthly account (月结卡号 / customer_code) when the seller has one with this carrier. */
  monthlyAccount?: string;
  /** The carrier's product: SF `expressTypeId`, Cainiao `product_code`. */
  serviceType?: string;
  /** The branch (网点) whose waybill balance pays: Cainiao `shipping_branch_code`. */
  branchCode?: string;
  remark?: string;
}

export interface PrintData {
  /** Whatever the service returned for printing, verbatim (Cainiao print_data, SF route label). */
  raw: string;
  /** Contents of the QR code the carrier wants on the label, when it has one. */
  qrCode?: string;
  /** True when the print data is encrypted for the carrier's own print component. */
  encrypted: boolean;
  templateUrl?: string;
}

export interface Waybill {
  carrier: CarrierCode;
  trackingNumber: string;
  requestId: string;
  provider: WaybillProviderName;
  /** Sort codes printed large on the label: origin and destination (SF city codes, Cainiao 三段码). */
  originCode?: string;
  destinationCode?: string;
  /** Cainiao 三段码 / SF destRouteLabel: the sorting code for the destination hub. */
  sortCode?: string;
  printData?: PrintData;
  /** The shop's waybill account that issued it (cancelled through the same account). */
  accountId?: string;
}

/**
 * A return waybill the seller issues for an after-sales case: the carrier collects the parcel at
 * the buyer's (`buyer`, the sender) and brings it to the seller's return address (`returnTo`), at
 * the seller's cost (`monthlyAccount`).
 */
export interface ReturnWaybillRequest {
  /** Our idempotency key, derived from the case (`returnWaybillRequestId`). */
  requestId: string;
  carrier: CarrierCode;
  /** Where the courier picks the parcel up: the buyer, in plaintext. */
  buyer: WaybillContact;
  returnTo: WaybillContact;
  parcel: { weightG: number; items: WaybillItem[] };
  /** The platform order the goods were sold on (Cainiao trade_order_list). */
  orderIds: string[];
  monthlyAccount?: string;
  serviceType?: string;
  remark?: string;
}

export interface CancelWaybillRequest {
  carrier: CarrierCode;
  trackingNumber: string;
  requestId: string;
}

export type WaybillProviderName = 'sf' | 'cainiao' | 'pdd' | 'douyin';

/** The platforms whose ciphertext receivers their own e-waybill services open. */
export type SealingPlatform = 'pdd' | 'douyin';

export interface WaybillProvider {
  readonly name: WaybillProviderName;
  supports(carrier: CarrierCode): boolean;
  /** Idempotent by `requestId`. Throws RequestRejectedError when the service refuses the order. */
  createWaybill(request: WaybillRequest): Promise<Waybill>;
  /** Idempotent: cancelling an already cancelled waybill succeeds. A collected parcel cannot be cancelled. */
  cancelWaybill(request: CancelWaybillRequest): Promise<void>;
  /**
   * Issues a return waybill through the service's return product (SF 退货下单, Cainiao door
   * pick-up), where it has one. Idempotent by `requestId`.
   */
  createReturnWaybill?(request: ReturnWaybillRequest): Promise<Waybill>;
  /**
   * Asks the service whether it delivers to an address (SF 订单筛选), where it has such a call.
   * Reads only; a service that cannot tell answers `unknown`.
   */
  coverage?(query: CoverageQuery): Promise<ServiceCoverage>;
}

/** An address to screen (筛单): the region, and the street only when the order holds it in plaintext. */
export interface CoverageQuery {
  carrier: CarrierCode;
  /** Our key for the question (the order id): SF wants an orderId on every screening. */
  reference: string;
  destination: { country: string; province: string; city: string; district: string; detail?: string };
  origin?: { province: string; city?: string };
}

export interface TrackingQuery {
  carrier: CarrierCode;
  trackingNumber: string;
  /** Receiver's phone: SF and some others only show routes with it (last four digits suffice). */
  phone?: string;
}

export interface TrackingSubscription extends TrackingQuery {
  /** Where the service posts updates (our webhook). */
  callbackUrl: string;
}

export type TrackingProviderName = 'kuaidi100' | 'kdniao' | 'sf';

/** What a tracking push carried once its signature checked out, and what to answer. */
export interface TrackingPush {
  snapshots: TrackingSnapshot[];
  /** The body the service expects back (JSON). */
  reply: string;
  /** The service gave up following the parcel (Kuaidi100 `abort`): subscribe again later. */
  resubscribe?: boolean;
}

/** What the webhook route knows of a push besides its raw body. */
export interface PushRequest {
  /** The query string: SF's push URL carries our token there. */
  query?: Readonly<Record<string, string | undefined>>;
  contentType?: string;
}

export interface TrackingProvider {
  readonly name: TrackingProviderName;
  supports(carrier: CarrierCode): boolean;
  query(query: TrackingQuery): Promise<TrackingSnapshot>;
  /** Asks the service to push updates. Subscribing twice is not an error. */
  subscribe?(subscription: TrackingSubscription): Promise<void>;
  /**
   * Verifies and reads a push (the raw body the service posted). Throws WebhookSignatureError
   * on a bad signature or token, PushPayloadError on a body that is not the service's format;
   * answer either with `pushRejectionReply`.
   */
  parsePush?(rawBody: string, request?: PushRequest): TrackingPush;
  pushRejectionReply?(reason: string): string;
}

export { waybillRequestId } from '../../domain/carriers/waybill-id.js';
