import { missingCapabilities, requiredCapabilities, type HandlingCapability } from './capabilities.js';
import { normalizeProvince } from './regions.js';

/** One internal SKU the order needs, after platform mapping and bundle expansion. */
export interface AllocationLine {
  sku: string;
  qty: number;
  flags: readonly string[];
}

export interface WarehouseCoverage {
  province: string;
  /** Lower ships first. */
  priority: number;
}

export interface WarehouseProfile {
  code: string;
  name?: string;
  active: boolean;
  capabilities: readonly string[];
  coverage: readonly WarehouseCoverage[];
}

export interface StockLevel {
  warehouse: string;
  sku: string;
  available: number;
}

export interface AllocationRequest {
  lines: readonly AllocationLine[];
  receiver: { province: string };
  warehouses: readonly WarehouseProfile[];
  stock: readonly StockLevel[];
  /**
   * Warehouses set up to stock a SKU without a stock row yet (a bin assigned to it). Together with
   * the stock rows they decide where a short SKU is restocked.
   */
  setUpFor?: readonly { warehouse: string; sku: string }[];
}

export interface AllocatedLine {
  sku: string;
  qty: number;
}

export interface AllocationPart {
  warehouse: string;
  lines: AllocatedLine[];
}

export interface ShortLine {
  sku: string;
  needed: number;
  /** Available across every active warehouse able to handle the SKU. */
  available: number;
}

/** Where to ask for more of one short SKU, and why there. */
export interface ReplenishmentTarget {
  sku: string;
  warehouse: string;
  /** Units the order still lacks across every capable warehouse. */
  qty: number;
  reason: string;
}

export type AllocationPlan =
  | { kind: 'single'; warehouse: string; parts: [AllocationPart]; reason: string }
  | { kind: 'split'; parts: AllocationPart[]; reason: string }
  | {
      kind: 'out_of_stock';
      short: ShortLine[];
      /** Per short SKU, the warehouse that should be restocked: see `chooseReplenishment`. */
      replenish: ReplenishmentTarget[];
      reason: string;
    }
  | {
      kind: 'unfulfillable';
      missing: { sku: string; capability: HandlingCapability }[];
      reason: string;
    };

/** Above this many candidate warehouses the exact fewest-warehouses search gives way to a greedy one. */
const EXACT_SEARCH_LIMIT = 12;

interface Need {
  sku: string;
  qty: number;
  capabilities: HandlingCapability[];
}

interface Ranked {
  warehouse: WarehouseProfile;
  covers: boolean;
  priority: number;
  index: number;
}

/**
 * Chooses where an order ships from. One warehouse that covers the receiver's province with the best
 * priority and can ship every line wins; otherwise the fewest warehouses that together can; a
 * warehouse lacking a capability an item needs (cold chain, fragile handling) is never chosen.
 * Allocation is all-or-nothing: when the stock cannot cover the whole order the answer is
 * `out_of_stock` with what is short. Deterministic for equal input.
 */
export function planAllocation(request: AllocationRequest): AllocationPlan {
  const needs = aggregate(request.lines);
  const province = normalizeProvince(request.receiver.province);
  const ranked = rankWarehouses(request.warehouses, province);
  const available = stockIndex(request.stock);
  const label = (w: WarehouseProfile) => (w.name ? `${w.code} (${w.name})` : w.code);

  const capable = (w: WarehouseProfile, need: Need) =>
    missingCapabilities(need.capabilities, w.capabilities).length === 0;
  const usable = (w: WarehouseProfile, need: Need) =>
    capable(w, need) ? (available.get(w.code)?.get(need.sku) ?? 0) : 0;

  if (ranked.length === 0 && needs.length > 0) {
    return { kind: 'unfulfillable', missing: [], reason: 'no active warehouse is configured' };
  }
  const impossible = needs.filter((need) => !ranked.some((r) => capable(r.warehouse, need)));
  if (impossible.length > 0) {
    return {
      kind: 'unfulfillable',
      missing: impossible.flatMap((n) => n.capabilities.map((capability) => ({ sku: n.sku, capability }))),
      reason: `no active warehouse can handle ${impossible
        .map((n) => `${n.sku} (needs ${n.capabilities.join(' + ') || 'nothing special'})`)
        .join(', ')}`,
    };
  }

  const short = needs
    .map((need) => ({
      sku: need.sku,
      needed: need.qty,
      available: ranked.reduce((sum, r) => sum + usable(r.warehouse, need), 0),
    }))
    .filter((s) => s.available < s.needed);
  if (short.length > 0) {
    const carried = new Set(
      [...request.stock, ...(request.setUpFor ?? [])].map((s) => `${s.warehouse}\u0000${s.sku}`),
    );
    const replenish = short.flatMap((s) => {
      const need = needs.find((n) => n.sku === s.sku)!;
      const target = chooseReplenishment(
        ranked.filter((r) => capable(r.warehouse, need)).map((r) => r.warehouse.code),
        s.sku,
        (warehouse) => carried.has(`${warehouse}\u0000${s.sku}`),
      );
      return target ? [{ ...target, qty: s.needed - s.available }] : [];
    });
    return {
      kind: 'out_of_stock',
      short,
      replenish,
      reason: `out of stock: ${short.map((s) => `${s.sku} needs ${s.needed}, ${s.available} available`).join('; ')}`,
    };
  }

  const canShipAll = (combo: Ranked[]) =>
    needs.every((need) => combo.reduce((sum, r) => sum + usable(r.warehouse, need), 0) >= need.qty);

  const single = ranked.find((r) => canShipAll([r]));
  if (single) {
    const passedOver = ranked
      .slice(0, ranked.indexOf(single))
      .slice(0, 3)
      .map((r) => `${label(r.warehouse)} ${whyNot(r, needs, usable, capable)}`);
    const where = single.covers
      ? `covers ${province} at priority ${single.priority}`
      : `ships to ${province} from outside its coverage`;
    return {
      kind: 'single',
      warehouse: single.warehouse.code,
      parts: [{ warehouse: single.warehouse.code, lines: needs.map((n) => ({ sku: n.sku, qty: n.qty })) }],
      reason:
        `${label(single.warehouse)} ${where} and can ship all ${needs.length} SKU(s)` +
        (passedOver.length ? `; passed over ${passedOver.join('; ')}` : ''),
    };
  }

  // Only warehouses holding something the order needs can be part of a split.
  const candidates = ranked.filter((r) => needs.some((need) => usable(r.warehouse, need) > 0));
  const combo =
    candidates.length <= EXACT_SEARCH_LIMIT
      ? fewestWarehouses(candidates, canShipAll)
      : greedyCover(candidates, needs, usable);
  const parts = assign(combo, needs, usable);
  const why = ranked
    .slice(0, 3)
    .map((r) => `${label(r.warehouse)} ${whyNot(r, needs, usable, capable)}`)
    .join('; ');
  return {
    kind: 'split',
    parts,
    reason: `no single warehouse can ship everything (${why}); split across ${parts
      .map((p) => ranked.find((r) => r.warehouse.code === p.warehouse)!)
      .map((r) => label(r.warehouse))
      .join(', ')}`,
  };
}

/**
 * Picks the warehouse to restock a short SKU: the best-ranked (for the receiver's province) of
 * those that stock it, because a warehouse that never carried the SKU has no shelf slot, supplier
 * route or reorder point for it and a request there is left unanswered. Only when no capable
 * warehouse carries the SKU does the request go to the top-ranked one, and its reason says so.
 * `ranked` lists warehouses able to handle the SKU, best first; `stocks` says whether one carries it
 * (has a stock row, even at zero, or a bin assigned to the SKU).
 */
export function chooseReplenishment(
  ranked: readonly string[],
  sku: string,
  stocks: (warehouse: string) => boolean,
): { sku: string; warehouse: string; reason: string } | null {
  const carrier = ranked.find(stocks);
  if (carrier) return { sku, warehouse: carrier, reason: `order out of stock; ${carrier} stocks ${sku}` };
  const top = ranked[0];
  if (!top) return null;
  return {
    sku,
    warehouse: top,
    reason: `order out of stock; no warehouse stocks ${sku}, asking the top-ranked ${top}`,
  };
}

function aggregate(lines: readonly AllocationLine[]): Need[] {
  const bySku = new Map<string, Need>();
  for (const line of lines) {
    if (line.qty <= 0) continue;
    const existing = bySku.get(line.sku);
    const capabilities = requiredCapabilities(line.flags);
    if (existing) {
      existing.qty += line.qty;
      for (const c of capabilities) if (!existing.capabilities.includes(c)) existing.capabilities.push(c);
    } else {
      bySku.set(line.sku, { sku: line.sku, qty: line.qty, capabilities });
    }
  }
  return [...bySku.values()];
}

function rankWarehouses(warehouses: readonly WarehouseProfile[], province: string): Ranked[] {
  return warehouses
    .filter((w) => w.active)
    .map((warehouse) => {
      const priorities = warehouse.coverage
        .filter((c) => normalizeProvince(c.province) === province)
        .map((c) => c.priority);
      const covers = priorities.length > 0;
      return { warehouse, covers, priority: covers ? Math.min(...priorities) : Infinity, index: 0 };
    })
    .sort(
      (a, b) =>
        Number(b.covers) - Number(a.covers) ||
        a.priority - b.priority ||
        (a.warehouse.code < b.warehouse.code ? -1 : a.warehouse.code > b.warehouse.code ? 1 : 0),
    )
    .map((r, index) => ({ ...r, index }));
}

function stockIndex(stock: readonly StockLevel[]): Map<string, Map<string, number>> {
  const index = new Map<string, Map<string, number>>();
  for (const level of stock) {
    let bySku = index.get(level.warehouse);
    if (!bySku) index.set(level.warehouse, (bySku = new Map()));
    bySku.set(level.sku, (bySku.get(level.sku) ?? 0) + Math.max(0, level.available));
  }
  return index;
}

function whyNot(
  r: Ranked,
  needs: Need[],
  usable: (w: WarehouseProfile, n: Need) => number,
  capable: (w: WarehouseProfile, n: Need) => boolean,
): string {
  const lacks = needs.filter((n) => !capable(r.warehouse, n));
  if (lacks.length) {
    const caps = [
      ...new Set(lacks.flatMap((n) => missingCapabilities(n.capabilities, r.warehouse.capabilities))),
    ];
    return `lacks ${caps.join(' + ')} for ${lacks.map((n) => n.sku).join(', ')}`;
  }
  const short = needs.filter((n) => usable(r.warehouse, n) < n.qty);
  return `is short of ${short.map((n) => `${n.sku} (${usable(r.warehouse, n)}/${n.qty})`).join(', ')}`;
}

/**
 * Exact search for the smallest set of warehouses that can ship the order. Among sets of that size it
 * prefers the one with the fewest warehouses outside the receiver's coverage, then the best priorities.
 */
function fewestWarehouses(candidates: Ranked[], canShipAll: (combo: Ranked[]) => boolean): Ranked[] {
  for (let size = 2; size <= candidates.length; size++) {
    let best: { combo: Ranked[]; cost: number[] } | undefined;
    for (const combo of combinations(candidates, size)) {
      if (!canShipAll(combo)) continue;
      const cost = [
        combo.filter((r) => !r.covers).length,
        combo.reduce((sum, r) => sum + (r.covers ? r.priority : 0), 0),
        ...combo.map((r) => r.index),
      ];
      if (!best || lexLess(cost, best.cost)) best = { combo, cost };
    }
    if (best) return best.combo;
  }
  return candidates;
}

function greedyCover(
  candidates: Ranked[],
  needs: Need[],
  usable: (w: WarehouseProfile, n: Need) => number,
): Ranked[] {
  const remaining = new Map(needs.map((n) => [n.sku, n.qty]));
  const chosen: Ranked[] = [];
  while ([...remaining.values()].some((q) => q > 0)) {
    let best: { r: Ranked; covered: number } | undefined;
    for (const r of candidates) {
      if (chosen.includes(r)) continue;
      const covered = needs.reduce(
        (sum, n) => sum + Math.min(remaining.get(n.sku) ?? 0, usable(r.warehouse, n)),
        0,
      );
      if (covered > 0 && (!best || covered > best.covered)) best = { r, covered };
    }
    if (!best) break;
    chosen.push(best.r);
    for (const n of needs) {
      remaining.set(n.sku, Math.max(0, (remaining.get(n.sku) ?? 0) - usable(best.r.warehouse, n)));
    }
  }
  return chosen.sort((a, b) => a.index - b.index);
}

/** Each SKU goes whole to the best-ranked warehouse in the set that has it all, else is spread in rank order. */
function assign(
  combo: Ranked[],
  needs: Need[],
  usable: (w: WarehouseProfile, n: Need) => number,
): AllocationPart[] {
  const ordered = [...combo].sort((a, b) => a.index - b.index);
  const lines = new Map<string, AllocatedLine[]>(ordered.map((r) => [r.warehouse.code, []]));
  for (const need of needs) {
    const whole = ordered.find((r) => usable(r.warehouse, need) >= need.qty);
    if (whole) {
      lines.get(whole.warehouse.code)!.push({ sku: need.sku, qty: need.qty });
      continue;
    }
    let left = need.qty;
    for (const r of ordered) {
      const take = Math.min(left, usable(r.warehouse, need));
      if (take > 0) lines.get(r.warehouse.code)!.push({ sku: need.sku, qty: take });
      left -= take;
      if (left === 0) break;
    }
  }
  return ordered
    .map((r) => ({ warehouse: r.warehouse.code, lines: lines.get(r.warehouse.code)! }))
    .filter((p) => p.lines.length > 0);
}

function* combinations<T>(items: T[], size: number, start = 0, prefix: T[] = []): Generator<T[]> {
  if (prefix.length === size) {
    yield prefix;
    return;
  }
  for (let i = start; i <= items.length - (size - prefix.length); i++) {
    yield* combinations(items, size, i + 1, [...prefix, items[i]!]);
  }
}

function lexLess(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i]! !== b[i]!) return a[i]! < b[i]!;
  }
  return a.length < b.length;
}
