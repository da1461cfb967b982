/**
 * What a shop may sell of one listing: the sellable quantity uploaded to its platform.
 *
 * The pool of a plain SKU for a shop is the available stock (on hand − reserved, never below 0) of
 * the warehouses that serve the shop. A bundle has no stock of its own: its pool is how many whole
 * bundles its components' pools make. The shop's share of the pool is then its rule — a ratio (a
 * percentage of the pool, 100 % by default: every shop sees the whole pool, as sellers usually
 * want) or a fixed quantity (never more than the pool) — minus the shop's safety stock.
 */

export interface WarehouseStock {
  warehouse: string;
  sku: string;
  onHand: number;
  reserved: number;
}

export type ShareRule = { kind: 'ratio'; percent: number } | { kind: 'fixed'; qty: number };

export interface ShopStockPolicy {
  /** Warehouses whose stock this shop sells; null: every active warehouse. */
  warehouses: readonly string[] | null;
  share: ShareRule;
  /** Units held back from this shop's platform (never uploaded). */
  safetyStock: number;
}

export const DEFAULT_POLICY: ShopStockPolicy = {
  warehouses: null,
  share: { kind: 'ratio', percent: 100 },
  safetyStock: 0,
};

/** A bundle's components: units of each component in one bundle. */
export type BundleComponents = ReadonlyMap<string, readonly { sku: string; qty: number }[]>;

/** Available units of `sku` in the warehouses the policy names (all given rows when null). */
export function poolOf(sku: string, stock: readonly WarehouseStock[], policy: ShopStockPolicy): number {
  const serving = policy.warehouses ? new Set(policy.warehouses) : undefined;
  let pool = 0;
  for (const row of stock) {
    if (row.sku !== sku || (serving && !serving.has(row.warehouse))) continue;
    pool += Math.max(0, row.onHand - row.reserved);
  }
  return pool;
}

/** Whole bundles the components make (a bundle without components makes none). */
export function bundlePool(
  components: readonly { sku: string; qty: number }[],
  poolOfComponent: (sku: string) => number,
): number {
  if (components.length === 0) return 0;
  return Math.min(...components.map((c) => Math.floor(poolOfComponent(c.sku) / c.qty)));
}

/** The shop's share of a pool after its rule and safety stock; an integer in [0, pool]. */
export function shareOf(pool: number, policy: Pick<ShopStockPolicy, 'share' | 'safetyStock'>): number {
  const base =
    policy.share.kind === 'fixed'
      ? Math.min(policy.share.qty, pool)
      : Math.floor((pool * clamp(policy.share.percent, 0, 100)) / 100);
  return Math.max(0, Math.min(pool, base - Math.max(0, policy.safetyStock)));
}

/**
 * The quantity to upload for a listing of `sku` (an internal SKU, possibly a bundle) in a shop.
 * Several listings of one SKU in a shop each show this same quantity: the platform takes an order
 * on any of them from the one pool, and the next upload shows what is left.
 */
export function sellableQuantity(
  sku: string,
  stock: readonly WarehouseStock[],
  policy: ShopStockPolicy,
  bundles: BundleComponents,
): number {
  const components = bundles.get(sku);
  const pool = components
    ? bundlePool(components, (c) => poolOf(c, stock, policy))
    : poolOf(sku, stock, policy);
  return shareOf(pool, policy);
}

/** Internal SKUs whose stock decides a listing of `sku`: itself, or a bundle's components. */
export function stockSkusOf(sku: string, bundles: BundleComponents): string[] {
  const components = bundles.get(sku);
  return components ? components.map((c) => c.sku) : [sku];
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
