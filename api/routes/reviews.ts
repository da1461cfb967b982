import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ordersAtRisk, reviewQueue } from '../../db/queries/reviews.js';
import { OrderFlagSchema } from '../../domain/audit/flags.js';
import { ROLES } from '../../domain/audit/roles.js';
import { PlatformSchema } from '../../domain/platforms.js';
import { OrderEditsSchema, type Actor as DecisionActor, type ServiceAction } from '../../domain/review.js';
import { reviewUpdate, serviceUpdate } from '../../workflows/messages.js';
import { actorOf } from '../auth/plugin.js';
import { executeOrderUpdate } from '../order-updates.js';
import type { ApiDeps } from '../server.js';

const REVIEWERS = ['reviewer', 'finance', 'customer-service', 'ops'] as const;
const OrderParams = z.object({ id: z.string().min(1).max(200) });
const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(128).optional() });

const ReviewBody = z.discriminatedUnion(
  'decision',
  [
    z.object({ decision: z.literal('approve'), note: z.string().trim().max(500).optional() }),
    z.object({
      decision: z.literal('reject'),
      reason: z.string().trim().min(1, 'a reason is required to reject an order').max(500),
    }),
    z.object({
      decision: z.literal('edit'),
      edits: OrderEditsSchema,
      note: z.string().trim().max(500).optional(),
    }),
  ],
  { error: () => 'must have a "decision" of approve, reject or edit' },
);

function decisionActor(request: Parameters<typeof actorOf>[0]): DecisionActor {
  const actor = actorOf(request);
  return { id: actor.name, roles: actor.roles };
}

/**
 * The reviewer's queue and decisions, and customer service's locks, flags and memos. Decisions go
 * to the order's workflow as Updates; the answer is the order's state after the decision took
 * effect, or the workflow's reason for refusing it (409 not held / finished, 403 wrong role,
 * 422 invalid).
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
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const q = request.query;
      const mine = actor.roles.includes('admin') ? undefined : actor.roles.filter((r) => r !== 'admin');
      const roles = q.role ? [q.role] : mine;
      return {
        items: await reviewQueue(deps.db, {
          ...(roles ? { roles } : {}),
          ...(q.reason ? { reason: q.reason } : {}),
          ...(q.platform ? { platform: q.platform } : {}),
          ...(q.shopId ? { shopId: q.shopId } : {}),
          overdueOnly: q.overdue === 'true',
          limit: q.limit,
        }),
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
        params: OrderParams,
        headers: IdempotencyHeaders,
        body: ReviewBody,
      },
    },
    async (request) => {
      const body = request.body;
      const actor = decisionActor(request);
      const decision =
        body.decision === 'approve'
          ? { decision: 'approve' as const, actor, ...(body.note ? { note: body.note } : {}) }
          : body.decision === 'reject'
            ? { decision: 'reject' as const, actor, reason: body.reason }
            : {
                decision: 'edit' as const,
                actor,
                edits: body.edits,
                ...(body.note ? { note: body.note } : {}),
              };
      const state = await executeOrderUpdate(
        deps,
        request.params.id,
        reviewUpdate,
        [decision],
        request.headers['idempotency-key'],
      );
      return { state };
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
        params: path.includes(':flag') ? OrderParams.extend({ flag: OrderFlagSchema }) : OrderParams,
        headers: IdempotencyHeaders,
        ...(method === 'POST' ? { body } : {}),
      },
      handler: async (request) => {
        const params = request.params as Record<string, string>;
        const action = { ...toAction((request.body ?? {}) as never, params), actor: decisionActor(request) };
        const headers = request.headers as { 'idempotency-key'?: string };
        const state = await executeOrderUpdate(
          deps,
          params.id!,
          serviceUpdate,
          // The workflow's validator is the authority on the action's shape; this only assembles it.
          [action as unknown as ServiceAction],
          headers['idempotency-key'],
        );
        return { state };
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
      },
    },
    async (request) => ({
      orders: await ordersAtRisk(deps.db, request.query.withinHours * 3600, request.query.limit),
    }),
  );
};
