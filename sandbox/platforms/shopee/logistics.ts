import type { SimOrder, SimShopeeArrangement } from '../../orders/model.js';
import { deliveredByShopee, shopeeOrderStatus } from './render.js';

/**
 * The simulator's Shopee logistics, written from Shopee's API descriptions (API-FACTS §5 for
 * `ship_order`; `get_shipping_parameter`, `get_tracking_number` and the shipping-document calls from
 * the doc dumps the facts cite, S-SHP `schemas/v2.logistics.*.json`), not from the adapter:
 *
 * - each order's channel says which methods it allows (pickup with addresses and time slots,
 *   dropoff with branches, non-integrated) and what dropoff needs;
 * - `ship_order` takes exactly one method object, refuses a method the channel does not allow, an
 *   address / slot / branch it did not offer, an order not READY_TO_SHIP, and a package already
 *   arranged or shipped; the order then shows PROCESSED and its package LOGISTICS_REQUEST_CREATED;
 * - the tracking number is issued `trackingDelaySeconds` after ship_order (empty until then, as
 *   Shopee answers while the channel has not issued it);
 * - a shipping document is created for the issued tracking number, READY `documentDelaySeconds`
 *   later, and downloads as a PDF.
 * Error codes and words are Shopee's from the doc dumps' error lists.
 */
export type ShopeeShipMethod = 'pickup' | 'dropoff' | 'non_integrated';

export interface ShopeeChannel {
  methods: ShopeeShipMethod[];
  /** Default: one pickup address (2001) flagged default and pickup, with an AM and a PM slot tomorrow. */
  pickupAddresses?: Array<{
    addressId: number;
    flags: string[];
    city: string;
    address: string;
    zipcode: string;
  }>;
  /** Default: two branches (3001, 3002). */
  branches?: Array<{ branchId: number; city: string; address: string; zipcode: string }>;
  /** `info_needed.dropoff`: default `['branch_id']`; some channels add `sender_real_name`. */
  dropoffNeeds?: string[];
  trackingDelaySeconds?: number;
  documentDelaySeconds?: number;
  /** `shipping_carrier` of the order and its packages (default `Shopee Xpress`). */
  carrierName?: string;
  /** Refuse every ship_order of the order with these words (an address the channel does not serve…). */
  refusal?: { error: string; message: string };
  /**
   * How the parcel travels once arranged: collected `pickupSeconds` after its tracking number is
   * issued (SHIPPED), delivered `deliverySeconds` later (TO_CONFIRM_RECEIVE), confirmed by the
   * buyer `confirmSeconds` after that (COMPLETED). A step left out never happens by itself; tests
   * move a parcel with `moveShopeeParcel`. Default: no journey (the order stays PROCESSED).
   */
  journey?: { pickupSeconds: number; deliverySeconds?: number; confirmSeconds?: number };
}

export const DEFAULT_SHOPEE_CHANNEL: ShopeeChannel = { methods: ['pickup', 'dropoff', 'non_integrated'] };

export const SHIPPING_DOCUMENT_TYPES = [
  'NORMAL_AIR_WAYBILL',
  'THERMAL_AIR_WAYBILL',
  'NORMAL_JOB_AIR_WAYBILL',
  'THERMAL_JOB_AIR_WAYBILL',
  'THERMAL_UNPACKAGED_LABEL',
];

/** A file answer (download_shipping_document): sent as bytes, not in the JSON envelope. */
export class SimFile {
  constructor(
    readonly bytes: Buffer,
    readonly contentType: string,
  ) {}
}

export interface ShopeeLogisticsDeps {
  order(shopKey: string, sn: unknown): SimOrder;
  channel(order: SimOrder): ShopeeChannel;
  update(order: SimOrder, change: (o: SimOrder) => void): void;
  fail(error: string, message: string): Error;
  now(): Date;
}

const NOT_CREATED = [
  'logistics.shipping_document_should_print_first',
  'The package can not print now, please create shipping document first.',
] as const;

type Handler = (params: Record<string, unknown>, shopKey: string) => unknown;

/** The package a call names: one of a split order's, else the order's single package. */
export function packageKey(order: SimOrder, packageNumber: unknown): string | undefined {
  if (order.packages) {
    return order.packages.find((p) => p.number === packageNumber)?.number;
  }
  if (packageNumber === undefined || packageNumber === '' || packageNumber === `OFG${order.id}`)
    return `OFG${order.id}`;
  return undefined;
}

/** Whether a package left the seller or is arranged to (ship_order went through). */
export function packageTaken(order: SimOrder, key: string): boolean {
  const shipped = order.packages ? order.packages.find((p) => p.number === key)?.shipment : order.shipment;
  return !!shipped || !!order.shopeeArranged?.[key];
}

export function shopeeLogisticsApis(
  deps: ShopeeLogisticsDeps,
): Record<string, { method: 'GET' | 'POST'; handle: Handler }> {
  const pickupAddresses = (c: ShopeeChannel) =>
    c.pickupAddresses ?? [
      {
        addressId: 2001,
        flags: ['default_address', 'pickup_address'],
        city: 'Singapore',
        address: '8 Jurong West Street 1',
        zipcode: '648888',
      },
    ];
  const branches = (c: ShopeeChannel) =>
    c.branches ?? [
      { branchId: 3001, city: 'Singapore', address: '1 Jurong East Ave', zipcode: '609601' },
      { branchId: 3002, city: 'Singapore', address: '2 Tampines Central', zipcode: '529540' },
    ];
  /** Tomorrow 09:00–12:00 (recommended) and 14:00–18:00, Singapore time. */
  const slots = () => {
    const day = Math.floor(deps.now().getTime() / 86_400_000 + 1) * 86_400;
    return [
      { date: day + 3600, time_text: '09:00-12:00', pickup_time_id: `${day + 3600}`, flags: ['recommended'] },
      { date: day + 6 * 3600, time_text: '14:00-18:00', pickup_time_id: `${day + 6 * 3600}`, flags: [] },
    ];
  };
  const readyToShip = (order: SimOrder, key: string | undefined, packageNumber: unknown) => {
    if (order.packages && (packageNumber === undefined || packageNumber === '')) {
      throw deps.fail(
        'logistics.package_number_not_exist',
        'Please request with package_number for this split order.',
      );
    }
    if (!key) throw deps.fail('error_param', 'The information you queried is not found.');
    return key;
  };
  const items = (params: Record<string, unknown>) => {
    const list = params['order_list'];
    if (!Array.isArray(list) || list.length < 1 || list.length > 50) {
      throw deps.fail('error_param', 'Wrong parameters, detail: order_list must hold 1 to 50 orders.');
    }
    return list as Array<Record<string, unknown>>;
  };
  const documentType = (value: unknown) => {
    const type = value === undefined || value === '' ? 'NORMAL_AIR_WAYBILL' : value;
    if (typeof type !== 'string' || !SHIPPING_DOCUMENT_TYPES.includes(type)) {
      throw deps.fail('error_param', `Wrong parameters, detail: shipping_document_type ${String(value)}.`);
    }
    return type;
  };
  /** The arrangement behind a document call, or the per-order failure Shopee lists. */
  const arranged = (shopKey: string, entry: Record<string, unknown>) => {
    let order: SimOrder;
    try {
      order = deps.order(shopKey, entry['order_sn']);
    } catch {
      const sn = String(entry['order_sn']);
      return { fail: ['logistics.order_not_exist', `The order_sn ${sn} is not exist.`] as const };
    }
    const key = packageKey(order, entry['package_number']);
    if (!key) {
      const pkg = String(entry['package_number']);
      return {
        fail: ['logistics.package_number_not_found', `The package_number ${pkg} is not exist.`] as const,
      };
    }
    const arrangement = order.shopeeArranged?.[key];
    return { order, key, arrangement };
  };
  const result = (entry: Record<string, unknown>, more: Record<string, unknown>) => ({
    order_sn: String(entry['order_sn'] ?? ''),
    package_number: String(entry['package_number'] ?? ''),
    fail_error: '',
    fail_message: '',
    ...more,
  });

  type Found = { order: SimOrder; key: string; arrangement: SimShopeeArrangement | undefined };
  /** Each order of a batch call answered on its own: its fields, or its `[fail_error, fail_message]`. */
  const perOrder = (
    params: Record<string, unknown>,
    shopKey: string,
    answer: (
      found: Found,
      entry: Record<string, unknown>,
    ) => Record<string, unknown> | readonly [string, string],
  ) => ({
    result_list: items(params).map((entry) => {
      const found = arranged(shopKey, entry);
      const out = found.fail ?? answer(found as Found, entry);
      return Array.isArray(out)
        ? result(entry, { fail_error: out[0], fail_message: out[1] })
        : result(entry, out as Record<string, unknown>);
    }),
  });

  return {
    '/api/v2/logistics/get_shipping_parameter': {
      method: 'GET',
      handle(params, shopKey) {
        const order = deps.order(shopKey, params['order_sn']);
        const key = readyToShip(order, packageKey(order, params['package_number']), params['package_number']);
        if (order.status === 'cancelled') throw deps.fail('error_status', 'The order has been cancelled.');
        if (shopeeOrderStatus(order) !== 'READY_TO_SHIP' || packageTaken(order, key)) {
          throw deps.fail(
            'error_param',
            'Shipping parameters can only be obtained when package is ready to be shipped',
          );
        }
        const channel = deps.channel(order);
        const info: Record<string, string[]> = {};
        if (channel.methods.includes('pickup')) info.pickup = ['address_id', 'pickup_time_id'];
        if (channel.methods.includes('dropoff')) info.dropoff = channel.dropoffNeeds ?? ['branch_id'];
        if (channel.methods.includes('non_integrated')) info.non_integrated = ['tracking_no'];
        return {
          info_needed: info,
          ...(info.pickup
            ? {
                pickup: {
                  address_list: pickupAddresses(channel).map((a) => ({
                    address_id: a.addressId,
                    region: 'SG',
                    state: '',
                    city: a.city,
                    district: '',
                    town: '',
                    address: a.address,
                    zipcode: a.zipcode,
                    address_flag: a.flags,
                    time_slot_list: slots(),
                  })),
                },
              }
            : {}),
          ...(info.dropoff
            ? {
                dropoff: {
                  branch_list: branches(channel).map((b) => ({
                    branch_id: b.branchId,
                    region: 'SG',
                    state: '',
                    city: b.city,
                    address: b.address,
                    zipcode: b.zipcode,
                    district: '',
                    town: '',
                  })),
                  slug_list: [],
                },
              }
            : {}),
        };
      },
    },

    /** Pickup and dropoff; `non_integrated` stays with the simulator's seller-carrier path (index.ts). */
    '/api/v2/logistics/ship_order#platform': {
      method: 'POST',
      handle(params, shopKey) {
        const order = deps.order(shopKey, params['order_sn']);
        const method = params['pickup'] !== undefined ? 'pickup' : 'dropoff';
        const given = (params[method] ?? {}) as Record<string, unknown>;
        const key = readyToShip(order, packageKey(order, params['package_number']), params['package_number']);
        const channel = deps.channel(order);
        if (!channel.methods.includes(method)) {
          throw deps.fail(
            'logistics.error_param',
            method === 'pickup'
              ? 'Channel does not support pickup. Please select the dropoff option and try again.'
              : 'Channel does not support dropoff. Please select the pickup option and try again.',
          );
        }
        if (packageTaken(order, key)) throw deps.fail('logistics.error_param', 'Order has been shipped.');
        if (shopeeOrderStatus(order) !== 'READY_TO_SHIP') {
          throw deps.fail('logistics.error_param', 'The order status is not ready to ship.');
        }
        if (channel.refusal) throw deps.fail(channel.refusal.error, channel.refusal.message);
        const detail: Record<string, unknown> = {};
        if (method === 'pickup') {
          const address = pickupAddresses(channel).find((a) => a.addressId === Number(given['address_id']));
          if (!address) throw deps.fail('logistics.address_not_found', 'Address is not found.');
          if (!slots().some((s) => s.pickup_time_id === given['pickup_time_id'])) {
            throw deps.fail(
              'error_param',
              'The pickup_time_id received is invalid and not expected. Please check and reselect one from the time_slot_list.',
            );
          }
          Object.assign(detail, { address_id: address.addressId, pickup_time_id: given['pickup_time_id'] });
        } else {
          const needs = channel.dropoffNeeds ?? ['branch_id'];
          if (needs.includes('branch_id')) {
            const branch = branches(channel).find((b) => b.branchId === Number(given['branch_id']));
            if (!branch)
              throw deps.fail(
                'error_param',
                `Wrong parameters, detail: branch_id ${String(given['branch_id'])} is not offered.`,
              );
            detail.branch_id = branch.branchId;
          }
          if (needs.includes('sender_real_name')) {
            if (typeof given['sender_real_name'] !== 'string' || !given['sender_real_name'].trim()) {
              throw deps.fail('error_param', 'Wrong parameters, detail: sender_real_name is required.');
            }
            detail.sender_real_name = given['sender_real_name'];
          }
        }
        const at = deps.now();
        const issuedAt = new Date(at.getTime() + (channel.trackingDelaySeconds ?? 0) * 1000);
        const arrangement: SimShopeeArrangement = {
          method,
          detail,
          arrangedAt: at,
          trackingNumber: `SPXSG${String(at.getTime()).slice(-8)}${String(Object.keys(order.shopeeArranged ?? {}).length + 1).padStart(2, '0')}`,
          issuedAt,
          ...(channel.journey ? { journey: plannedJourney(issuedAt, channel.journey) } : {}),
        };
        deps.update(order, (o) => void (o.shopeeArranged = { ...o.shopeeArranged, [key]: arrangement }));
        return {};
      },
    },

    '/api/v2/logistics/create_shipping_document': {
      method: 'POST',
      handle: (params, shopKey) =>
        perOrder(params, shopKey, ({ order, key, arrangement }, entry) => {
          if (!arrangement || arrangement.issuedAt > deps.now()) {
            return ['logistics.order_status_error', 'Order status does not support awb printing.'];
          }
          const tracking = entry['tracking_number'];
          if (tracking !== undefined && tracking !== arrangement.trackingNumber) {
            return [
              'error_param',
              `Wrong parameters, detail: tracking_number ${String(tracking)} is not the package's.`,
            ];
          }
          const type = documentType(entry['shipping_document_type']);
          const delay = (deps.channel(order).documentDelaySeconds ?? 0) * 1000;
          const readyAt = new Date(deps.now().getTime() + delay);
          deps.update(order, (o) => void (o.shopeeArranged![key]!.document = { type, readyAt }));
          return {};
        }),
    },

    '/api/v2/logistics/get_shipping_document_result': {
      method: 'POST',
      handle: (params, shopKey) =>
        perOrder(params, shopKey, ({ arrangement }) => {
          const doc = arrangement?.document;
          if (!doc) return NOT_CREATED;
          return { status: doc.readyAt <= deps.now() ? 'READY' : 'PROCESSING' };
        }),
    },

    '/api/v2/logistics/download_shipping_document': {
      method: 'POST',
      handle(params, shopKey) {
        const type = documentType(params['shipping_document_type']);
        const pages = items(params).map((entry) => {
          const found = arranged(shopKey, entry);
          if (found.fail) throw deps.fail(found.fail[0], found.fail[1]);
          const doc = found.arrangement?.document;
          if (!doc) throw deps.fail(...NOT_CREATED);
          if (doc.readyAt > deps.now())
            throw deps.fail('logistics.download_later', 'Processing, please download later.');
          const channel = deps.channel(found.order);
          return [
            `Shopee ${type}`,
            `${channel.carrierName ?? 'Shopee Xpress'}  ${found.arrangement!.trackingNumber}`,
            `Order ${found.order.id}  Package ${found.key}`,
            `${found.arrangement!.method} ${JSON.stringify(found.arrangement!.detail)}`,
          ];
        });
        return new SimFile(tinyPdf(pages), 'application/pdf');
      },
    },
  };
}

/** A minimal PDF, one page per document, each a few lines of Helvetica (ASCII only). */
export function tinyPdf(pages: string[][]): Buffer {
  const esc = (s: string) => s.replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1');
  const objects: string[] = [];
  const pageIds: number[] = [];
  // 1: catalog, 2: pages, 3: font; then a page and its content per document.
  for (const [i, lines] of pages.entries()) {
    const content = `BT /F1 11 Tf 20 400 Td 14 TL ${lines.map((l) => `(${esc(l)}) '`).join(' ')} ET`;
    const pageId = 4 + i * 2;
    pageIds.push(pageId);
    objects[pageId] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 283 425] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageId + 1} 0 R >>`;
    objects[pageId + 1] = `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`;
  }
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((p) => `${p} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let n = 1; n < objects.length; n += 1) {
    offsets[n] = Buffer.byteLength(out);
    out += `${n} 0 obj\n${objects[n]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let n = 1; n < objects.length; n += 1) out += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** The dates a channel's journey puts on a parcel whose tracking number is issued at `issuedAt`. */
function plannedJourney(
  issuedAt: Date,
  journey: NonNullable<ShopeeChannel['journey']>,
): NonNullable<SimShopeeArrangement['journey']> {
  const pickupAt = new Date(issuedAt.getTime() + journey.pickupSeconds * 1000);
  const deliverAt =
    journey.deliverySeconds === undefined
      ? undefined
      : new Date(pickupAt.getTime() + journey.deliverySeconds * 1000);
  const confirmAt =
    deliverAt && journey.confirmSeconds !== undefined
      ? new Date(deliverAt.getTime() + journey.confirmSeconds * 1000)
      : undefined;
  return { pickupAt, ...(deliverAt ? { deliverAt } : {}), ...(confirmAt ? { confirmAt } : {}) };
}

/** Where an arranged Shopee parcel can be moved to: collected, delivered, confirmed by the buyer. */
export type ShopeeParcelStep = 'picked_up' | 'delivered' | 'confirmed';

/**
 * Moves an arranged package (each step implies the ones before): collected by Shopee's carrier it
 * is the package's shipment, and once every package is collected the order is SHIPPED; delivered,
 * the order shows TO_CONFIRM_RECEIVE when all its packages are; confirmed by the buyer, COMPLETED.
 * Returns false when the package is not arranged with Shopee's logistics.
 */
export function moveArrangedPackage(order: SimOrder, key: string, step: ShopeeParcelStep, at: Date): boolean {
  const arrangement = order.shopeeArranged?.[key];
  if (!arrangement) return false;
  if (!arrangement.pickedUpAt) {
    arrangement.pickedUpAt = at;
    const shipment = { carrierCode: 'shopee', trackingNumber: arrangement.trackingNumber, shippedAt: at };
    const pkg = order.packages?.find((p) => p.number === key);
    if (pkg) pkg.shipment = { ...shipment, lineIds: pkg.lineIds };
    if (!order.shipment) order.shipment = pkg ? { ...shipment, lineIds: pkg.lineIds } : shipment;
    else if (pkg)
      order.extraShipments = [...(order.extraShipments ?? []), { ...shipment, lineIds: pkg.lineIds }];
    if (!order.packages || order.packages.every((p) => p.shipment)) order.status = 'shipped';
  }
  if (step !== 'picked_up') arrangement.deliveredAt ??= at;
  if (step === 'confirmed' && order.status === 'shipped' && deliveredByShopee(order))
    order.status = 'completed';
  return true;
}

/** The journey steps of the order's packages that are due by `now`, in order (none: nothing to play). */
export function dueJourneySteps(order: SimOrder, now: Date): Array<{ key: string; step: ShopeeParcelStep }> {
  const due: Array<{ key: string; step: ShopeeParcelStep }> = [];
  for (const [key, a] of Object.entries(order.shopeeArranged ?? {})) {
    const plan = a.journey;
    if (!plan) continue;
    const reached =
      plan.confirmAt && plan.confirmAt <= now
        ? 'confirmed'
        : plan.deliverAt && plan.deliverAt <= now
          ? 'delivered'
          : plan.pickupAt <= now
            ? 'picked_up'
            : null;
    if (!reached) continue;
    const done =
      reached === 'picked_up'
        ? !!a.pickedUpAt
        : reached === 'delivered'
          ? !!a.deliveredAt
          : order.status === 'completed';
    if (!done) due.push({ key, step: reached });
  }
  return due;
}
