import type { Parcel } from '../parcels/types.js';
import { parseBin, walkOrder } from './bins.js';

export interface PickDemand {
  parcelId: string;
  orderId: string;
  allocationId: string;
  qty: number;
  /** Lower gets the stock first when the bin comes up short (urgent parcels first). */
  priority: number;
}

export interface PickLine {
  /** Position on the walking route, from 1. */
  seq: number;
  /** Null when the SKU has no bin in this warehouse: the picker must look it up. */
  bin: string | null;
  sku: string;
  qty: number;
  demands: PickDemand[];
}

/**
 * One line per SKU for the whole wave (batch picking), in walking order, each remembering which
 * parcels its units are for. A SKU stored in several bins is picked from the first on the route.
 */
export function buildPickList(
  parcels: readonly Parcel[],
  binsBySku: ReadonlyMap<string, readonly string[]>,
): PickLine[] {
  const bySku = new Map<string, PickDemand[]>();
  parcels.forEach((parcel, parcelIndex) => {
    for (const content of parcel.contents) {
      let demands = bySku.get(content.sku);
      if (!demands) bySku.set(content.sku, (demands = []));
      const existing = demands.find(
        (d) => d.parcelId === parcel.id && d.allocationId === content.allocationId,
      );
      if (existing) existing.qty += content.qty;
      else
        demands.push({
          parcelId: parcel.id,
          orderId: content.orderId,
          allocationId: content.allocationId,
          qty: content.qty,
          priority: (parcel.urgent ? 0 : 1_000_000) + parcelIndex,
        });
    }
  });
  const lines = [...bySku.entries()].map(([sku, demands]) => ({
    sku,
    bin: firstOnRoute(binsBySku.get(sku) ?? []),
    qty: demands.reduce((s, d) => s + d.qty, 0),
    demands: demands.sort((a, b) => a.priority - b.priority),
  }));
  return walkOrder(lines, (l) => l.bin).map((line, i) => ({ seq: i + 1, ...line }));
}

function firstOnRoute(bins: readonly string[]): string | null {
  if (bins.length === 0) return null;
  const valid = bins.filter((b) => parseBin(b));
  return walkOrder(valid.length ? valid : bins, (b) => b)[0] ?? null;
}
