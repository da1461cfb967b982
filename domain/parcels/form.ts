import { mergeBlocker, mergeKey } from './merge.js';
import type {
  CarrierLimits,
  Handling,
  MergePolicy,
  Parcel,
  ParcelContent,
  ParcelItem,
  ReadyOrder,
} from './types.js';

export interface FormParcelsOptions {
  carrierLimits: CarrierLimits;
  /** Limits that differ by handling, e.g. a cold-chain carrier's smaller boxes. */
  handlingLimits?: Partial<Record<Handling, CarrierLimits>>;
  policy: MergePolicy;
  /** Parcel ids are `${idPrefix}-${n}`, numbered in the order parcels should be picked. */
  idPrefix?: string;
}

interface Unit {
  orderId: string;
  allocationId: string;
  lineId: string;
  sku: string;
  weightG: number;
  volumeMm3: number;
}

interface Group {
  key: string;
  warehouse: string;
  orders: ReadyOrder[];
  reason: string;
}

/**
 * Turns the orders a wave collected into parcels: orders that may merge and share a merge key and a
 * warehouse become one shipment; it is then split by handling (cold chain apart from the rest,
 * fragile apart when the policy says so) and by the carrier's weight and volume limits, packing units
 * first-fit-decreasing. Each parcel lists which order lines, and how many units of each, it carries.
 * Deterministic: the same orders always give the same parcels with the same ids.
 */
export function formParcels(orders: readonly ReadyOrder[], options: FormParcelsOptions): Parcel[] {
  const { policy } = options;
  const groups = groupOrders(orders, policy);
  const parcels: Omit<Parcel, 'id'>[] = [];
  for (const group of groups) {
    const byHandling = new Map<Handling, Unit[]>();
    for (const order of group.orders) {
      for (const item of order.lines) {
        const handling = handlingOf(item, policy);
        let units = byHandling.get(handling);
        if (!units) byHandling.set(handling, (units = []));
        for (let i = 0; i < item.qty; i++) units.push(unitOf(order, item));
      }
    }
    const handlings = [...byHandling.keys()].sort(handlingOrder);
    for (const handling of handlings) {
      const limits = { ...options.carrierLimits, ...options.handlingLimits?.[handling] };
      const bins = packUnits(byHandling.get(handling)!, limits);
      bins.forEach((bin, index) => {
        const reasons = [group.reason];
        if (handlings.length > 1) reasons.push(`${handling.replace('_', '-')} items packed apart`);
        if (bins.length > 1) reasons.push(`box ${index + 1} of ${bins.length} within carrier limits`);
        if (bin.overLimit) reasons.push('a single item exceeds the carrier limit');
        parcels.push(toParcel(group, handling, bin, reasons.join('; ')));
      });
    }
  }
  parcels.sort(
    (a, b) =>
      Number(b.urgent) - Number(a.urgent) ||
      compare(a.warehouse, b.warehouse) ||
      compare(a.orderIds[0]!, b.orderIds[0]!) ||
      handlingOrder(a.handling, b.handling),
  );
  const prefix = options.idPrefix ?? 'P';
  return parcels.map((p, i) => ({ id: `${prefix}-${i + 1}`, ...p }));
}

/** Which parcels carry each order: what a wave tells every order it shipped. */
export function parcelsByOrder(parcels: readonly Parcel[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const parcel of parcels) {
    for (const orderId of parcel.orderIds) {
      const ids = map.get(orderId) ?? [];
      if (!ids.includes(parcel.id)) ids.push(parcel.id);
      map.set(orderId, ids);
    }
  }
  return map;
}

function groupOrders(orders: readonly ReadyOrder[], policy: MergePolicy): Group[] {
  const sorted = [...orders].sort((a, b) => compare(a.readyAt, b.readyAt) || compare(a.orderId, b.orderId));
  const open = new Map<string, Group & { startedAt: number }>();
  const groups: Group[] = [];
  for (const order of sorted) {
    const blocker = mergeBlocker(order, policy);
    const key = mergeKey(order, policy);
    if (blocker) {
      groups.push({
        key,
        warehouse: order.warehouse,
        orders: [order],
        reason: `${order.orderId} ships alone (${blocker})`,
      });
      continue;
    }
    const slot = `${order.warehouse}\u0000${key}`;
    const at = Date.parse(order.readyAt);
    const current = open.get(slot);
    const withinWindow =
      current &&
      (policy.windowSeconds === undefined || at - current.startedAt <= policy.windowSeconds * 1000);
    if (current && withinWindow) {
      current.orders.push(order);
      continue;
    }
    const group = { key, warehouse: order.warehouse, orders: [order], reason: '', startedAt: at };
    open.set(slot, group);
    groups.push(group);
  }
  for (const group of groups) {
    if (group.reason) continue;
    const shops = new Set(group.orders.map((o) => o.shopId));
    group.reason =
      group.orders.length === 1
        ? `single order ${group.orders[0]!.orderId}`
        : `merged ${group.orders.length} orders of one buyer to one address` +
          (shops.size > 1 ? ` across ${shops.size} shops` : '');
  }
  return groups;
}

function handlingOf(item: ParcelItem, policy: MergePolicy): Handling {
  if (item.flags.includes('cold_chain')) return 'cold_chain';
  if (policy.separateFragile && item.flags.includes('fragile')) return 'fragile';
  return 'normal';
}

const HANDLING_RANK: Record<Handling, number> = { normal: 0, fragile: 1, cold_chain: 2 };
function handlingOrder(a: Handling, b: Handling): number {
  return HANDLING_RANK[a] - HANDLING_RANK[b];
}

function unitOf(order: ReadyOrder, item: ParcelItem): Unit {
  return {
    orderId: order.orderId,
    allocationId: order.allocationId,
    lineId: item.lineId,
    sku: item.sku,
    weightG: item.weightG,
    volumeMm3: item.lengthMm * item.widthMm * item.heightMm,
  };
}

interface Bin {
  units: Unit[];
  weightG: number;
  volumeMm3: number;
  overLimit: boolean;
}

/** First-fit decreasing by weight, then volume; a unit over the limit on its own gets its own box. */
export function packUnits(units: readonly Unit[], limits: CarrierLimits): Bin[] {
  const maxWeight = limits.maxWeightG ?? Infinity;
  const maxVolume = limits.maxVolumeCm3 === undefined ? Infinity : limits.maxVolumeCm3 * 1000;
  const totalWeight = units.reduce((s, u) => s + u.weightG, 0);
  const totalVolume = units.reduce((s, u) => s + u.volumeMm3, 0);
  if (totalWeight <= maxWeight && totalVolume <= maxVolume) {
    return units.length
      ? [{ units: [...units], weightG: totalWeight, volumeMm3: totalVolume, overLimit: false }]
      : [];
  }
  const sorted = [...units].sort(
    (a, b) =>
      b.weightG - a.weightG ||
      b.volumeMm3 - a.volumeMm3 ||
      compare(a.orderId, b.orderId) ||
      compare(a.lineId, b.lineId) ||
      compare(a.sku, b.sku),
  );
  const bins: Bin[] = [];
  for (const unit of sorted) {
    if (unit.weightG > maxWeight || unit.volumeMm3 > maxVolume) {
      bins.push({ units: [unit], weightG: unit.weightG, volumeMm3: unit.volumeMm3, overLimit: true });
      continue;
    }
    const bin = bins.find(
      (b) =>
        !b.overLimit && b.weightG + unit.weightG <= maxWeight && b.volumeMm3 + unit.volumeMm3 <= maxVolume,
    );
    if (bin) {
      bin.units.push(unit);
      bin.weightG += unit.weightG;
      bin.volumeMm3 += unit.volumeMm3;
    } else {
      bins.push({ units: [unit], weightG: unit.weightG, volumeMm3: unit.volumeMm3, overLimit: false });
    }
  }
  return bins;
}

function toParcel(group: Group, handling: Handling, bin: Bin, reason: string): Omit<Parcel, 'id'> {
  const contents = new Map<string, ParcelContent>();
  for (const unit of bin.units) {
    const key = `${unit.orderId}\u0000${unit.lineId}\u0000${unit.sku}`;
    const existing = contents.get(key);
    if (existing) existing.qty += 1;
    else
      contents.set(key, {
        orderId: unit.orderId,
        allocationId: unit.allocationId,
        lineId: unit.lineId,
        sku: unit.sku,
        qty: 1,
      });
  }
  const list = [...contents.values()].sort(
    (a, b) => compare(a.orderId, b.orderId) || compare(a.lineId, b.lineId) || compare(a.sku, b.sku),
  );
  const orderIds = [...new Set(list.map((c) => c.orderId))].sort(compare);
  return {
    warehouse: group.warehouse,
    handling,
    urgent: group.orders.some((o) => orderIds.includes(o.orderId) && o.urgent),
    mergeKey: group.key,
    orderIds,
    contents: list,
    weightG: bin.weightG,
    volumeCm3: Math.round(bin.volumeMm3 / 1000),
    overLimit: bin.overLimit,
    reason,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
