import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { scopedShops } from '../auth/shop-scope.js';
import { dataKeyring, type DataKeyring } from '../../db/crypto/data-keys.js';
import { openReceiver } from '../../db/crypto/receivers.js';
import { z } from 'zod';
import { ordersAtRisk, reviewQueue } from '../../db/queries/reviews.js';
import { OrderFlagSchema } from '../../domain/audit/flags.js';
import { hasRole, ROLES, type Role } from '../../domain/audit/roles.js';
import { resolveOrderPolicy, DEFAULT_ORDER_POLICY } from '../../domain/order-policy.js';
import { PlatformSchema } from '../../domain/platforms.js';
import {
  changesSomething,
  ORDER_EDIT_FIELDS,
  type OrderEdits,
  type ReviewDecision,
  type ServiceAction,
} from '../../domain/review.js';
import { ReceiverSchema } from '../../domain/order.js';
import type { Db } from '../../db/connect.js';
import { timelinePosition } from '../../db/queries/human-actions.js';
import {
  DECISION_FAILURES,
  lostParcelUpdate,
  reviewUpdate,
  serviceUpdate,
} from '../../workflows/messages.js';
import {
  LOST_PARCEL_DECISIONS,
  LOST_PARCEL_ROLES,
  type LostParcelDecision,
} from '../../domain/lost-parcels.js';
import { actorOf } from '../auth/plugin.js';
import { HttpProblem } from '../errors.js';
import { signedActor } from '../signed-actor.js';
import { answerHumanAction, ANSWERS_LATER, AsyncActionHeaders, PendingAction } from '../human-actions.js';
import { executeWorkflowUpdate } from '../workflow-answers.js';
import { needsOrder, reviewProblems, type ReviewedOrder } from '../review-checks.js';
import type { ApiDeps } from '../deps.js';
import { AtRiskResponse, OrderStateAnswer, ReviewQueueResponse } from '../responses/orders.js';

const REVIEWERS = ['reviewer', 'finance', 'customer-service', 'ops'] as const;
const OrderParams = z.object({ id: z.string().min(1).max(200) });

const note = z.string().trim().max(500, 'must be at most 500 characters');

/**
 * The decision's shape (400 when wrong). Whether it can apply — a reason to reject, SKUs we know,
 * a real address, a carrier in the registry — is checked next (422, api/review-checks.ts), then
 * the order's workflow decides whether it takes it now (409 not held, 403 not your hold).
 */
const ReviewBody = z.discriminatedUnion(
  'decision',
  [
    z.object({
      decision: z.literal('approve'),
      note: note.optional(),
      /** A packed parcel holding a line whose refund was requested: repack (default) or ship as packed. */
      packedParcel: z.enum(['repack', 'ship']).optional(),
      /**
       * An order held because it needs several parcels: wait to ship it together (default, resumes
       * when stock arrives) or split it now (docs/order-semantics.md, "Split shipments").
       */
      split: z.enum(['wait', 'split']).optional(),
    }),
    z.object({ decision: z.literal('reject'), reason: note.optional() }),
    z.object({
      decision: z.literal('edit'),
      edits: z
        .object({
          ...ORDER_EDIT_FIELDS,
          carrierPreference: z
            .string()
            .trim()
            .min(1, 'must not be empty (null clears the preference)')
            .max(32, 'must be at most 32 characters')
            .nullable()
            .optional(),
        })
        .refine(...changesSomething),
      note: note.optional(),
    }),
  ],
  { error: () => 'must have a "decision" of approve, reject or edit' },
);

/** Each shop's hold SLA in seconds, where its settings set one (the queue's countdown). */
async function holdSlaByShop(deps: ApiDeps, shopIds: string[]): Promise<Map<string, number>> {
  const ids = [...new Set(shopIds)];
  if (ids.length === 0) return new Map();
  const shops = await deps.db.selectFrom('shops').select(['id', 'settings']).where('id', 'in', ids).execute();
  const defaults = { ...DEFAULT_ORDER_POLICY, holdSlaSeconds: deps.config.HOLD_SLA_SECONDS };
  return new Map(shops.map((s) => [s.id, resolveOrderPolicy(defaults, s.settings).policy.holdSlaSeconds]));
}

/** The order's timeline position in an action's answer. */
const orderPositionAfter = (answer: { state: { timeline: { seq: number }[] } }) =>
  answer.state.timeline.at(-1)?.seq ?? null;

/** The order an edit applies to, as the projection has it; 404 when there is none. */
async function reviewedOrder(db: Db, ring: DataKeyring, orderId: string): Promise<ReviewedOrder> {
  const row = await db
    .selectFrom('orders')
    .select(['platform', 'shop_id', 'receiver', 'effective_receiver'])
    .where('id', '=', orderId)
    .executeTakeFirst();
  if (!row) throw new HttpProblem(404, `no order with id "${orderId}"`);
  return {
    platform: PlatformSchema.parse(row.platform),
    shopId: row.shop_id,
    receiver: ReceiverSchema.parse(openReceiver(ring, row.effective_receiver ?? row.receiver)),
  };
}

/**
 * The reviewer's queue and decisions, and customer service's locks, flags and memos. Decisions go
 * to the order's workflow as Updates; the answer is the order's state after the decision took
 * effect, or why not: 400 malformed, 422 cannot apply (naming the field), 409 not held / finished,
 * 403 not the caller's hold.
 */
export const reviewRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, deps) => {
  app.get(
    '/reviews',
    {
      config: { roles: [...REVIEWERS] },
      schema: {
        tags: ['review'],
        summary: 'Held orders waiting for a decision, oldest first',
        description:
          'Only each order’s current review stage is listed. By default, the holds your roles clear.',
        querystring: z.object({
          role: z.enum(ROLES).optional(),
          reason: z.string().max(64).optional(),
          platform: PlatformSchema.optional(),
          shopId: z.string().max(64).optional(),
          overdue: z.enum(['true', 'false']).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: ReviewQueueResponse },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const q = request.query;
      const mine = actor.roles.includes('admin') ? undefined : actor.roles.filter((r) => r !== 'admin');
      const roles = q.role ? [q.role] : mine;
      const items = await reviewQueue(deps.db, {
        ...(roles ? { roles } : {}),
        ...(q.reason ? { reason: q.reason } : {}),
        ...(q.platform ? { platform: q.platform } : {}),
        ...scopedShops(request, q.shopId),
        overdueOnly: q.overdue === 'true',
        limit: q.limit,
      });
      const slaSeconds = await holdSlaByShop(
        deps,
        items.map((i) => i.shopId),
      );
      return {
        items: items.map((item) => ({
          ...item,
          slaDueAt: new Date(
            Date.parse(item.heldSince) + (slaSeconds.get(item.shopId) ?? deps.config.HOLD_SLA_SECONDS) * 1000,
          ).toISOString(),
          mayDecide: hasRole(
            actor.roles,
            item.holds.map((h) => h.clearedBy as Role),
          ),
        })),
      };
    },
  );

  app.post(
    '/orders/:id/review',
    {
      config: { roles: [...REVIEWERS] },
      schema: {
        tags: ['review'],
        summary: 'Approve, reject or edit a held order',
        description: `Answers once the order’s workflow has decided (200, or 403/409/422 with why). ${ANSWERS_LATER}`,
        params: OrderParams,
        headers: AsyncActionHeaders,
        body: ReviewBody,
        response: { 200: OrderStateAnswer, 202: PendingAction },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const orderId = request.params.id;
      const order = needsOrder(body) ? await reviewedOrder(deps.db, dataKeyring(deps.config), orderId) : null;
      const problems = await reviewProblems(deps.db, body, order);
      if (problems.length) {
        const summary = problems
          .slice(0, 5)
          .map((p) => `${p.field}: ${p.problem}`)
          .join('; ');
        throw new HttpProblem(
          422,
          `the decision cannot apply: ${summary}`,
          problems,
          DECISION_FAILURES.invalidPayload,
        );
      }
      const actor = signedActor(deps.config, request, { workflowId: orderId, update: reviewUpdate });
      const decision: ReviewDecision =
        body.decision === 'approve'
          ? {
              decision: 'approve',
              actor,
              ...(body.note ? { note: body.note } : {}),
              ...(body.packedParcel ? { packedParcel: body.packedParcel } : {}),
              ...(body.split ? { split: body.split } : {}),
            }
          : body.decision === 'reject'
            ? { decision: 'reject', actor, reason: body.reason! }
            : {
                decision: 'edit',
                actor,
                // Checked against the registry above.
                edits: body.edits as OrderEdits,
                ...(body.note ? { note: body.note } : {}),
              };
      return answerHumanAction(deps, request, reply, {
        what: 'the order',
        version: () => timelinePosition(deps.db, 'orders', orderId),
        positionAfter: orderPositionAfter,
        mayAnswerLater: true,
        perform: async (updateId, waitMs) => ({
          state: await executeWorkflowUpdate(deps, orderId, reviewUpdate, [decision], updateId, waitMs),
        }),
      });
    },
  );

  const service = (
    path: string,
    summary: string,
    roles: readonly (typeof ROLES)[number][],
    body: z.ZodType,
    toAction: (body: never, params: Record<string, string>) => Record<string, unknown>,
    method: 'POST' | 'DELETE' = 'POST',
  ) =>
    app.route({
      method,
      url: path,
      config: { roles: [...roles] },
      schema: {
        tags: ['customer service'],
        summary,
        description: `Answers once the order’s workflow has taken the action (200, or 403/409/422 with why). ${ANSWERS_LATER}`,
        params: path.includes(':flag') ? OrderParams.extend({ flag: OrderFlagSchema }) : OrderParams,
        headers: AsyncActionHeaders,
        ...(method === 'POST' ? { body } : {}),
        response: { 200: OrderStateAnswer, 202: PendingAction },
      },
      handler: async (request, reply) => {
        const params = request.params as Record<string, string>;
        const orderId = params.id!;
        const action = {
          ...toAction((request.body ?? {}) as never, params),
          actor: signedActor(deps.config, request, { workflowId: orderId, update: serviceUpdate }),
        };
        return answerHumanAction(deps, request, reply, {
          what: 'the order',
          version: () => timelinePosition(deps.db, 'orders', orderId),
          positionAfter: orderPositionAfter,
          mayAnswerLater: true,
          perform: async (updateId, waitMs) => ({
            state: await executeWorkflowUpdate(
              deps,
              orderId,
              serviceUpdate,
              // The workflow's validator is the authority on the action's shape; this only assembles it.
              [action as unknown as ServiceAction],
              updateId,
              waitMs,
            ),
          }),
        });
      },
    });

  service(
    '/orders/:id/lock',
    'Lock an order: it goes no further until unlocked',
    ['customer-service'],
    z.object({ reason: z.string().trim().min(1, 'say why the order is locked').max(500) }),
    (b: { reason: string }) => ({ action: 'lock', reason: b.reason }),
  );
  service(
    '/orders/:id/unlock',
    'Unlock an order so it continues',
    ['customer-service'],
    z.object({ note: z.string().trim().max(500).optional() }).default({}),
    (b: { note?: string }) => ({ action: 'unlock', ...(b.note ? { note: b.note } : {}) }),
  );
  service(
    '/orders/:id/flags',
    'Flag an order (urgent, gift, VIP, …)',
    ['customer-service', 'reviewer'],
    z.object({ flag: OrderFlagSchema }),
    (b: { flag: string }) => ({ action: 'flag', flag: b.flag }),
  );
  service(
    '/orders/:id/flags/:flag',
    'Remove a flag',
    ['customer-service', 'reviewer'],
    z.object({}),
    (_b: never, p) => ({ action: 'unflag', flag: p.flag }),
    'DELETE',
  );
  service(
    '/orders/:id/memos',
    'Add an internal memo to the order',
    ['customer-service', 'reviewer', 'finance', 'warehouse'],
    z.object({ memo: z.string().trim().min(1, 'must not be empty').max(500) }),
    (b: { memo: string }) => ({ action: 'memo', memo: b.memo }),
  );

  app.post(
    '/orders/:id/lost-parcels/:parcelId',
    {
      config: { roles: [...LOST_PARCEL_ROLES] },
      schema: {
        tags: ['customer service'],
        summary: 'Decide a lost parcel: reship its lines as a new parcel, or refund them',
        description: `Answers once the order’s workflow has decided (200, or 403/404/409/422 with why). ${ANSWERS_LATER}`,
        params: OrderParams.extend({ parcelId: z.string().min(1).max(200) }),
        headers: AsyncActionHeaders,
        body: z.object({
          decision: z.enum(LOST_PARCEL_DECISIONS),
          reason: z.string().trim().min(1, 'say why').max(500, 'must be at most 500 characters'),
        }),
        response: { 200: OrderStateAnswer, 202: PendingAction },
      },
    },
    async (request, reply) => {
      const { id: orderId, parcelId } = request.params;
      const decision: LostParcelDecision = {
        parcelId,
        decision: request.body.decision,
        reason: request.body.reason,
        actor: signedActor(deps.config, request, { workflowId: orderId, update: lostParcelUpdate }),
      };
      return answerHumanAction(deps, request, reply, {
        what: 'the order',
        version: () => timelinePosition(deps.db, 'orders', orderId),
        positionAfter: orderPositionAfter,
        mayAnswerLater: true,
        perform: async (updateId, waitMs) => ({
          state: await executeWorkflowUpdate(deps, orderId, lostParcelUpdate, [decision], updateId, waitMs),
        }),
      });
    },
  );

  app.get(
    '/orders/at-risk',
    {
      config: { roles: 'any' },
      schema: {
        tags: ['orders'],
        summary: 'Orders at risk of missing their ship-by deadline, soonest first',
        querystring: z.object({
          withinHours: z.coerce
            .number()
            .min(0)
            .max(24 * 14)
            .default(6),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: AtRiskResponse },
      },
    },
    async (request) => ({
      orders: await ordersAtRisk(
        deps.db,
        request.query.withinHours * 3600,
        request.query.limit,
        scopedShops(request, undefined),
      ),
    }),
  );
};
