import type { AllocationLine, AllocationPart } from './plan.js';

/** What allocation and parcel forming need to know about an internal SKU. */
export interface SkuFacts {
  code: string;
  weightG: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
  flags: readonly string[];
  /** Present for bundles: what one unit of the bundle is made of. */
  components?: readonly { code: string; qty: number }[];
}

/** One physical SKU an order line needs: a bundle line becomes one of these per component. */
export interface ResolvedLine {
  lineId: string;
  sku: string;
  qty: number;
  weightG: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
  flags: string[];
  /** The bundle this line was expanded from, when it was. */
  bundle: string | null;
}

export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleError';
  }
}

const MAX_BUNDLE_DEPTH = 5;

/**
 * Expands bundle lines into their components (recursively, a bundle may contain a bundle), so stock
 * is reserved and picked for what actually sits on the shelves.
 */
export function expandBundles(
  lines: readonly { lineId: string; sku: string; qty: number }[],
  catalog: ReadonlyMap<string, SkuFacts>,
): ResolvedLine[] {
  const out: ResolvedLine[] = [];
  const visit = (lineId: string, code: string, qty: number, bundle: string | null, path: string[]) => {
    const sku = catalog.get(code);
    if (!sku) throw new BundleError(`SKU ${code} is not in the catalog`);
    if (sku.components && sku.components.length > 0) {
      if (path.includes(code) || path.length >= MAX_BUNDLE_DEPTH) {
        throw new BundleError(`bundle ${[...path, code].join(' → ')} contains itself or nests too deep`);
      }
      for (const component of sku.components) {
        visit(lineId, component.code, qty * component.qty, bundle ?? code, [...path, code]);
      }
      return;
    }
    out.push({
      lineId,
      sku: sku.code,
      qty,
      weightG: sku.weightG,
      lengthMm: sku.lengthMm,
      widthMm: sku.widthMm,
      heightMm: sku.heightMm,
      flags: [...sku.flags],
      bundle,
    });
  };
  for (const line of lines) visit(line.lineId, line.sku, line.qty, null, []);
  return out;
}

export function toAllocationLines(lines: readonly ResolvedLine[]): AllocationLine[] {
  return lines.map((l) => ({ sku: l.sku, qty: l.qty, flags: l.flags }));
}

export interface AttributedLine extends ResolvedLine {
  warehouse: string;
}

/**
 * Spreads an allocation's per-SKU quantities back over the order lines they came from, so each
 * warehouse knows which order line (and how much of it) it ships. Lines are consumed in order.
 */
export function attributeParts(
  lines: readonly ResolvedLine[],
  parts: readonly AllocationPart[],
): AttributedLine[] {
  const remaining = lines.map((l) => l.qty);
  const out: AttributedLine[] = [];
  for (const part of parts) {
    for (const allocated of part.lines) {
      let left = allocated.qty;
      lines.forEach((line, i) => {
        if (left === 0 || line.sku !== allocated.sku || remaining[i]! === 0) return;
        const take = Math.min(left, remaining[i]!);
        remaining[i]! -= take;
        left -= take;
        out.push({ ...line, qty: take, warehouse: part.warehouse });
      });
    }
  }
  return out;
}

/** What one warehouse of an allocation ships. */
export interface WarehouseShare {
  warehouse: string;
  /** Order lines (bundle components expanded) this warehouse ships, with weights and flags for parcels. */
  lines: AttributedLine[];
}
