import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { ResumedOrder, WaitingPageCursor } from '../activities/stock/index.js';
import { historyFull } from './history.js';
import { stockArrivedSignal, stockReservedSignal } from './messages.js';

const retry = { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 } as const;
// One release or one batch of deletes.
const { releaseOrderStock, settleStockWaits } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry,
});
// A page (and the pass of runs recorded before paging) heartbeats per order: a worker lost, or an
// attempt stuck, mid-page is noticed within a minute and the page retried.
const { allocateWaitingPage, allocateWaitingOrders } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry,
});

const ROUNDS_PER_RUN = 100;
const IDLE_MS = 10 * 60_000;
const DEFAULT_PAGE_SIZE = 100;

/** Before it, a receipt reserved for the first 1,000 waiting orders only, all in one activity. */
const PAGING_PATCH = 'stock-arrival-pages-through-the-queue';

export interface StockArrivalInput {
  queued: string[];
  /** The receipt being worked when the previous run continued as new, and where it had got to. */
  current?: { skus: string[]; cursor: WaitingPageCursor } | null;
  /** WORKFLOW_HISTORY_LIMIT and STOCK_ARRIVAL_PAGE_SIZE, from the config of whoever started it. */
  historyLimit?: number;
  pageSize?: number;
}

/**
 * The single place stock is handed to orders that waited for it (`stock-arrivals:{task queue}`): receipts queue
 * here and are worked one at a time, so the oldest waiting order always gets the units first even
 * when receipts arrive together. A receipt pages through the whole queue (keyset by queue position);
 * each resumed order is signalled with its reservation, and an order that closed meanwhile gets its
 * reservation released. The run continues as new before its history grows long, in the middle of a
 * receipt if need be, carrying the receipt's place in the queue and every receipt queued behind it.
 */
export async function stockArrivalWorkflow(input: StockArrivalInput = { queued: [] }): Promise<void> {
  const queued = new Set(input.queued);
  setHandler(stockArrivedSignal, ({ skus }) => {
    for (const sku of skus) queued.add(sku);
  });
  if (!patched(PAGING_PATCH)) return legacyRounds(queued);

  let current = input.current ?? null;
  const carried = { historyLimit: input.historyLimit, pageSize: input.pageSize };
  for (;;) {
    if (!current) {
      if (!(await condition(() => queued.size > 0, IDLE_MS))) return;
      current = { skus: [...queued].sort(), cursor: { afterSeq: 0, blocked: [], settle: [] } };
      queued.clear();
    }
    const page = await allocateWaitingPage({
      skus: current.skus,
      actor: 'stock arrival',
      pageSize: input.pageSize ?? DEFAULT_PAGE_SIZE,
      cursor: current.cursor,
    });
    await Promise.all(page.resumed.map(tell));
    const settle = page.resumed.map((o) => ({ orderId: o.orderId, seq: o.seq }));
    if (page.next) {
      current = { skus: current.skus, cursor: { ...page.next, settle } };
    } else {
      if (settle.length) await settleStockWaits({ entries: settle });
      current = null;
    }
    if (historyFull(input.historyLimit)) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof stockArrivalWorkflow>({ queued: [...queued].sort(), current, ...carried });
    }
  }
}

/** Tells the order its stock is reserved; an order that closed while it waited gets its units freed. */
async function tell(order: ResumedOrder): Promise<void> {
  try {
    await getExternalWorkflowHandle(order.orderId).signal(stockReservedSignal, {
      allocationId: order.allocationId,
      plan: order.plan,
      shares: order.shares,
      reason: order.reason,
      waitedSince: order.waitedSince,
    });
  } catch {
    // Signalling a closed workflow fails.
    await releaseOrderStock({
      key: `${order.allocationId}:closed`,
      orderId: order.orderId,
      allocationId: order.allocationId,
      reason: 'the order closed while waiting for stock',
      actor: 'system',
    });
  }
}

/** Runs recorded before PAGING_PATCH: one activity per receipt, orders told one after another. */
async function legacyRounds(queued: Set<string>): Promise<void> {
  for (let round = 0; round < ROUNDS_PER_RUN; round++) {
    if (!(await condition(() => queued.size > 0, IDLE_MS))) return;
    const skus = [...queued].sort();
    queued.clear();
    const { resumed } = await allocateWaitingOrders({ skus, actor: 'stock arrival' });
    for (const order of resumed) await tell(order);
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof stockArrivalWorkflow>({ queued: [...queued] });
}
