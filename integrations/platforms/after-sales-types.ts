import type { AfterSaleKind } from '../../domain/after-sales.js';
import type { Platform } from '../../domain/platforms.js';

/** A replacement's receiver as an exchange names it, in plain (PDD's exchange address fields). */
export interface ExchangeReceiver {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
}

/**
 * A platform's after-sales case in our vocabulary (docs/after-sales.md, "Platforms"): what the
 * buyer asked, where the platform says it stands, the version the platform checks on every write
 * (Taobao `refund_version`, Douyin `update_time`, JD `sysVersion`), and the platform's deadlines.
 */
export interface PlatformCase {
  platformCaseId: string;
  platformOrderId: string;
  kind: AfterSaleKind;
  /** Where the platform says the case stands. */
  status: PlatformCaseStatus;
  /** The platform's own status word, kept for people and the timeline. */
  platformStatus: string;
  amountFen: number;
  /** The currency of `amountFen`'s minor unit where the platform names one (Shopee); else CNY. */
  currency?: string;
  reason: string;
  /** The order lines (platform line ids) the case names; empty: the whole order. */
  lineIds: string[];
  /** Whether any goods of the order had left when the buyer asked (refund before / after shipment). */
  shipped: boolean;
  /**
   * The seller answers this case on the platform after shipment as well (Shopee returns, Shopify
   * return requests): the case waits for a decision instead of handing over to a person.
   */
  answersAfterShipment?: boolean;
  /** The platform's optimistic version, sent back on every write. */
  version?: string;
  /** The seller must answer by then, or the platform decides for the buyer. */
  sellerDeadline?: string;
  /** The buyer must act by then (e.g. send the goods back), or the case closes. */
  buyerDeadline?: string;
  /**
   * A return the platform wants told when the goods are back at the seller's warehouse (JD
   * `asc.receive.register`): the case waits for the warehouse's receipt and, where the shop's rule
   * says so, tells the platform (`returnReceived`), which then refunds the buyer.
   */
  receivedByApi?: boolean;
  /**
   * The platform's goods-received call says what came back and in which state, and moves no money
   * (Shopify `reverseFulfillmentOrderDispose`: RESTOCKED / NOT_RESTOCKED per line): damaged goods are
   * told as such instead of going to a person, no finance approval comes first, and the refund
   * follows as the platform reports it (the merchant's, as before).
   */
  receiptMovesNoMoney?: boolean;
  /**
   * The latest offer of a partial refund on the platform (Shopee `negotiation`): who made it (the
   * buyer, or the seller — us or a person in Seller Centre) and for how much (minor units).
   */
  offer?: { by: 'buyer' | 'seller'; amountFen: number; solution: string };
  /** The buyer's parcel back as the platform has it (company name and number), once sent. */
  buyerReturn?: { company: string; trackingNo: string };
  /**
   * An exchange answered through the platform: where it stands — waiting for the seller's answer,
   * for the buyer's parcel back, for the seller to confirm it, for the replacement, with the buyer,
   * or ended.
   */
  exchangeStep?: 'requested' | 'returning' | 'returned' | 'to_ship' | 'shipped' | 'ended';
  /**
   * An exchange for another SKU (Tmall `bought_sku` ≠ `exchange_sku`), in the platform's words: a
   * person names the replacement SKU when agreeing.
   */
  skuSwap?: {
    bought: string;
    wanted: string;
    /** How many of the wanted SKU the exchange names (PDD `exchange_goods_number`), where it says. */
    quantity?: number;
  };
  /**
   * Where an exchange answered through the platform goes otherwise than Tmall's (Douyin 抖店,
   * docs/after-sales.md "Douyin exchanges"): `refuse` — the platform takes a refusal by API (operate
   * 302); `buyerWaybill: false` — the platform shows no buyer's waybill back, so the warehouse
   * receives the parcel by the case id; `receiptWithShipment` — the call naming the replacement's
   * waybill also confirms the goods back (operate 311), so no confirmation goes first;
   * `agreedInBackOffice` — the platform takes no agreement (nor refusal, nor confirmation of the goods
   * back) by API, so a person answers the exchange in its back office while the case waits for the
   * buyer's parcel, receives it here and ships the replacement (PDD, "PDD exchanges"). Absent:
   * Tmall's way (refused in the back office, the waybill reported, confirmed, then consigned).
   * `refuseReceived` — the platform takes a refusal at second review, once the goods are back
   * (Douyin operate 312); `refundInstead` — the platform turns the exchange into a refund by API
   * (Douyin operate 321).
   */
  exchangeAnswers?: {
    refuse: boolean;
    buyerWaybill: boolean;
    receiptWithShipment: boolean;
    agreedInBackOffice?: boolean;
    refuseReceived?: boolean;
    refundInstead?: boolean;
  };
  /**
   * Where the replacement of an exchange goes, as the platform shows it in plain (PDD's
   * `exchange_receiver_*` / `merchant_exchange_detail_*`): the replacement ships there instead of
   * to the original order's receiver, which the platform may no longer decrypt after shipment.
   */
  exchangeReceiver?: ExchangeReceiver;
  /**
   * An Amazon return read from the returns report (docs/platforms/amazon-returns.md, "Following a
   * return"): what its latest rows say — Amazon's words, the day the parcel reached the seller, the
   * refunds shown (as written, a decimal in the row's currency). The case follows it.
   */
  returnReport?: {
    requestStatus: string | null;
    resolution: string | null;
    deliveredAt: string | null;
    refunded: Array<{ merchantSku: string; amount: string; currency: string | null }>;
  };
  createdAt: string;
  modifiedAt: string;
}

/**
 * `open`: waits for the seller; `agreed`: the seller agreed, the platform is moving the money;
 * `waiting_buyer`: the buyer must act; `refunded`: the money went back; `refused`: the seller
 * refused; `closed`: the buyer withdrew or let it lapse.
 */
export type PlatformCaseStatus = 'open' | 'agreed' | 'waiting_buyer' | 'refunded' | 'refused' | 'closed';

/** What the platform answered to a write: taken, or why not (kept on the case's timeline). */
export type PlatformWriteResult =
  | { outcome: 'done'; code?: string; message?: string }
  /** The platform had already taken it (a retry, or a person did it in the back office). */
  | { outcome: 'already'; status: PlatformCaseStatus }
  /** The platform offers no such write for this case (e.g. refusing a refund before shipment). */
  | { outcome: 'not_offered'; message: string }
  /** The platform refused the write (stale version, status changed): a person looks. */
  | { outcome: 'rejected'; code: string; message: string };

/** The replacement's parcel as the platform is told it: our carrier code, its Chinese name, the number. */
export interface ExchangeParcel {
  trackingNo: string;
  companyName: string;
  /** Our carrier code (`ZTO`, …), for platforms that name carriers by a code list of their own (Douyin). */
  carrierCode?: string;
}

/** What the warehouse found in a return parcel, as the platform's goods-received call is told it. */
export interface ReturnedGoods {
  units: number;
  /** Per order line (platform line id): units back on the shelf, units written off as damaged. */
  lines?: ReadonlyArray<{ lineId: string; restock: number; writeOff: number }>;
}

export interface CaseRef {
  platformCaseId: string;
  platformOrderId: string;
}

/** The after-sales side of one shop's platform API. */
export interface AfterSalesApi {
  readonly platform: Platform;
  /** The case as the platform has it now (TOP `taobao.refund.get`, PDD `pdd.refund.information.get`, …). */
  getCase(ref: CaseRef): Promise<PlatformCase>;
  /** Agrees the buyer's refund for this amount (fen); the platform moves the money. */
  agree(current: PlatformCase, amountFen: number): Promise<PlatformWriteResult>;
  /** Refuses the buyer's request with the seller's reason. */
  refuse(current: PlatformCase, reason: string): Promise<PlatformWriteResult>;
  /**
   * Asks the platform to intercept the case's parcel with the carrier (the goods already left).
   * Absent where the platform offers no such call (the facts name none): a person asks the carrier.
   */
  intercept?(current: PlatformCase): Promise<PlatformWriteResult>;
  /**
   * Tells the platform the return's goods are back at the warehouse (JD `asc.receive.register`),
   * how many units, and that they were inspected as sold; the platform then refunds the buyer.
   * Absent where the facts name no such call, or the seller does it on the platform.
   */
  returnReceived?(current: PlatformCase, goods: ReturnedGoods): Promise<PlatformWriteResult>;
  /**
   * Exchanges answered through the platform (Tmall `tmall.exchange.*`): agree with the shop's
   * return address, confirm the returned goods, ship the replacement. Absent where the facts name
   * no such calls: a person answers exchanges in the back office.
   */
  exchange?: {
    agree(current: PlatformCase): Promise<PlatformWriteResult>;
    confirmReturned(current: PlatformCase): Promise<PlatformWriteResult>;
    /** `goods`: what the warehouse found in the parcel back, for platforms told it here (Shopify). */
    consign(
      current: PlatformCase,
      parcel: ExchangeParcel,
      goods?: ReturnedGoods,
    ): Promise<PlatformWriteResult>;
    /** Refuses the exchange once its goods are back (second review; Douyin operate 312). */
    refuseReceived?(current: PlatformCase, reason: string): Promise<PlatformWriteResult>;
    /** Turns the exchange into a refund the platform pays (Douyin operate 321). */
    refundInstead?(current: PlatformCase, reason: string): Promise<PlatformWriteResult>;
  };
}
