/**
 * Which order lines an Amazon return covers (docs/platforms/amazon-returns.md, "Lines by SKU").
 * The returns report names an order, an RMA, a Merchant SKU (and the ASIN) and a quantity — no
 * order line id. So a return's lines are the order's lines of that SKU:
 *
 * - one line of the SKU: that line;
 * - several lines of the SKU (the same SKU sold twice, e.g. at two prices): lines are taken until
 *   their quantities cover the units returned, lines no other case of the order covers first, then
 *   in the order's line order — a second return of the same SKU lands on the line the first did not;
 * - no line by Merchant SKU: the lines whose ASIN is the row's (a SKU renamed since the sale);
 * - none at all: the SKU is said as unmatched; a case none of whose SKUs matched covers the whole
 *   order (as a platform case naming no line does), for a person to narrow down — Amazon returns
 *   are answered by a person in Seller Central anyway, and no line is changed before they are.
 */
export interface ReturnLineCandidate {
  lineId: string;
  skuCode: string;
  platformSkuId: string;
  quantity: number;
  /** What the line paid (its currency's minor unit). */
  paidMinor: number;
}

export interface ReturnedSku {
  merchantSku: string;
  asin: string | null;
  quantity: number;
}

export interface MatchedReturn {
  /** The lines covered, in the order's line order. */
  lineIds: string[];
  /** What the returned units paid: each line's paid amount for the units taken from it. */
  amountMinor: number;
  /** SKUs on no line of the order, with the units the report returns of them. */
  unmatched: Array<{ merchantSku: string; quantity: number }>;
}

export function matchReturnLines(
  lines: readonly ReturnLineCandidate[],
  returned: readonly ReturnedSku[],
  coveredByOtherCases: ReadonlySet<string> = new Set(),
): MatchedReturn {
  const taken = new Map<string, number>();
  const unmatched: MatchedReturn['unmatched'] = [];
  let amountMinor = 0;
  for (const row of returned) {
    let candidates = lines.filter((l) => l.skuCode === row.merchantSku);
    if (candidates.length === 0 && row.asin) candidates = lines.filter((l) => l.platformSkuId === row.asin);
    if (candidates.length === 0) {
      unmatched.push({ merchantSku: row.merchantSku, quantity: row.quantity });
      continue;
    }
    const ordered = [
      ...candidates.filter((l) => !coveredByOtherCases.has(l.lineId)),
      ...candidates.filter((l) => coveredByOtherCases.has(l.lineId)),
    ];
    let left = row.quantity;
    for (const line of ordered) {
      if (left <= 0) break;
      const free = line.quantity - (taken.get(line.lineId) ?? 0);
      if (free <= 0) continue;
      const units = Math.min(free, left);
      taken.set(line.lineId, (taken.get(line.lineId) ?? 0) + units);
      amountMinor += Math.floor((line.paidMinor * units) / line.quantity);
      left -= units;
    }
  }
  return {
    lineIds: lines.filter((l) => taken.has(l.lineId)).map((l) => l.lineId),
    amountMinor,
    unmatched,
  };
}
