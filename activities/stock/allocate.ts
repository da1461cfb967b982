import type { Db } from '../../db/connect.js';
import { resolveOrderLines, type UnmappedLine } from '../../db/queries/catalog.js';
import {
  binAssignments,
  clearStockWait,
  findOperation,
  ordersWaitingForStock,
  requestReplenishment,
  reserveStock,
  settleResumedWaits,
  stockLevels,
  stockWaitPage,
  waitForStock,
  warehouseProfiles,
  type ReserveOutcome,
} from '../../db/queries/stock.js';
import {
  attributeParts,
  toAllocationLines,
  type ResolvedLine,
  type WarehouseShare,
} from '../../domain/allocation/order-lines.js';
import {
  planAllocation,
  type AllocationPart,
  type AllocationPlan,
  type ShortLine,
} from '../../domain/allocation/plan.js';
import type { NormalizedOrder } from '../../domain/order.js';
import { findShop } from '../../db/queries/shops.js';
import { isPlatform } from '../../domain/platforms.js';
import {
  splitHoldDetail,
  splitHoldMessage,
  splitShipmentPolicy,
  type SplitShipmentPolicy,
} from '../../domain/split-shipments.js';

export type { WarehouseShare };

export interface AllocateOrderInput {
  /** The order's workflow id. */
  orderId: string;
  /** Deterministic per attempt, e.g. `${orderId}:alloc:${n}`; also the reservation's idempotency key. */
  allocationId: string;
  order: Pick<NormalizedOrder, 'platform' | 'shopId' | 'lines' | 'receiver'>;
  actor?: string;
  /**
   * What to do when no single warehouse can ship the whole order (docs/order-semantics.md, "Split
   * shipments"). Absent: split (orders recorded before shops could refuse splits). `hold`: split
   * only where the shop's split-shipment mode is `auto`, else answer `split_needed`. `split`: a
   * person chose to split (still refused where the shop's mode is `never`). `together`: a person
   * chose to wait until one warehouse can ship it all.
   */
  splits?: 'hold' | 'split' | 'together';
}

export type AllocateOrderResult =
  | {
      kind: 'allocated';
      allocationId: string;
      plan: 'single' | 'split';
      shares: WarehouseShare[];
      reason: string;
    }
  | { kind: 'unmapped'; unmapped: UnmappedLine[]; reason: string }
  | {
      kind: 'out_of_stock';
      short: ShortLine[];
      replenishmentRequestIds: number[];
      /** Position in the stock-wait queue: lower is resumed first. */
      waitSeq: number;
      reason: string;
    }
  | { kind: 'unfulfillable'; reason: string; missing: { sku: string; capability: string }[] }
  | {
      /** The order needs several parcels and its shop does not split without a person (nothing reserved). */
      kind: 'split_needed';
      policy: SplitShipmentPolicy;
      /** The planner's split, as it would have been. */
      parts: AllocationPart[];
      reason: string;
      message: string;
    }
  | {
      /** Waiting (in the stock-wait queue) until one warehouse can ship the whole order. */
      kind: 'waiting_together';
      waitSeq: number;
      reason: string;
    };

/** What an order waiting for stock needs for allocation to be tried again without the workflow. */
export interface StockWaitRequest {
  orderId: string;
  lines: ResolvedLine[];
  province: string;
  /** Resumed only when one warehouse can ship every line (the shop does not split on its own). */
  together?: boolean;
}

export interface ResumedOrder {
  orderId: string;
  allocationId: string;
  plan: 'single' | 'split';
  shares: WarehouseShare[];
  reason: string;
  waitedSince: string;
}

const RACE_RETRIES = 3;

/**
 * Maps, plans and reserves an order in one step. When stock is short the order joins the stock-wait
 * queue and replenishment is requested, per short SKU, from the best-ranked warehouse that stocks it. Safe to retry:
 * a reservation already made under this allocation id is returned as it was made.
 */
export async function allocateOrder(db: Db, input: AllocateOrderInput): Promise<AllocateOrderResult> {
  const actor = input.actor ?? 'system';
  const resolved = await resolveOrderLines(db, {
    platform: input.order.platform,
    shopId: input.order.shopId,
    lines: input.order.lines,
  });
  if (resolved.unmapped.length) {
    return {
      kind: 'unmapped',
      unmapped: resolved.unmapped,
      reason: `unmapped SKU(s): ${resolved.unmapped.map((u) => u.problem).join('; ')}`,
    };
  }
  const previous = await findOperation(db, input.allocationId);
  if (previous) {
    const outcome = previous.outcome as ReserveOutcome;
    if (outcome.ok) return allocated(input.allocationId, resolved.lines, outcome);
  }

  const policy = input.splits ? await shopSplitPolicy(db, input.order) : null;
  // Splitting needs the shop's (or a person's) word: `auto`, or a person's `split` where allowed.
  const splitsFreely =
    !policy || policy.mode === 'auto' || (input.splits === 'split' && policy.mode !== 'never');
  const request: StockWaitRequest = {
    orderId: input.orderId,
    lines: resolved.lines,
    province: input.order.receiver.province,
    ...(splitsFreely ? {} : { together: true }),
  };
  let plan: AllocationPlan | undefined;
  for (let attempt = 0; attempt < RACE_RETRIES; attempt++) {
    plan = await planFor(db, resolved.lines, input.order.receiver.province);
    if (plan.kind !== 'single' && plan.kind !== 'split') break;
    if (plan.kind === 'split' && !splitsFreely) {
      if (input.splits === 'together') {
        const wait = await joinStockWait(db, request);
        return {
          kind: 'waiting_together',
          waitSeq: wait.seq,
          reason: `waiting for one warehouse to hold the whole order (${plan.reason})`,
        };
      }
      return {
        kind: 'split_needed',
        policy: policy!,
        parts: plan.parts,
        reason: splitHoldDetail(policy!, plan.reason),
        message: splitHoldMessage(policy!),
      };
    }
    const { outcome } = await reserveStock(db, {
      key: input.allocationId,
      orderId: input.orderId,
      allocationId: input.allocationId,
      parts: plan.parts,
      actor,
      memo: { plan: plan.kind, reason: plan.reason },
    });
    if (outcome.ok) {
      await clearStockWait(db, input.orderId);
      return allocated(input.allocationId, resolved.lines, outcome);
    }
    // Another order took the stock between planning and reserving: plan again on fresh numbers.
  }
  if (!plan || plan.kind === 'single' || plan.kind === 'split') {
    plan = {
      kind: 'out_of_stock',
      short: [],
      replenish: [],
      reason: 'stock kept changing while reserving',
    };
  }
  if (plan.kind === 'unfulfillable')
    return { kind: 'unfulfillable', reason: plan.reason, missing: plan.missing };

  const ids: number[] = [];
  for (const target of plan.replenish) {
    ids.push(
      await requestReplenishment(db, {
        warehouse: target.warehouse,
        sku: target.sku,
        qty: target.qty,
        orderId: input.orderId,
        reason: target.reason,
      }),
    );
  }
  const wait = await joinStockWait(db, request);
  return {
    kind: 'out_of_stock',
    short: plan.short,
    replenishmentRequestIds: [...new Set(ids)],
    waitSeq: wait.seq,
    reason: plan.reason,
  };
}

/**
 * When stock arrives: allocates orders waiting for it, longest-waiting first. An order that still
 * cannot be served keeps its place, and younger orders needing the same SKU wait behind it, so
 * stock goes strictly to the oldest order for each SKU. Returns the orders that now hold stock
 * (signal their workflows with these allocations).
 *
 * The whole pass runs on one pooled connection, taken once: a pass makes four or five queries per
 * waiting order, and taking the pool for each put every one of them behind the whole queue of
 * other activities' queries. Under an order burst (pool of 10, a hundred activities at once) a
 * pass over 68 waiting orders waited minutes for connections and outlived its start-to-close
 * timeout, where the same work alone takes half a second.
 */
export async function allocateWaitingOrders(
  pool: Db,
  input: { skus?: string[]; actor?: string; limit?: number },
  progress: (at: { seq: number }) => void = () => {},
): Promise<{ resumed: ResumedOrder[]; stillWaiting: number }> {
  return pool.connection().execute((db) => allocateWaitingOrdersOn(db, input, progress));
}

async function allocateWaitingOrdersOn(
  db: Db,
  input: { skus?: string[]; actor?: string; limit?: number },
  progress: (at: { seq: number }) => void,
): Promise<{ resumed: ResumedOrder[]; stillWaiting: number }> {
  const waiting = await ordersWaitingForStock(db, input.skus ?? [], input.limit ?? 1000);
  const blocked = new Set<string>();
  const resumed: ResumedOrder[] = [];
  let stillWaiting = 0;
  for (const wait of waiting) {
    progress({ seq: wait.seq });
    const request = wait.request as unknown as StockWaitRequest;
    if (request.lines.some((l) => blocked.has(l.sku))) {
      stillWaiting += 1;
      for (const l of request.lines) blocked.add(l.sku);
      continue;
    }
    const served = await reserveForWait(db, wait, request, input.actor, false);
    if (served.kind === 'resumed') {
      resumed.push(resumedOrder(wait.orderId, served.result, wait.waitingSince.toISOString()));
      continue;
    }
    if (served.kind === 'withdrawn') continue;
    stillWaiting += 1;
    if (served.kind === 'apart') continue;
    for (const l of request.lines) blocked.add(l.sku);
  }
  return { resumed, stillWaiting };
}

/** Where a receipt has got to in the stock-wait queue; carried from page to page (and across runs). */
export interface WaitingPageCursor {
  /** The last queue position looked at. */
  afterSeq: number;
  /** SKUs an older, still-waiting order needs: younger orders wait behind it. */
  blocked: string[];
  /** Orders the previous page reserved for whose workflows have now been told. */
  settle: { orderId: string; seq: number }[];
}

export interface WaitingPageResult {
  resumed: (ResumedOrder & { seq: number })[];
  stillWaiting: number;
  /** Where the next page starts; null when the queue has been read to its end. */
  next: Omit<WaitingPageCursor, 'settle'> | null;
}

/**
 * One page of a receipt's work on the stock-wait queue: the same oldest-first rule as
 * allocateWaitingOrders, by keyset over the queue so every waiting order is reached. Idempotent: an
 * order a previous attempt reserved for is marked in the queue and returned again, not lost, until
 * the next page settles it. `progress` is called after each order (the activity heartbeats there).
 * Like allocateWaitingOrders, a page holds one connection throughout.
 */
export async function allocateWaitingPage(
  pool: Db,
  input: { skus: string[]; actor?: string; pageSize: number; cursor: WaitingPageCursor },
  progress: (at: { seq: number }) => void = () => {},
): Promise<WaitingPageResult> {
  return pool.connection().execute((db) => allocateWaitingPageOn(db, input, progress));
}

async function allocateWaitingPageOn(
  db: Db,
  input: { skus: string[]; actor?: string; pageSize: number; cursor: WaitingPageCursor },
  progress: (at: { seq: number }) => void,
): Promise<WaitingPageResult> {
  await settleResumedWaits(db, input.cursor.settle);
  const waiting = await stockWaitPage(db, {
    skus: input.skus,
    afterSeq: input.cursor.afterSeq,
    limit: input.pageSize,
  });
  const blocked = new Set(input.cursor.blocked);
  const resumed: WaitingPageResult['resumed'] = [];
  let stillWaiting = 0;
  for (const wait of waiting) {
    progress({ seq: wait.seq });
    const request = wait.request as unknown as StockWaitRequest;
    const waitedSince = wait.waitingSince.toISOString();
    if (wait.resumedAllocationId) {
      // Reserved by an earlier attempt whose order may not have been told yet.
      const previous = await findOperation(db, wait.resumedAllocationId);
      const outcome = previous?.outcome as ReserveOutcome | undefined;
      if (outcome?.ok) {
        const result = allocated(wait.resumedAllocationId, request.lines, outcome);
        resumed.push({ ...resumedOrder(wait.orderId, result, waitedSince), seq: wait.seq });
      }
      continue;
    }
    if (request.lines.some((l) => blocked.has(l.sku))) {
      stillWaiting += 1;
      for (const l of request.lines) blocked.add(l.sku);
      continue;
    }
    const served = await reserveForWait(db, wait, request, input.actor, true);
    if (served.kind === 'resumed') {
      resumed.push({ ...resumedOrder(wait.orderId, served.result, waitedSince), seq: wait.seq });
      continue;
    }
    if (served.kind === 'withdrawn') continue;
    stillWaiting += 1;
    if (served.kind === 'apart') continue;
    for (const l of request.lines) blocked.add(l.sku);
  }
  const last = waiting[waiting.length - 1];
  return {
    resumed,
    stillWaiting,
    next:
      waiting.length < input.pageSize || !last ? null : { afterSeq: last.seq, blocked: [...blocked].sort() },
  };
}

/**
 * Reserves a waiting order's lines if stock now serves them, consuming its queue entry (`mark`: kept,
 * marked with the reservation, until its workflow has been told). `withdrawn`: the order stopped
 * waiting meanwhile.
 */
async function reserveForWait(
  db: Db,
  wait: { orderId: string; seq: number; attempt: number },
  request: StockWaitRequest,
  actor: string | undefined,
  mark: boolean,
): Promise<
  | { kind: 'resumed'; result: Extract<AllocateOrderResult, { kind: 'allocated' }> }
  | { kind: 'withdrawn' }
  | { kind: 'waiting' }
  | { kind: 'apart' }
> {
  const plan = await planFor(db, request.lines, request.province);
  if (plan.kind !== 'single' && plan.kind !== 'split') return { kind: 'waiting' };
  // Stock for it is there, only not in one warehouse: it waits on without holding others back.
  if (plan.kind === 'split' && request.together) return { kind: 'apart' };
  const allocationId = `${wait.orderId}:stock-wait:${wait.seq}:${wait.attempt}`;
  const { outcome } = await reserveStock(db, {
    key: allocationId,
    orderId: wait.orderId,
    allocationId,
    parts: plan.parts,
    actor: actor ?? 'system',
    memo: { plan: plan.kind, reason: plan.reason },
    consumeWait: mark ? { seq: wait.seq, mark: true } : { seq: wait.seq },
  });
  if (outcome.ok) return { kind: 'resumed', result: allocated(allocationId, request.lines, outcome) };
  return { kind: outcome.withdrawn ? 'withdrawn' : 'waiting' };
}

function resumedOrder(
  orderId: string,
  result: Extract<AllocateOrderResult, { kind: 'allocated' }>,
  waitedSince: string,
): ResumedOrder {
  return {
    orderId,
    allocationId: result.allocationId,
    plan: result.plan,
    shares: result.shares,
    reason: result.reason,
    waitedSince,
  };
}

/** Puts the order in the stock-wait queue (or updates its place there) with what it waits for. */
function joinStockWait(db: Db, request: StockWaitRequest) {
  return waitForStock(db, {
    orderId: request.orderId,
    skus: request.lines.map((l) => l.sku),
    request: { ...request },
  });
}

/** The shop's split-shipment mode (its setting, else its platform's default). */
async function shopSplitPolicy(
  db: Db,
  order: Pick<NormalizedOrder, 'platform' | 'shopId'>,
): Promise<SplitShipmentPolicy | null> {
  if (!isPlatform(order.platform)) return null;
  const shop = await findShop(db, order.shopId);
  return splitShipmentPolicy(order.platform, shop?.settings);
}

async function planFor(db: Db, lines: ResolvedLine[], province: string): Promise<AllocationPlan> {
  const skus = lines.map((l) => l.sku);
  const [warehouses, stock, setUpFor] = await Promise.all([
    warehouseProfiles(db),
    stockLevels(db, skus),
    binAssignments(db, skus),
  ]);
  return planAllocation({
    lines: toAllocationLines(lines),
    receiver: { province },
    warehouses,
    stock,
    setUpFor,
  });
}

function allocated(
  allocationId: string,
  lines: ResolvedLine[],
  outcome: Extract<ReserveOutcome, { ok: true }>,
): Extract<AllocateOrderResult, { kind: 'allocated' }> {
  const parts = new Map<string, AllocationPart>();
  for (const r of outcome.reserved) {
    const part = parts.get(r.warehouse) ?? { warehouse: r.warehouse, lines: [] };
    part.lines.push({ sku: r.sku, qty: r.qty });
    parts.set(r.warehouse, part);
  }
  const attributed = attributeParts(lines, [...parts.values()]);
  const memo = outcome.memo as { plan?: 'single' | 'split'; reason?: string } | undefined;
  return {
    kind: 'allocated',
    allocationId,
    plan: memo?.plan ?? (parts.size > 1 ? 'split' : 'single'),
    shares: [...parts.keys()].map((warehouse) => ({
      warehouse,
      lines: attributed.filter((l) => l.warehouse === warehouse),
    })),
    reason: memo?.reason ?? `reserved at ${[...parts.keys()].join(', ')}`,
  };
}
