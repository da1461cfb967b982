/**
 * FP-growth (Han, Pei, Yin, SIGMOD 2000): every itemset bought together in at least `minOrders`
 * baskets, without generating candidates. Pairs are counted exactly in SQL (docs/reports.md); this
 * finds the larger sets.
 *
 * The work is split by the items of the header table, least frequent first, as the algorithm's own
 * outer loop is: the itemsets found for an item only hold that item and items more frequent than
 * it, so once an item is mined its itemsets are final. `done` skips items already mined and
 * `onItemMined` reports each item's itemsets as soon as they are known, which is what lets the
 * activity that runs it heartbeat its progress and resume a retry where the last attempt stopped.
 */
import { bundleBecause } from './bundle-reason.js';

export interface Itemset {
  /** The SKUs, sorted. */
  items: string[];
  /** Baskets holding every item of the set. */
  count: number;
}

export interface MineOptions {
  /** Fewest baskets an itemset must be in. */
  minOrders: number;
  /** Largest itemset to look for. */
  maxSize: number;
  /** Top-level items already mined (by an earlier attempt): skipped. */
  done?: ReadonlySet<string>;
  /** Called after each top-level item with the itemsets it yielded; may be async (heartbeats). */
  onItemMined?: (item: string, itemsets: Itemset[]) => void | Promise<void>;
}

interface Node {
  item: string | null;
  count: number;
  parent: Node | null;
  children: Map<string, Node>;
}

interface Tree {
  /** Frequent items of this tree, most frequent first. */
  order: string[];
  /** Each item's nodes, to walk its prefix paths. */
  nodes: Map<string, Node[]>;
  counts: Map<string, number>;
}

/** Builds an FP-tree from weighted paths, keeping only items with `minOrders`. */
function buildTree(
  paths: ReadonlyArray<{ items: readonly string[]; count: number }>,
  minOrders: number,
): Tree {
  const counts = new Map<string, number>();
  for (const p of paths) for (const i of p.items) counts.set(i, (counts.get(i) ?? 0) + p.count);
  const order = [...counts.entries()]
    .filter(([, c]) => c >= minOrders)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([i]) => i);
  const rank = new Map(order.map((i, n) => [i, n]));
  const root: Node = { item: null, count: 0, parent: null, children: new Map() };
  const nodes = new Map<string, Node[]>(order.map((i) => [i, []]));
  for (const p of paths) {
    const items = p.items.filter((i) => rank.has(i)).sort((a, b) => rank.get(a)! - rank.get(b)!);
    let at = root;
    for (const item of items) {
      let child = at.children.get(item);
      if (!child) {
        child = { item, count: 0, parent: at, children: new Map() };
        at.children.set(item, child);
        nodes.get(item)!.push(child);
      }
      child.count += p.count;
      at = child;
    }
  }
  return { order, nodes, counts: new Map(order.map((i) => [i, counts.get(i)!])) };
}

/** The prefix paths of an item's nodes (its conditional pattern base). */
function prefixPaths(tree: Tree, item: string) {
  return tree.nodes.get(item)!.map((node) => {
    const items: string[] = [];
    for (let p = node.parent; p && p.item !== null; p = p.parent) items.push(p.item);
    return { items, count: node.count };
  });
}

function mineTree(tree: Tree, suffix: string[], opts: MineOptions, out: Itemset[]): void {
  for (let n = tree.order.length - 1; n >= 0; n -= 1) {
    const item = tree.order[n]!;
    const items = [item, ...suffix];
    out.push({ items: [...items].sort(), count: tree.counts.get(item)! });
    if (items.length < opts.maxSize) {
      const conditional = buildTree(prefixPaths(tree, item), opts.minOrders);
      if (conditional.order.length > 0) mineTree(conditional, items, opts, out);
    }
  }
}

/**
 * Every itemset of 1..maxSize items in at least `minOrders` of the baskets (each basket a set of
 * distinct SKUs). Mines the top-level items least frequent first, skipping `done`.
 */
export async function frequentItemsets(
  baskets: ReadonlyArray<readonly string[]>,
  opts: MineOptions,
): Promise<Itemset[]> {
  const tree = buildTree(
    baskets.map((items) => ({ items: [...new Set(items)], count: 1 })),
    opts.minOrders,
  );
  const all: Itemset[] = [];
  for (let n = tree.order.length - 1; n >= 0; n -= 1) {
    const item = tree.order[n]!;
    if (opts.done?.has(item)) continue;
    const found: Itemset[] = [{ items: [item], count: tree.counts.get(item)! }];
    if (opts.maxSize > 1) {
      const conditional = buildTree(prefixPaths(tree, item), opts.minOrders);
      if (conditional.order.length > 0) mineTree(conditional, [item], opts, found);
    }
    all.push(...found);
    await opts.onItemMined?.(item, found);
  }
  return all;
}

export interface ItemsetRule {
  antecedent: string[];
  consequent: string;
  orders: number;
  support: number;
  confidence: number;
  lift: number;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * The rules of the itemsets of `minSize` items or more: for each set S and each item c of it,
 * S − {c} ⇒ c with support |S| ÷ N, confidence |S| ÷ |S − {c}|, lift confidence ÷ (|c| ÷ N). Every
 * subset of a frequent itemset is frequent, so its count is among the itemsets.
 */
export function itemsetRules(itemsets: readonly Itemset[], baskets: number, minSize = 3): ItemsetRule[] {
  const count = new Map(itemsets.map((s) => [s.items.join('\u0000'), s.count]));
  const rules: ItemsetRule[] = [];
  for (const s of itemsets) {
    if (s.items.length < minSize) continue;
    for (const consequent of s.items) {
      const antecedent = s.items.filter((i) => i !== consequent);
      const a = count.get(antecedent.join('\u0000'));
      const c = count.get(consequent);
      if (!a || !c) continue;
      const confidence = s.count / a;
      rules.push({
        antecedent,
        consequent,
        orders: s.count,
        support: round(s.count / baskets),
        confidence: round(confidence),
        lift: round(confidence / (c / baskets)),
      });
    }
  }
  return rules.sort(
    (x, y) => y.orders - x.orders || y.confidence - x.confidence || x.consequent.localeCompare(y.consequent),
  );
}

/**
 * Bundles of `minSize` items or more: itemsets whose most confident rule reaches `minConfidence`
 * with a lift of at least `minLift`, most orders first, each with its reason in words.
 */
export function itemsetBundles(
  rules: readonly ItemsetRule[],
  opts: { minLift: number; minConfidence: number },
) {
  const best = new Map<string, ItemsetRule>();
  for (const r of rules) {
    const key = [...r.antecedent, r.consequent].sort().join('\u0000');
    const seen = best.get(key);
    if (!seen || r.confidence > seen.confidence) best.set(key, r);
  }
  return [...best.values()]
    .filter((r) => r.lift >= opts.minLift && r.confidence >= opts.minConfidence)
    .map((r) => ({
      skus: [...r.antecedent, r.consequent].sort(),
      orders: r.orders,
      support: r.support,
      confidence: r.confidence,
      lift: r.lift,
      antecedent: r.antecedent,
      consequent: r.consequent,
      because: bundleBecause(r),
    }))
    .sort((a, b) => b.orders - a.orders || b.confidence - a.confidence);
}
