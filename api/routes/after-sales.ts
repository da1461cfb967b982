import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { temporalUiUrl } from '../../config/index.js';
import {
  AFTER_SALE_KINDS,
  AFTER_SALE_STATUSES,
  ReplacementsSchema,
  type AfterSaleDecision,
} from '../../domain/after-sales.js';
import { CarrierCodeSchema } from '../../domain/carriers/codes.js';
import { CARRIER_NAMES } from '../../domain/carriers/names.js';
import { ShopIdSchema } from '../../domain/ids.js';
import { returnScans } from '../../db/queries/return-scans.js';
import {
  afterSaleApprovalUpdate,
  afterSaleDecisionUpdate,
  afterSaleRetryUpdate,
  afterSaleStateQuery,
  type AfterSaleStateView,
} from '../../workflows/messages.js';
import { scopedShops } from '../auth/shop-scope.js';
import type { ApiDeps } from '../deps.js';
import { HttpProblem } from '../errors.js';
import { DeadlineQuery, deadlineWindow } from '../deadline-filter.js';
import { signedActor } from '../signed-actor.js';
import { answerHumanAction, ANSWERS_LATER, AsyncActionHeaders, PendingAction } from '../human-actions.js';
import { executeWorkflowUpdate } from '../workflow-answers.js';
import { WaitingSchema } from '../responses/waiting.js';

const READERS = ['customer-service', 'finance', 'reviewer', 'ops'] as const;
const DECIDERS = ['customer-service', 'finance'] as const;
/** Cases whose seller deadline no longer binds: the seller answered and the case went on or ended. */
const ENDED_CASE_STATUSES = ['refunding', 'refunded', 'refused', 'closed', 'exchanged', 'reshipped'] as const;
const CaseParams = z.object({ id: z.string().min(1).max(300) });

const CaseSummary = z.object({
  id: z.string(),
  platform: z.string(),
  shopId: z.string(),
  platformCaseId: z.string(),
  orderId: z.string(),
  kind: z.string(),
  status: z.string(),
  reason: z.string(),
  requestedFen: z.number(),
  agreedFen: z.number().nullable(),
  refundedFen: z.number(),
  paymentChannel: z.string().nullable(),
  waitingFor: z.string().nullable(),
  outcome: z.string().nullable(),
  openedAt: z.string(),
  updatedAt: z.string(),
  /** Marketplace cases: the platform's own status, its seller deadline, and when that was escalated. */
  platformStatus: z.string().nullable(),
  sellerDeadline: z.string().nullable(),
  escalatedAt: z.string().nullable(),
});

const LiveState = z.object({
  status: z.string(),
  waitingFor: z.string().nullable(),
  waiting: WaitingSchema,
  agreedFen: z.number().nullable(),
  refundedFen: z.number(),
  refund: z.object({ refundNo: z.string(), state: z.string(), amountFen: z.number() }).nullable(),
  decisions: z.array(
    z.object({
      decision: z.string(),
      actor: z.string(),
      at: z.string(),
      amountFen: z.number().optional(),
      reason: z.string().optional(),
      note: z.string().optional(),
    }),
  ),
  /** The automatic refund audit's verdict: agreed by a rule, held (and who must agree), or left to a person. */
  audit: z
    .object({
      verdict: z.enum(['agree', 'hold', 'person']),
      agreedBy: z.string().nullable(),
      holds: z.array(
        z.object({ ruleId: z.string(), reason: z.string(), clearedBy: z.string(), detail: z.string() }),
      ),
    })
    .nullable(),
  /**
   * Marketplace cases: agreeing more than `aboveMinor` (the case's currency, minor unit) needs
   * finance as well — AFTER_SALE_FINANCE_ABOVE_FEN (`aboveFen`) at the order's recorded `rate`.
   */
  financeLimit: z
    .object({
      aboveMinor: z.number(),
      currency: z.string(),
      rate: z.string().nullable(),
      aboveFen: z.number(),
    })
    .optional(),
  /**
   * A stuck step a person may send again (`POST /after-sales/:id/retry`): a refund read back under
   * the same number (`same`) or sent under a new one because the channel ended the last (`new`).
   * Null: nothing to retry.
   */
  retry: z
    .object({
      step: z.literal('refund'),
      refundNo: z.string().nullable(),
      number: z.enum(['same', 'new']),
      retries: z.number(),
    })
    .nullable(),
  /** A platform exchange for another SKU (Tmall bought_sku → exchange_sku): agreeing names `replacements`. */
  skuSwap: z.object({ bought: z.string(), wanted: z.string() }).nullable(),
  /**
   * Exchange decisions the case takes now besides the usual: `refuse` at second review once the
   * goods are back (Douyin 312), `refund` to turn the exchange into a refund (Douyin 321).
   */
  exchangeChoices: z.array(z.enum(['refuse', 'refund'])),
  /**
   * The parcel coming back (return and exchange cases, once agreed): its waybill, where tracking
   * last saw it (`tracking`, at `scannedAt`), whether its scans are pushed here or polled
   * (`followedBy`; `none`: no tracking service can follow it), and why it is with a person
   * (`attention`: no new scan for RETURN_NO_SCAN_SECONDS, delivered RETURN_UNRECEIVED_SECONDS ago
   * without the warehouse's receipt, or — not followed — sent back RETURN_UNTRACKED_SECONDS ago and
   * not at the warehouse: `overdue`). Null: no return agreed.
   */
  returnParcel: z
    .object({
      source: z.string().nullable(),
      carrierCode: z.string().nullable(),
      trackingNo: z.string().nullable(),
      status: z.string(),
      tracking: z.string().optional(),
      followedBy: z.enum(['push', 'poll', 'none']).optional(),
      scannedAt: z.string().optional(),
      attention: z
        .object({ kind: z.enum(['stalled', 'unreceived', 'overdue']), since: z.string() })
        .nullable()
        .optional(),
    })
    .nullable(),
  /**
   * Marketplace cases of a shop with a refund approval limit (`settings.refundApprovalAboveFen`):
   * the limit in the order's currency and where finance's approval stands (`waiting`: approve it with
   * `POST /after-sales/:id/approval`). Null: no limit applies.
   */
  refundApproval: z
    .object({
      limit: z.object({
        aboveMinor: z.number(),
        currency: z.string(),
        rate: z.string().nullable(),
        aboveFen: z.number(),
      }),
      amountMinor: z.number().nullable(),
      state: z.enum(['not_needed', 'waiting', 'approved', 'rejected']),
      by: z.string().nullable(),
      at: z.string().nullable(),
      reason: z.string().optional(),
    })
    .nullable(),
});

const ReturnParcelRecord = z.object({
  /** Who gave the waybill: `buyer`, or `sf` / `cainiao` for a return waybill we issued. */
  source: z.string().nullable(),
  carrierCode: z.string().nullable(),
  /** The carrier's name (顺丰速运, SF Express); null for a code the registry does not know. */
  carrierName: z.object({ zh: z.string(), en: z.string() }).nullable(),
  trackingNo: z.string().nullable(),
  /** awaiting_parcel, in_transit, received, inspected. */
  status: z.string(),
  /** Where tracking last saw it (a tracking status) and when that was taken. */
  trackingStatus: z.string().nullable(),
  trackedAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
  scans: z.array(
    z.object({
      at: z.string(),
      status: z.string(),
      /** The carrier's own words. */
      description: z.string(),
      location: z.string().nullable(),
      /** The tracking service that reported it (sf, kuaidi100, kdniao). */
      source: z.string().nullable(),
      via: z.enum(['push', 'poll']),
    }),
  ),
});

const carrierNameOf = (code: string | null) => {
  const known = CarrierCodeSchema.safeParse(code);
  return known.success ? CARRIER_NAMES[known.data] : null;
};

/** Finance's answer to a refund waiting above the shop's approval limit. */
const ApprovalBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve'), note: z.string().trim().max(500).optional() }),
  z.object({
    decision: z.literal('reject'),
    reason: z.string().trim().min(1, 'must say why the refund is not approved').max(500),
  }),
]);

/** A decision on a case: agree to what was asked, agree to part of it, or refuse with a reason. */
const DecisionBody = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('agree'),
    note: z.string().trim().max(500).optional(),
    /** Exchanges (and reships) for another size or colour: the SKU code each line's replacement ships as. */
    replacements: ReplacementsSchema.optional(),
  }),
  z.object({
    decision: z.literal('partial'),
    amountFen: z.number().int().min(1, 'must be at least 1 fen'),
    note: z.string().trim().max(500).optional(),
  }),
  z.object({
    decision: z.literal('refuse'),
    reason: z.string().trim().min(1, 'must say why the case is refused').max(500),
  }),
  z.object({
    decision: z.literal('evidence'),
    note: z.string().trim().min(1, 'must say what evidence is needed').max(500),
  }),
  /** An exchange the case offers to turn into a refund (`state.exchangeChoices` has `refund`). */
  z.object({
    decision: z.literal('refund'),
    reason: z.string().trim().min(1, 'must say why the exchange becomes a refund').max(500),
  }),
]);

type CaseRow = {
  id: string;
  platform: string;
  shop_id: string;
  platform_case_id: string;
  order_id: string;
  kind: string;
  status: string;
  reason: string;
  requested_fen: number;
  agreed_fen: number | null;
  refunded_fen: number;
  payment_channel: string | null;
  waiting_for: string | null;
  outcome: string | null;
  opened_at: Date;
  updated_at: Date;
  platform_status: string | null;
  seller_deadline: Date | null;
  escalated_at: Date | null;
};

const summary = (row: CaseRow): z.infer<typeof CaseSummary> => ({
  id: row.id,
  platform: row.platform,
  shopId: row.shop_id,
  platformCaseId: row.platform_case_id,
  orderId: row.order_id,
  kind: row.kind,
  status: row.status,
  reason: row.reason,
  requestedFen: row.requested_fen,
  agreedFen: row.agreed_fen,
  refundedFen: row.refunded_fen,
  paymentChannel: row.payment_channel,
  waitingFor: row.waiting_for,
  outcome: row.outcome,
  openedAt: row.opened_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  platformStatus: row.platform_status,
  sellerDeadline: row.seller_deadline?.toISOString() ?? null,
  escalatedAt: row.escalated_at?.toISOString() ?? null,
});

const live = (state: AfterSaleStateView): z.infer<typeof LiveState> => ({
  status: state.status,
  waitingFor: state.waitingFor,
  waiting: state.waiting,
  agreedFen: state.agreedFen,
  refundedFen: state.refundedFen,
  refund: state.refund,
  decisions: state.decisions,
  audit: state.audit ?? null,
  retry: state.retry ?? null,
  skuSwap: state.skuSwap ?? null,
  exchangeChoices: state.exchangeChoices ?? [],
  returnParcel: state.returnParcel ?? null,
  refundApproval: state.refundApproval ?? null,
  ...(state.financeLimit ? { financeLimit: state.financeLimit } : {}),
});

/**
 * After-sales cases (docs/after-sales.md): the list and the reviewer queue from the projection,
 * one case with its timeline and the workflow's live state, and people's decisions as the case
 * workflow's Update (validated there: role, amount, whether it is open), once per Idempotency-Key.
 */
export const afterSaleRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  const { db, temporal, config } = deps;

  app.get(
    '/after-sales',
    {
      config: { roles: [...READERS] },
      schema: {
        tags: ['after-sales'],
        summary: 'List after-sales cases, newest first (filters: shop, kind, status, age, seller deadline)',
        querystring: DeadlineQuery.extend({
          shopId: ShopIdSchema.optional(),
          kind: z.enum(AFTER_SALE_KINDS).optional(),
          status: z.enum(AFTER_SALE_STATUSES).optional(),
          /** Only cases opened at least this many hours ago (the age filter). */
          minAgeHours: z.coerce
            .number()
            .min(0)
            .max(24 * 365)
            .optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ cases: z.array(CaseSummary) }) },
      },
    },
    async (request) => {
      const { kind, status, limit, minAgeHours, dueWithinHours, overdue } = request.query;
      const { shopId, shopIds } = scopedShops(request, request.query.shopId);
      let query = db.selectFrom('after_sale_cases').selectAll();
      if (shopId) query = query.where('shop_id', '=', shopId);
      if (shopIds) query = query.where(sql<boolean>`shop_id = any(${[...shopIds]}::text[])`);
      if (kind) query = query.where('kind', '=', kind);
      if (status) query = query.where('status', '=', status);
      if (minAgeHours !== undefined) {
        query = query.where('opened_at', '<=', new Date(Date.now() - minAgeHours * 3_600_000));
      }
      const due = deadlineWindow({ dueWithinHours, overdue });
      if (due) {
        query = query
          .where('status', 'not in', [...ENDED_CASE_STATUSES])
          .where('seller_deadline', '<=', due.upTo);
        if (due.after) query = query.where('seller_deadline', '>', due.after);
      }
      const rows = await query.orderBy('opened_at', 'desc').limit(limit).execute();
      return { cases: rows.map(summary) };
    },
  );

  app.get(
    '/after-sales/reviews',
    {
      config: { roles: [...DECIDERS, 'ops'] },
      schema: {
        tags: ['after-sales'],
        summary:
          'The after-sales reviewer queue: open cases waiting for a decision or for finance to approve a refund above the shop limit; escalated seller deadlines first, then the nearest deadline, then oldest',
        querystring: z.object({
          shopId: ShopIdSchema.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ cases: z.array(CaseSummary) }) },
      },
    },
    async (request) => {
      let query = db
        .selectFrom('after_sale_cases')
        .selectAll()
        .where('status', '=', 'open')
        .where((eb) =>
          eb.or([
            eb('waiting_for', '=', 'a decision'),
            eb('waiting_for', 'like', 'finance approval of the refund%'),
          ]),
        );
      const { shopId, shopIds } = scopedShops(request, request.query.shopId);
      if (shopId) query = query.where('shop_id', '=', shopId);
      if (shopIds) query = query.where(sql<boolean>`shop_id = any(${[...shopIds]}::text[])`);
      const rows = await query
        .orderBy(sql`escalated_at is null`)
        .orderBy(sql`seller_deadline asc nulls last`)
        .orderBy('opened_at', 'asc')
        .limit(request.query.limit)
        .execute();
      return { cases: rows.map(summary) };
    },
  );

  app.get(
    '/after-sales/:id',
    {
      config: { roles: [...READERS] },
      schema: {
        tags: ['after-sales'],
        summary: 'One after-sales case: projection, lines, timeline, refunds and the workflow’s live state',
        params: CaseParams,
        response: {
          200: z.object({
            case: CaseSummary,
            lines: z.array(
              z.object({
                lineId: z.string(),
                quantity: z.number(),
                requestedFen: z.number(),
                /** Exchanges: the SKU the replacement ships as, when not the one sold. */
                exchangeSku: z.string().nullable(),
              }),
            ),
            refunds: z.array(
              z.object({
                refundNo: z.string(),
                channel: z.string(),
                amountFen: z.number(),
                state: z.string(),
                detail: z.string().nullable(),
              }),
            ),
            timeline: z.array(
              z.object({
                /** The workflow's step: for a case handed to a person, what it needs them for. */
                step: z.string(),
                stage: z.string(),
                status: z.string(),
                actor: z.string(),
                detail: z.record(z.string(), z.unknown()),
                at: z.string(),
              }),
            ),
            /**
             * The parcel coming back, from the database (shown also when the live state does not
             * answer): its waybill, where tracking last saw it, when the warehouse received it, and
             * every scan its tracking service pushed or was polled for, oldest first. Null: no
             * return agreed. Why it is with a person is the live state's `returnParcel.attention`.
             */
            returnParcel: ReturnParcelRecord.nullable(),
            state: LiveState.nullable(),
            stateError: z.string().nullable(),
            temporal: z.object({ workflowId: z.string(), url: z.string() }),
          }),
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const row = await db.selectFrom('after_sale_cases').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new HttpProblem(404, `no after-sales case with id "${id}"`);
      const [lines, refunds, events, parcel, scans] = await Promise.all([
        db
          .selectFrom('after_sale_case_lines')
          .selectAll()
          .where('case_id', '=', id)
          .orderBy('line_id')
          .execute(),
        db
          .selectFrom('payment_refunds')
          .selectAll()
          .where('case_id', '=', id)
          .orderBy('created_at')
          .execute(),
        db.selectFrom('after_sale_events').selectAll().where('case_id', '=', id).orderBy('id').execute(),
        db.selectFrom('after_sale_returns').selectAll().where('case_id', '=', id).executeTakeFirst(),
        returnScans(db, id),
      ]);
      let state: z.infer<typeof LiveState> | null = null;
      let stateError: string | null = null;
      try {
        state = live(await temporal.workflow.getHandle(id).query(afterSaleStateQuery));
      } catch (err) {
        stateError = (err as Error).message;
      }
      return {
        case: summary(row),
        lines: lines.map((l) => ({
          lineId: l.line_id,
          quantity: l.quantity,
          requestedFen: l.requested_fen,
          exchangeSku: l.exchange_sku,
        })),
        refunds: refunds.map((r) => ({
          refundNo: r.refund_no,
          channel: r.channel,
          amountFen: r.amount_fen,
          state: r.state,
          detail: r.detail,
        })),
        timeline: events.map((e) => ({
          step: e.step,
          stage: e.stage,
          status: e.status,
          actor: e.actor,
          detail: e.detail,
          at: e.at.toISOString(),
        })),
        returnParcel: parcel
          ? {
              source: parcel.waybill_source,
              carrierCode: parcel.carrier_code,
              carrierName: carrierNameOf(parcel.carrier_code),
              trackingNo: parcel.tracking_no,
              status: parcel.status,
              trackingStatus: parcel.tracking_status,
              trackedAt: parcel.tracked_at?.toISOString() ?? null,
              receivedAt: parcel.received_at?.toISOString() ?? null,
              scans: scans.map((scan) => ({ ...scan, at: scan.at.toISOString() })),
            }
          : null,
        state,
        stateError,
        temporal: {
          workflowId: id,
          url: `${temporalUiUrl(config)}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(id)}`,
        },
      };
    },
  );

  /** Replacement SKUs must be in the catalogue, for lines the case covers (422 naming the field). */
  const checkReplacements = async (
    caseId: string,
    replacements: Array<{ lineId: string; skuCode: string }>,
  ) => {
    const [skus, caseLines] = await Promise.all([
      db
        .selectFrom('skus')
        .select('code')
        .where('code', 'in', [...new Set(replacements.map((r) => r.skuCode))])
        .execute(),
      db.selectFrom('after_sale_case_lines').select('line_id').where('case_id', '=', caseId).execute(),
    ]);
    const known = new Set(skus.map((s) => s.code));
    const covered = new Set(caseLines.map((l) => l.line_id));
    const issues = replacements.flatMap((r, i) => [
      ...(known.has(r.skuCode)
        ? []
        : [{ field: `body.replacements.${i}.skuCode`, problem: `is not a SKU here: ${r.skuCode}` }]),
      ...(covered.size > 0 && !covered.has(r.lineId)
        ? [{ field: `body.replacements.${i}.lineId`, problem: `is not a line of the case: ${r.lineId}` }]
        : []),
    ]);
    if (issues.length > 0) {
      throw new HttpProblem(422, issues.map((i) => `${i.field} ${i.problem}`).join('; '), issues);
    }
  };

  /**
   * Where a case stands for a person's action: how many decisions it has taken (a repeat without
   * an Idempotency-Key finds it unchanged).
   */
  const caseDecisionCount = (id: string) => ({
    version: async () => {
      try {
        return (await temporal.workflow.getHandle(id).query(afterSaleStateQuery)).decisions.length;
      } catch {
        return null;
      }
    },
    positionAfter: (answer: { state: z.infer<typeof LiveState> }) => answer.state.decisions.length,
  });

  app.post(
    '/after-sales/:id/decisions',
    {
      config: { roles: [...DECIDERS] },
      schema: {
        tags: ['after-sales'],
        summary:
          'Decide an open case: agree, agree to part (amountFen), refuse with a reason, ask the buyer for evidence (note), or turn an exchange into a refund (where state.exchangeChoices offers it)',
        description:
          'Customer service decides; an agreed amount above AFTER_SALE_FINANCE_ABOVE_FEN needs finance as well. ' +
          '422 for an amount above the request, 409 when the case takes no decision now, 403 for the wrong role. ' +
          ANSWERS_LATER,
        params: CaseParams,
        headers: AsyncActionHeaders,
        body: DecisionBody,
        response: { 200: z.object({ state: LiveState }), 202: PendingAction },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const actor = signedActor(deps.config, request, { workflowId: id, update: afterSaleDecisionUpdate });
      const body = request.body;
      const decision: AfterSaleDecision =
        body.decision === 'refuse'
          ? { decision: 'refuse', reason: body.reason, actor }
          : body.decision === 'refund'
            ? { decision: 'refund', reason: body.reason, actor }
            : body.decision === 'evidence'
              ? { decision: 'evidence', note: body.note, actor }
              : body.decision === 'partial'
                ? {
                    decision: 'partial',
                    amountFen: body.amountFen,
                    actor,
                    ...(body.note ? { note: body.note } : {}),
                  }
                : {
                    decision: 'agree',
                    actor,
                    ...(body.note ? { note: body.note } : {}),
                    ...(body.replacements ? { replacements: body.replacements } : {}),
                  };
      if (body.decision === 'agree' && body.replacements) await checkReplacements(id, body.replacements);
      return answerHumanAction(deps, request, reply, {
        what: 'the case',
        ...caseDecisionCount(id),
        mayAnswerLater: true,
        perform: async (updateId, waitMs) => ({
          state: live(
            await executeWorkflowUpdate(deps, id, afterSaleDecisionUpdate, [decision], updateId, waitMs),
          ),
        }),
      });
    },
  );

  app.post(
    '/after-sales/:id/retry',
    {
      config: { roles: [...DECIDERS] },
      schema: {
        tags: ['after-sales'],
        summary: "Send a case's stuck refund again, once whatever stopped it was put right",
        description:
          'A refund the payment channel refused or closed goes again under a new refund number; one not sent ' +
          'or ABNORMAL is read back under the same number first, so money never moves twice. ' +
          'Customer service or finance; 409 when the case has no stuck step (`state.retry` is null). ' +
          ANSWERS_LATER,
        params: CaseParams,
        headers: AsyncActionHeaders,
        body: z.object({ note: z.string().trim().max(500).optional() }),
        response: { 200: z.object({ state: LiveState }), 202: PendingAction },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const actor = signedActor(deps.config, request, { workflowId: id, update: afterSaleRetryUpdate });
      const note = request.body.note;
      return answerHumanAction(deps, request, reply, {
        what: 'the case',
        ...caseDecisionCount(id),
        mayAnswerLater: true,
        perform: async (updateId, waitMs) => ({
          state: live(
            await executeWorkflowUpdate(
              deps,
              id,
              afterSaleRetryUpdate,
              [{ actor, ...(note ? { note } : {}) }],
              updateId,
              waitMs,
            ),
          ),
        }),
      });
    },
  );

  app.post(
    '/after-sales/:id/approval',
    {
      config: { roles: ['finance'] },
      schema: {
        tags: ['after-sales'],
        summary:
          "Approve (or reject with a reason) a marketplace refund waiting above the shop's approval limit",
        description:
          'A refund agreed above the shop setting refundApprovalAboveFen goes to the platform only once finance ' +
          'approves it; a rejection gives the case to a person. Finance only (403 otherwise); 409 when no refund ' +
          'waits for approval; once per Idempotency-Key. ' +
          ANSWERS_LATER,
        params: CaseParams,
        headers: AsyncActionHeaders,
        body: ApprovalBody,
        response: { 200: z.object({ state: LiveState }), 202: PendingAction },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const actor = signedActor(deps.config, request, { workflowId: id, update: afterSaleApprovalUpdate });
      const body = request.body;
      const approval =
        body.decision === 'reject'
          ? { decision: 'reject' as const, reason: body.reason, actor }
          : { decision: 'approve' as const, actor, ...(body.note ? { note: body.note } : {}) };
      return answerHumanAction(deps, request, reply, {
        what: 'the case',
        ...caseDecisionCount(id),
        mayAnswerLater: true,
        perform: async (updateId, waitMs) => ({
          state: live(
            await executeWorkflowUpdate(deps, id, afterSaleApprovalUpdate, [approval], updateId, waitMs),
          ),
        }),
      });
    },
  );
};
