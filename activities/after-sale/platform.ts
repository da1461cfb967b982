import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/connect.js';
import { raiseAlert } from '../../db/queries/alerts.js';
import {
  createAfterSalesApi,
  type CaseRef,
  type ExchangeParcel,
  type PlatformCase,
  type PlatformCaseStatus,
  type PlatformWriteResult,
  type ReturnedGoods,
} from '../../integrations/platforms/after-sales.js';
import { failFastOnRefusal } from './failures.js';
import { reopensEndedCase } from '../../domain/after-sale-reopen.js';
import {
  afterHandoverMode,
  linePaidFen,
  refundApprovalAboveFen,
  returnReceiptMode,
  type CaseLine,
} from '../../domain/after-sales.js';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import { noteOnEndedOrder } from '../../db/queries/ended-order-refunds.js';
import { orderAfterSaleNoteSignal, type OrderAfterSaleNote } from '../../workflows/messages.js';
import { openShop } from '../capture/shop-adapters.js';
import { largestMinorWithin } from '../../services/capture/fx.js';
import type { FinanceLimit } from '../../workflows/messages.js';

/** The platform's modified time of a case snapshot, where it is a time. */
const modifiedAtOf = (current: PlatformCase): Date | null => {
  const at = new Date(current.modifiedAt);
  return Number.isNaN(at.getTime()) ? null : at;
};

/** Platform statuses from which an agreement (or a refusal) has already been taken. */
const AGREED: ReadonlySet<PlatformCaseStatus> = new Set(['agreed', 'refunded', 'waiting_buyer']);
const ENDED: ReadonlySet<PlatformCaseStatus> = new Set(['refunded', 'closed']);
/**
 * The order's parcel reached the buyer: no interception can stop it any more. An order that ended
 * because the seller shipped it from the platform's back office (`completed`, outcome
 * `shipped_on_platform`) did not: its parcel is on its way, and the platform can still be asked.
 */
function delivered(order: { status: string; outcome: string | null }): boolean {
  if (order.status === 'delivered') return true;
  return order.status === 'completed' && order.outcome !== 'shipped_on_platform';
}

/**
 * The case's calls to its marketplace (docs/after-sales.md, "Platforms"): read the case, agree or
 * refuse it with the platform's own signed API, and escalate a seller deadline to a person. A
 * write reads the case first: a retry after a lost answer (or a person who answered in the back
 * office) finds the platform already there and sends nothing.
 */
export function createPlatformAfterSaleActivities(deps: { db: Db; config: Config; client: Client }) {
  const { db, config, client } = deps;
  const ring = dataKeyring(config);

  const api = async (shopId: string) => {
    const opened = await openShop({ db, config }, shopId);
    return createAfterSalesApi(opened.shop, opened.options);
  };
  const platformCall = failFastOnRefusal;
  /** A CNY limit in the currency of the order, at the rate intake recorded on it (`orders.fx`). */
  const limitInOrderCurrency = async (orderId: string, aboveFen: number): Promise<FinanceLimit> => {
    const order = await db
      .selectFrom('orders')
      .select(['currency', 'fx'])
      .where('id', '=', orderId)
      .executeTakeFirst();
    const fx = order?.fx as { originalCurrency?: unknown; rate?: unknown } | null | undefined;
    if (typeof fx?.originalCurrency !== 'string' || typeof fx.rate !== 'string') {
      return { aboveMinor: aboveFen, currency: order?.currency ?? 'CNY', rate: null, aboveFen };
    }
    return {
      aboveMinor: largestMinorWithin(aboveFen, fx.originalCurrency, fx.rate),
      currency: fx.originalCurrency,
      rate: fx.rate,
      aboveFen,
    };
  };
  const note = async (caseId: string, current: PlatformCase) => {
    await db
      .updateTable('after_sale_cases')
      .set({
        platform_status: current.platformStatus,
        seller_deadline: current.sellerDeadline ?? null,
        buyer_deadline: current.buyerDeadline ?? null,
        platform_modified_at: modifiedAtOf(current),
        updated_at: new Date(),
      })
      .where('id', '=', caseId)
      .execute();
  };

  /**
   * What the warehouse found per line of the case's parcel back (platforms that are told it:
   * Shopify's dispositions).
   */
  const returnedGoods = async (caseId: string): Promise<ReturnedGoods> => {
    const inspected = await db
      .selectFrom('after_sale_return_lines')
      .select(['line_id', 'restocked_qty', 'written_off_qty'])
      .where('case_id', '=', caseId)
      .execute();
    const lines = inspected.map((l) => ({
      lineId: l.line_id,
      restock: l.restocked_qty,
      writeOff: l.written_off_qty,
    }));
    return { units: lines.reduce((sum, l) => sum + l.restock, 0), lines };
  };

  /** A note on the order's timeline: through its workflow while it runs, else after its last event. */
  const noteOnOrder = async (note: OrderAfterSaleNote & { orderId: string }) => {
    const { orderId, ...signal } = note;
    try {
      const handle = client.workflow.getHandle(orderId);
      if ((await handle.describe()).status.name === 'RUNNING') {
        await handle.signal(orderAfterSaleNoteSignal, signal);
        return;
      }
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    await noteOnEndedOrder(db, ring, note);
  };

  return {
    /**
     * The finance limit (`AFTER_SALE_FINANCE_ABOVE_FEN`, CNY fen) in the currency of the case's
     * order, at the rate the order was converted with at intake (`orders.fx`): a marketplace case
     * asks in the order's own currency (a Shopee SGD shop's return in cents). A CNY order keeps it.
     */
    async caseFinanceLimit(input: { orderId: string; financeAboveFen: number }): Promise<FinanceLimit> {
      return limitInOrderCurrency(input.orderId, input.financeAboveFen);
    },

    /**
     * The shop's refund approval limit (setting `refundApprovalAboveFen`, CNY fen) in the currency of
     * the case's order, as `caseFinanceLimit` converts: a marketplace refund above it waits for
     * finance's approval before the platform is told. Null: the shop sets no limit.
     */
    async caseRefundApprovalLimit(input: { shopId: string; orderId: string }): Promise<FinanceLimit | null> {
      const shop = await db
        .selectFrom('shops')
        .select('settings')
        .where('id', '=', input.shopId)
        .executeTakeFirst();
      const aboveFen = refundApprovalAboveFen(shop?.settings as Record<string, unknown> | null);
      return aboveFen === null ? null : limitInOrderCurrency(input.orderId, aboveFen);
    },

    /**
     * The order lines a platform case covers (the named ones, or all), with the buyer's amount
     * split over them by what each paid. The order may still be on its way in (a push can name a
     * refund before the order's projection is written): retried until it is here.
     */
    async resolvePlatformCaseLines(input: {
      orderId: string;
      lineIds: string[];
      amountFen: number;
    }): Promise<CaseLine[]> {
      const rows = await db
        .selectFrom('order_lines')
        .select(['line_id', 'quantity', 'unit_price_fen', 'discount_fen', 'tax_fen'])
        .where('order_id', '=', input.orderId)
        .orderBy('line_id')
        .execute();
      if (rows.length === 0) {
        throw ApplicationFailure.create({
          type: 'order_not_here_yet',
          message: `${input.orderId} is not here yet`,
        });
      }
      const named = rows.filter((r) => input.lineIds.includes(r.line_id));
      const chosen = named.length > 0 ? named : rows;
      const paid = chosen.map((r) =>
        linePaidFen({
          unitPriceFen: r.unit_price_fen,
          quantity: r.quantity,
          discountFen: r.discount_fen,
          taxFen: r.tax_fen,
        }),
      );
      const total = paid.reduce((a, b) => a + b, 0);
      let left = input.amountFen;
      return chosen.map((r, i) => {
        const share =
          i === chosen.length - 1 ? left : total > 0 ? Math.floor((input.amountFen * paid[i]!) / total) : 0;
        left -= share;
        return { lineId: r.line_id, quantity: r.quantity, requestedFen: share };
      });
    },

    /** Where the platform says the case stands, and its deadlines, on the projection. */
    async notePlatformCase(input: { caseId: string; current: PlatformCase }): Promise<void> {
      await note(input.caseId, input.current);
    },

    /**
     * Opens an ended case again for the buyer's newer request (docs/after-sales.md, "A case the
     * buyer asks again"), under the case's row lock: only while the case is still ended and the
     * snapshot is newer than the last it took (a second start for the same snapshot, or a stale
     * one, finds it open or not newer and changes nothing). The same row goes on: open, nothing
     * agreed or refunded, no escalation, what the buyer asks now, the platform's status. Answers
     * whether it opened it.
     */
    async reopenAfterSaleCase(input: {
      caseId: string;
      current: PlatformCase;
      lines: CaseLine[];
      requestedFen: number;
    }): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('after_sale_cases')
          .select(['status', 'platform_modified_at', 'updated_at'])
          .where('id', '=', input.caseId)
          .forUpdate()
          .executeTakeFirst();
        if (!row) return false;
        const ended = { status: row.status, lastSeenAt: row.platform_modified_at ?? row.updated_at };
        if (!reopensEndedCase(ended, input.current)) return false;
        await trx
          .updateTable('after_sale_cases')
          .set({
            status: 'open',
            waiting_for: null,
            outcome: null,
            agreed_fen: null,
            refunded_fen: 0,
            escalated_at: null,
            requested_fen: input.requestedFen,
            platform_status: input.current.platformStatus,
            seller_deadline: input.current.sellerDeadline ?? null,
            buyer_deadline: input.current.buyerDeadline ?? null,
            platform_modified_at: modifiedAtOf(input.current),
            updated_at: new Date(),
          })
          .where('id', '=', input.caseId)
          .execute();
        // What the buyer asks now, per line (the amount may have changed with the request).
        for (const line of input.lines) {
          await trx
            .insertInto('after_sale_case_lines')
            .values({
              case_id: input.caseId,
              line_id: line.lineId,
              quantity: line.quantity,
              requested_fen: line.requestedFen,
            })
            .onConflict((c) =>
              c.columns(['case_id', 'line_id']).doUpdateSet({
                quantity: line.quantity,
                requested_fen: line.requestedFen,
              }),
            )
            .execute();
        }
        return true;
      });
    },

    /** The case as the platform has it now; its status and deadlines go to the projection. */
    async readPlatformCase(input: { caseId: string; shopId: string; ref: CaseRef }): Promise<PlatformCase> {
      const current = await platformCall(async () => (await api(input.shopId)).getCase(input.ref));
      await note(input.caseId, current);
      return current;
    },

    /**
     * Agrees (for `amountFen`) or refuses (with `reason`) on the platform, once: the case is read
     * first, and a platform already past that answer is `already`. Answers with the platform's
     * result and the case as the platform has it afterwards.
     */
    async answerOnPlatform(input: {
      caseId: string;
      shopId: string;
      ref: CaseRef;
      action: 'agree' | 'refuse';
      amountFen: number;
      reason: string;
    }): Promise<{ result: PlatformWriteResult; current: PlatformCase }> {
      return platformCall(async () => {
        const platform = await api(input.shopId);
        const before = await platform.getCase(input.ref);
        const taken =
          input.action === 'agree'
            ? AGREED.has(before.status) || ENDED.has(before.status)
            : before.status === 'refused' || ENDED.has(before.status);
        if (taken) {
          await note(input.caseId, before);
          return { result: { outcome: 'already', status: before.status }, current: before };
        }
        const result =
          input.action === 'agree'
            ? await platform.agree(before, input.amountFen)
            : await platform.refuse(before, input.reason);
        const after = result.outcome === 'done' ? await platform.getCase(input.ref) : before;
        await note(input.caseId, after);
        return { result, current: after };
      });
    },

    /**
     * One step of an exchange answered through the platform (Tmall): `agree` (with the shop's
     * return address), `confirm_returned` (the goods came back as sold) or `consign` (the
     * replacement's tracking number). Read first: a step the platform is already past is `already`,
     * so a retried activity sends nothing twice. Answers with the case as the platform has it after.
     */
    async answerExchangeOnPlatform(input: {
      caseId: string;
      shopId: string;
      ref: CaseRef;
      step: 'agree' | 'confirm_returned' | 'consign' | 'refuse' | 'refuse_received' | 'refund';
      parcel?: ExchangeParcel;
      /**
       * The reason of a refusal (`refuse`, Douyin operate 302; `refuse_received`, 312) or of turning
       * the exchange into a refund (`refund`, 321).
       */
      reason?: string;
    }): Promise<{ result: PlatformWriteResult; current: PlatformCase }> {
      return platformCall(async () => {
        const platform = await api(input.shopId);
        const before = await platform.getCase(input.ref);
        if (!platform.exchange) {
          return {
            result: {
              outcome: 'not_offered',
              message: `${platform.platform} takes no exchange answers by API`,
            },
            current: before,
          };
        }
        const past: Record<typeof input.step, readonly string[]> = {
          agree: ['returning', 'returned', 'to_ship', 'shipped', 'ended'],
          confirm_returned: ['to_ship', 'shipped', 'ended'],
          consign: ['shipped', 'ended'],
          refuse: [],
          refuse_received: [],
          refund: [],
        };
        // The decisions after the first review (Douyin 312, 321): refused or refunded already is
        // the same answer (a retry after a lost answer); an exchange that moved past them (the
        // replacement sent, ended otherwise) takes neither.
        if (input.step === 'refuse_received' || input.step === 'refund') {
          const same = input.step === 'refund' ? 'refunded' : 'refused';
          const open =
            input.step === 'refund'
              ? ['requested', 'returning', 'returned'].includes(before.exchangeStep ?? '')
              : before.exchangeStep === 'returned';
          if (before.status === same || !open) {
            await note(input.caseId, before);
            return {
              result:
                before.status === same
                  ? { outcome: 'already', status: before.status }
                  : {
                      outcome: 'rejected',
                      code: 'moved_on',
                      message: `the exchange is past that decision on ${platform.platform} (${before.platformStatus})`,
                    },
              current: before,
            };
          }
          const exchange = platform.exchange;
          const written =
            input.step === 'refund'
              ? exchange.refundInstead?.(before, input.reason ?? '')
              : exchange.refuseReceived?.(before, input.reason ?? '');
          const result: PlatformWriteResult = (await written) ?? {
            outcome: 'not_offered',
            message: `${platform.platform} takes no such exchange decision by API`,
          };
          const after = result.outcome === 'done' ? await platform.getCase(input.ref) : before;
          await note(input.caseId, after);
          return { result, current: after };
        }
        // A refusal is taken only while the exchange waits for the seller: refused already is the
        // same answer (a retry), anything else moved on (agreed in the back office) and is no refusal.
        if (input.step === 'refuse' && before.status === 'refused') {
          await note(input.caseId, before);
          return { result: { outcome: 'already', status: before.status }, current: before };
        }
        if (input.step === 'refuse' && before.exchangeStep && before.exchangeStep !== 'requested') {
          await note(input.caseId, before);
          return {
            result: {
              outcome: 'rejected',
              code: 'moved_on',
              message: `the exchange no longer waits for the seller (${before.platformStatus})`,
            },
            current: before,
          };
        }
        if (before.exchangeStep && past[input.step].includes(before.exchangeStep)) {
          await note(input.caseId, before);
          return { result: { outcome: 'already', status: before.status }, current: before };
        }
        const result =
          input.step === 'agree'
            ? await platform.exchange.agree(before)
            : input.step === 'confirm_returned'
              ? await platform.exchange.confirmReturned(before)
              : input.step === 'refuse'
                ? await platform.refuse(before, input.reason ?? '')
                : await platform.exchange.consign(before, input.parcel!, await returnedGoods(input.caseId));
        const after = result.outcome === 'done' ? await platform.getCase(input.ref) : before;
        await note(input.caseId, after);
        return { result, current: after };
      });
    },

    /**
     * A marketplace return is back at the warehouse and was inspected as sold: where the shop's
     * `returnReceipt` rule is `platform`, the platform is told (JD `asc.receive.register`) and then
     * refunds the buyer; `person` (the default): nothing here, a person does it on the platform.
     * Shopify is told per line what went back on the shelf and what was written off (dispose).
     * Read first: a return the platform is already past (agreed, refunded, ended) is `already`,
     * so a retried activity registers nothing twice.
     */
    async confirmReturnOnPlatform(input: {
      caseId: string;
      shopId: string;
      ref: CaseRef;
      units: number;
    }): Promise<
      { mode: 'person' } | { mode: 'platform'; result: PlatformWriteResult; current: PlatformCase }
    > {
      const shop = await db
        .selectFrom('shops')
        .select(['settings'])
        .where('id', '=', input.shopId)
        .executeTakeFirst();
      if (returnReceiptMode(shop?.settings) !== 'platform') return { mode: 'person' };
      return platformCall(async () => {
        const platform = await api(input.shopId);
        const before = await platform.getCase(input.ref);
        if (before.status !== 'open' && before.status !== 'waiting_buyer') {
          await note(input.caseId, before);
          return {
            mode: 'platform' as const,
            result: { outcome: 'already' as const, status: before.status },
            current: before,
          };
        }
        const { lines } = await returnedGoods(input.caseId);
        const result: PlatformWriteResult = platform.returnReceived
          ? await platform.returnReceived(before, { units: input.units, lines })
          : {
              outcome: 'not_offered',
              message: `${platform.platform} takes no goods-received call by API`,
            };
        const after = result.outcome === 'done' ? await platform.getCase(input.ref) : before;
        await note(input.caseId, after);
        return { mode: 'platform' as const, result, current: after };
      });
    },

    /**
     * A refund case names lines already with the carrier. The shop's `afterHandover` setting says
     * what to do: `person` (the default) — nothing here, the case goes to a person; `intercept` —
     * ask the platform to intercept the parcel where its API offers the call (`not_offered` where
     * it does not: a person asks the carrier). The platform's answer goes on the order's timeline
     * (`after_sale_intercept`, once per case) and back to the case. A retry after a lost answer
     * asks again: the platform's intercept of a refund is one (the simulators answer a repeat with
     * the same success; the facts say nothing of repeats).
     */
    async interceptAfterHandover(input: {
      caseId: string;
      shopId: string;
      orderId: string;
      ref: CaseRef;
      lineIds: string[];
    }): Promise<{ mode: 'person' } | { mode: 'intercept'; result: PlatformWriteResult }> {
      const shop = await db
        .selectFrom('shops')
        .select(['platform', 'settings'])
        .where('id', '=', input.shopId)
        .executeTakeFirst();
      if (afterHandoverMode(shop?.settings) !== 'intercept') return { mode: 'person' };
      const order = await db
        .selectFrom('orders')
        .select(['status', 'outcome'])
        .where('id', '=', input.orderId)
        .executeTakeFirst();
      const result = await platformCall(async (): Promise<PlatformWriteResult> => {
        if (order && delivered(order)) {
          return {
            outcome: 'not_offered',
            message: `the parcel was ${order.status}: nothing left to intercept`,
          };
        }
        const platform = await api(input.shopId);
        if (!platform.intercept) {
          return {
            outcome: 'not_offered',
            message: `${platform.platform} offers no parcel interception through its API: a person asks the carrier`,
          };
        }
        return platform.intercept(await platform.getCase(input.ref));
      });
      await noteOnOrder({
        orderId: input.orderId,
        key: `${input.caseId}:intercept`,
        stage: 'after_sale_intercept',
        actor: input.caseId,
        detail: {
          caseId: input.caseId,
          platformCaseId: input.ref.platformCaseId,
          lineIds: input.lineIds,
          ...result,
        },
      });
      return { mode: 'intercept', result };
    },

    /**
     * The seller's deadline is near and nobody decided: an `after_sale_deadline` alert for the shop
     * and the case marked escalated (the review queue shows it first). Repeating it changes nothing.
     */
    async escalateAfterSaleDeadline(input: {
      caseId: string;
      shopId: string;
      platformCaseId: string;
      deadline: string;
    }): Promise<void> {
      await raiseAlert(db, {
        shopId: input.shopId,
        kind: 'after_sale_deadline',
        message: `after-sales case ${input.platformCaseId} needs a decision before ${input.deadline}, or the platform decides for the buyer`,
      });
      await db
        .updateTable('after_sale_cases')
        .set((eb) => ({ escalated_at: eb.fn.coalesce('escalated_at', eb.val(new Date())) }))
        .where('id', '=', input.caseId)
        .execute();
    },
  };
}
