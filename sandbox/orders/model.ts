import type { OrderType } from '../../domain/order.js';

/**
 * A platform-neutral order inside the simulators. Each simulator renders it in its platform's
 * own wire format (field names, money as yuan strings or fen, time formats, encrypted receivers).
 * Money is in the currency's minor unit.
 */
export type SimOrderStatus = 'unpaid' | 'deposit_paid' | 'paid' | 'shipped' | 'completed' | 'cancelled';

export interface SimOrderItem {
  lineId: string;
  platformSkuId: string;
  /** Seller's outer SKU code. */
  skuCode: string;
  title: string;
  /** e.g. "颜色:红色;尺码:M" */
  spec: string;
  quantity: number;
  unitPriceMinor: number;
  discountMinor: number;
  /** Tax charged on the line on top of its price (cross-border shops); none when absent. */
  taxMinor?: number;
}

export interface SimReceiver {
  name: string;
  phone: string;
  country: string;
  province: string;
  city: string;
  district: string;
  town?: string;
  detail: string;
  postalCode?: string;
}

export interface SimRefund {
  id: string;
  status: 'requested' | 'agreed' | 'returning' | 'refunded' | 'refused' | 'closed';
  kind: 'refund_only' | 'return_and_refund';
  amountMinor: number;
  reason: string;
  createdAt: Date;
  modifiedAt: Date;
  /** The lines the refund is for (platform refunds are per sub-order); absent: every line. */
  lineIds?: string[];
  /** The seller must answer by then, or the platform agrees for the buyer (after-sales deadlines). */
  sellerDeadline?: Date;
  /** The seller asked the platform to intercept the parcel with the carrier (once), and by which call. */
  intercept?: { at: Date; call: string };
  /** What the seller's agreement or refusal said, as the platform recorded it. */
  sellerAnswer?: { action: 'agree' | 'refuse'; amountMinor?: number; message?: string; at: Date };
  /** The return address the seller gave when agreeing a return (JD `asc.audit.send`). */
  returnAddress?: Record<string, string>;
  /**
   * The latest offer of a partial refund (Shopee `v2.returns.offer` / the buyer's counter-offer):
   * who made it, for how much, as which solution; `accepted` once the other party took it.
   */
  offer?: { by: 'buyer' | 'seller'; amountMinor: number; solution: string; at: Date; accepted?: Date };
  /** The buyer's parcel back, once sent (JD service orders and TOP refunds — `company_name`, `sid` — show it). */
  buyerReturn?: { company: string; trackingNo: string };
  /**
   * The seller registered the returned goods as received, by which call (JD `asc.receive.register`
   * with the units and their quality; Douyin operate 111; Taobao `taobao.rp.refunds.agree` after
   * the goods came back; PDD `pdd.nextone.logistics.warehouse.update`), once.
   */
  received?: {
    at: Date;
    wareNum?: number;
    qualityState?: string;
    call?: string;
    detail?: Record<string, string>;
  };
  /**
   * Shopify: what the seller disposed of the returned goods (`reverseFulfillmentOrderDispose`), per
   * line and call, in order.
   */
  dispositions?: Array<{ lineId: string; type: string; quantity: number; locationId?: string; at: Date }>;
  /**
   * Shopify: the items the buyer wants in exchange (`ExchangeLineItem`): each its own order line item
   * once processed (`lineItemId`), how many units, and how many `returnProcess` released.
   */
  exchangeItems?: Array<{
    id: string;
    lineItemId: string;
    skuCode: string;
    quantity: number;
    processed: number;
  }>;
  /** Shopify: units of each returned line `returnProcess` confirmed. */
  returnProcessed?: Record<string, number>;
  /** Shopify: the fulfillment of the exchange items' fulfillment order (the replacement's parcel). */
  exchangeShipment?: { trackingNumber: string; company: string; at: Date };
}

/**
 * An exchange on the order, with the platform's numeric status: Tmall 天猫换货 (AFTER-SALES-FACTS
 * §1.1: 1 换货待处理, 2 待买家退货, 3 买家已退货待收货, 4 换货关闭, 5 换货成功, 6 待买家修改,
 * 12 待发出换货商品, 13 待买家收货, 14 请退款) or Douyin 换货 (`aftersale_status`, §1.4: 6, 7, 11, 13,
 * 14, 12, 27, 28, 29).
 */
export interface SimExchange {
  /** `dispute_id`. */
  id: string;
  status: number;
  /** The sub-order (`SimOrderItem.lineId`) being exchanged. */
  lineId: string;
  num: number;
  reason: string;
  createdAt: Date;
  modifiedAt: Date;
  boughtSku?: string;
  exchangeSku?: string;
  /** The return address the seller named when agreeing (`address_id`). */
  addressId?: string;
  /** The buyer's parcel back, once sent. */
  buyerLogistic?: { name: string; no: string };
  /** The replacement parcel, once the seller shipped it. */
  sellerLogistic?: { name: string; no: string; type: string };
  timeOut?: Date;
  /**
   * Douyin `aftersale_type` of the case kept here: 3 换货 (the default) or 7 补寄 (the buyer asks for
   * a missing or broken item to be sent again; nothing goes back).
   */
  type?: 3 | 7;
  /** Douyin: the exchange was turned into a refund (321 换货转退款). */
  refunded?: boolean;
  /** Douyin: every write the platform took on the exchange, in order (the call and its item). */
  calls?: Array<{ call: string; at: Date; detail: Record<string, string> }>;
}

export interface SimShipment {
  carrierCode: string;
  /** The code the seller named the carrier by where the platform keeps a list (Amazon: a listed code, or `Other`). */
  listedAs?: string;
  trackingNumber: string;
  shippedAt: Date;
  /** The lines this parcel carried, when the order shipped in several (Douyin multi-pack). */
  lineIds?: string[];
  /**
   * Units of each line (by `lineId`) the parcel carried, where the platform fulfils quantities
   * (Shopify fulfillment-order line items). Absent: every unit of `lineIds` (or of the order).
   */
  quantities?: Record<string, number>;
}

export interface SimPackage {
  number: string;
  /** The items (`SimOrderItem.lineId`) in the package. */
  lineIds: string[];
  shipment?: SimShipment;
}

export interface SimShopeeArrangement {
  method: 'pickup' | 'dropoff';
  /** What ship_order was sent for the method (address and slot, branch, sender name). */
  detail: Record<string, unknown>;
  arrangedAt: Date;
  trackingNumber: string;
  issuedAt: Date;
  document?: { type: string; readyAt: Date };
  /** When the channel's parcel is collected, delivered, and the buyer confirms (the channel's journey). */
  journey?: { pickupAt: Date; deliverAt?: Date; confirmAt?: Date };
  /** Collected by Shopee's carrier (the order shows SHIPPED), and delivered (TO_CONFIRM_RECEIVE). */
  pickedUpAt?: Date;
  deliveredAt?: Date;
}

export interface SimOrder {
  /** The platform's order id, as a string (Taobao/Douyin ids exceed 2^53). */
  id: string;
  /** Which simulated shop (seller) owns it, in the platform's own shop identifier. */
  shopKey: string;
  status: SimOrderStatus;
  type: OrderType;
  createdAt: Date;
  paidAt?: Date;
  modifiedAt: Date;
  currency: string;
  items: SimOrderItem[];
  shippingMinor: number;
  /** Order-level discount on top of item discounts. */
  discountMinor: number;
  paidMinor: number;
  buyer: { id: string; nick: string };
  receiver: SimReceiver;
  buyerRemark?: string;
  sellerMemo?: string;
  presale?: { depositMinor: number; balanceMinor: number; depositPaidAt?: Date; balancePaidAt?: Date };
  refund?: SimRefund;
  /** A Tmall exchange on the order. */
  exchange?: SimExchange;
  shipment?: SimShipment;
  /** Further parcels of a split order, after the first (`shipment`). */
  extraShipments?: SimShipment[];
  /**
   * Shopee: the packages the order was split into (`v2.order.split_order`), each with its lines and,
   * once shipped, its parcel. Absent: the order is one package.
   */
  packages?: SimPackage[];
  /**
   * Shopee: packages arranged with Shopee's own logistics (`ship_order` pickup / dropoff), keyed by
   * package number, with the tracking number the channel issues at `issuedAt` and the shipping
   * document once created.
   */
  shopeeArranged?: Record<string, SimShopeeArrangement>;
  /**
   * A group-buy's group: `forming` until enough buyers joined (PDD 拼团中, TOP PAID_FORBID_CONSIGN),
   * then `formed`, or `failed` (the platform closes and refunds the order). Absent: formed.
   */
  groupStatus?: 'forming' | 'formed' | 'failed';
  /** The live room the order was placed in (Douyin sku `room_id`). */
  liveRoomId?: string;
  /** A carrier the platform promised the buyer: PDD 顺丰包邮, Taobao EMS, JD 京配. */
  promisedCarrier?: 'SF' | 'EMS' | 'JD';
}
