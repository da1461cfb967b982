import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/connect.js';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import { reopensEndedCase } from '../../domain/after-sale-reopen.js';
import { orderWorkflowId } from '../../domain/ids.js';
import type { Platform } from '../../domain/platforms.js';
import { openShop } from '../capture/shop-adapters.js';
import {
  createAfterSalesApi,
  hasAfterSalesApi,
  type AfterSalesApi,
  type CaseRef,
  type PlatformCase,
} from '../../integrations/platforms/after-sales.js';
import type { NormalizedOrder } from '../../domain/order.js';
import {
  casesOfOrder,
  closedCase,
  hasOrderMarkedAfterSales,
} from '../../integrations/platforms/order-marked-after-sales.js';
import { platformCaseSignal, type AfterSaleWorkflowInput } from '../../workflows/messages.js';

/** What capturing an after-sales case reads of the config (shared with the Amazon returns report). */
export type CaptureConfig = Pick<
  Config,
  | 'CREDENTIALS_KEY'
  | 'DATA_DIR'
  | 'NODE_ENV'
  | 'TASK_QUEUE_ORDERS'
  | 'AFTER_SALE_FINANCE_ABOVE_FEN'
  | 'AFTER_SALE_ESCALATE_BEFORE_SECONDS'
  | 'TRACKING_POLL_SECONDS'
>;

export type CaseCaptureOutcome = 'started' | 'reopened' | 'ended' | 'not_supported';

/**
 * Brings marketplace after-sales cases to their workflows (docs/after-sales.md, "Platforms"): each
 * case the poll lists or a push names is read with the platform's detail call (TMC refund messages
 * carry no status) and signal-with-started as `aftersale:{platform}:{shopId}:{caseId}`. The id is
 * the case's, so a case has exactly one workflow run at a time; a repeat is one more signal the
 * workflow recognises as old news. A case whose workflow has ended is left alone, unless the buyer
 * asked again (a newer snapshot waiting for the seller, `reopensEndedCase`): then a new run of the
 * same workflow id opens it again.
 */
export function createCaseCapture(deps: { db: Db; client: Client; config: CaptureConfig }) {
  const apis = new Map<string, Promise<AfterSalesApi>>();
  const apiOf = (shopId: string) => {
    let api = apis.get(shopId);
    if (!api) {
      api = openShop({ db: deps.db, config: deps.config }, shopId).then((o) =>
        createAfterSalesApi(o.shop, o.options),
      );
      apis.set(shopId, api);
      api.catch(() => apis.delete(shopId));
    }
    return api;
  };

  return {
    /** Reads the case from the platform and hands it to its workflow. */
    async capture(shop: { shopId: string; platform: Platform }, ref: CaseRef): Promise<CaseCaptureOutcome> {
      if (!hasAfterSalesApi(shop.platform)) return 'not_supported';
      const current = await (await apiOf(shop.shopId)).getCase(ref);
      return startOrSignalCase(deps, shop, current);
    },

    /**
     * The cases an order shows on channels whose after-sales comes with the order (no case API):
     * the order was just read by the sweep or for a push, so each case goes to its workflow as is.
     */
    async captureFromOrders(
      shop: { shopId: string; platform: Platform },
      orders: readonly NormalizedOrder[],
    ): Promise<number> {
      if (!hasOrderMarkedAfterSales(shop.platform) || orders.length === 0) return 0;
      const shown = orders.flatMap(casesOfOrder);
      // Open cases the order no longer shows were withdrawn or closed by the platform: closed.
      const byOrderId = new Map(
        orders.map((o) => [orderWorkflowId(shop.platform, shop.shopId, o.platformOrderId), o]),
      );
      const open = await deps.db
        .selectFrom('after_sale_cases')
        .select(['platform_case_id', 'order_id'])
        .where('shop_id', '=', shop.shopId)
        .where('platform', '=', shop.platform)
        .where('order_id', 'in', [...byOrderId.keys()])
        .where('status', 'not in', ['refunded', 'refused', 'closed', 'exchanged', 'reshipped'])
        .execute();
      const showing = new Set(shown.map((c) => c.platformCaseId));
      const gone = open
        .filter((row) => !showing.has(row.platform_case_id))
        .map((row) => closedCase(byOrderId.get(row.order_id)!, row.platform_case_id));
      let handed = 0;
      for (const current of [...shown, ...gone]) {
        const outcome = await startOrSignalCase(deps, shop, current);
        if (outcome === 'started' || outcome === 'reopened') handed += 1;
      }
      return handed;
    },
  };
}

export async function startOrSignalCase(
  deps: { client: Client; config: CaptureConfig; db?: Db },
  shop: { shopId: string; platform: Platform },
  current: PlatformCase,
): Promise<CaseCaptureOutcome> {
  const caseId = afterSaleWorkflowId(shop.platform, shop.shopId, current.platformCaseId);
  const input: AfterSaleWorkflowInput = {
    caseId,
    platform: shop.platform,
    shopId: shop.shopId,
    platformCaseId: current.platformCaseId,
    orderId: orderWorkflowId(shop.platform, shop.shopId, current.platformOrderId),
    kind: current.kind,
    reason: current.reason,
    // The workflow reads the order's lines (quantities, what each paid) once the order is here.
    lines: [],
    requestedFen: current.amountFen,
    openedAt: current.createdAt,
    financeAboveFen: deps.config.AFTER_SALE_FINANCE_ABOVE_FEN,
    platformCase: current,
    escalateBeforeSeconds: deps.config.AFTER_SALE_ESCALATE_BEFORE_SECONDS,
    trackingPollSeconds: deps.config.TRACKING_POLL_SECONDS,
  };
  try {
    await deps.client.workflow.signalWithStart('afterSaleWorkflow', {
      workflowId: caseId,
      taskQueue: deps.config.TASK_QUEUE_ORDERS,
      args: [input],
      signal: platformCaseSignal,
      signalArgs: [current],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return 'started';
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  // The case's workflow has ended. What the platform says now is on its own record, unless the
  // buyer asked again: then the case opens again as a new run of the same id.
  const reopening = deps.db ? await reopeningOf(deps.db, caseId, current) : null;
  if (!reopening) return 'ended';
  // Allowed only once the previous run closed: a run started meanwhile (another poll or push with
  // the same news) takes this as one more signal, so two runs never go at once. The new run checks
  // again under the case's row lock before it changes anything.
  await deps.client.workflow.signalWithStart('afterSaleWorkflow', {
    workflowId: caseId,
    taskQueue: deps.config.TASK_QUEUE_ORDERS,
    args: [{ ...input, reopened: reopening }],
    signal: platformCaseSignal,
    signalArgs: [current],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
  return 'reopened';
}

/** How the ended case stood, when `current` opens it again (the buyer's newer request). */
async function reopeningOf(
  db: Db,
  caseId: string,
  current: PlatformCase,
): Promise<NonNullable<AfterSaleWorkflowInput['reopened']> | null> {
  const row = await db
    .selectFrom('after_sale_cases')
    .select(['status', 'platform_status', 'platform_modified_at', 'updated_at'])
    .where('id', '=', caseId)
    .executeTakeFirst();
  if (!row) return null;
  const ended = { status: row.status, lastSeenAt: row.platform_modified_at ?? row.updated_at };
  if (!reopensEndedCase(ended, current)) return null;
  const { count } = await db
    .selectFrom('after_sale_events')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('case_id', '=', caseId)
    .where('stage', '=', 'reopened')
    .executeTakeFirstOrThrow();
  return { run: Number(count) + 2, after: row.status, platformStatus: row.platform_status };
}
