import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { scopedShops } from '../auth/shop-scope.js';
import { z } from 'zod';
import { findOrder, listOrders } from '../../db/queries/orders.js';
import { loadReprints, REPRINT_STAGE, reprintDetail, withReprints } from '../../db/queries/label-reprints.js';
import { loadRemarkTranslations, translationTellsMore } from '../../db/queries/remark-translations.js';
import { analyzeRemark } from '../../domain/remarks/analyze.js';
import { OrderFlagSchema } from '../../domain/audit/flags.js';
import { ORDER_TYPES } from '../../domain/order.js';
import { ORDER_STATUSES } from '../../domain/order-status.js';
import { PlatformSchema } from '../../domain/platforms.js';
import { stateQuery, type OrderStateView } from '../../workflows/messages.js';
import { temporalUiUrl } from '../../config/index.js';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import { actorOf } from '../auth/plugin.js';
import { receiverFor, receiverViewFor, receiversFor } from '../auth/receiver-view.js';
import { HttpProblem } from '../errors.js';
import { DeadlineQuery, deadlineWindow } from '../deadline-filter.js';
import type { ApiDeps } from '../deps.js';
import { OrderDetailResponse, OrderListResponse } from '../responses/orders.js';

const QUERY_TIMEOUT_MS = 3_000;

const ListQuery = DeadlineQuery.extend({
  status: z.enum(ORDER_STATUSES).optional(),
  platform: PlatformSchema.optional(),
  shopId: z.string().max(64).optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('our order id, the platform order id, the buyer id, or part of the buyer nick'),
  phoneTail: z
    .string()
    .regex(/^\d{4}$/, 'must be the last 4 digits of the phone number')
    .optional()
    .describe("the last 4 digits of the receiver's phone number"),
  trackingNumber: z.string().trim().min(1).max(64).optional(),
  sku: z.string().trim().min(1).max(64).optional().describe('a SKU code on one of its lines'),
  type: z.enum(ORDER_TYPES).optional(),
  flag: OrderFlagSchema.optional(),
  locked: z.enum(['true', 'false']).optional(),
  from: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
  to: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

function encodeCursor(capturedAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([capturedAt.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { capturedAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const capturedAt = new Date(at);
    if (Number.isNaN(capturedAt.getTime()) || typeof id !== 'string') throw new Error('bad cursor');
    return { capturedAt, id };
  } catch {
    throw new HttpProblem(400, 'invalid request: query.cursor: is not a cursor returned by this API', [
      { field: 'query.cursor', problem: 'is not a cursor returned by this API' },
    ]);
  }
}

export const orderRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, temporal, config }) => {
  const uiBase = temporalUiUrl(config);
  const ring = dataKeyring(config);

  app.get(
    '/orders',
    {
      config: { roles: 'any' },
      schema: {
        tags: ['orders'],
        summary:
          'List and search orders, newest first (deadline filter: ship-by due within N hours, overdue)',
        querystring: ListQuery,
        response: { 200: OrderListResponse },
      },
    },
    async (request) => {
      const { cursor, limit, locked, from, to, dueWithinHours, overdue, ...filter } = request.query;
      const shipBy = deadlineWindow({ dueWithinHours, overdue });
      const rows = await listOrders(db, ring, {
        ...filter,
        ...(shipBy ? { shipBy } : {}),
        ...scopedShops(request, filter.shopId),
        ...(locked ? { locked: locked === 'true' } : {}),
        ...(from ? { from: new Date(from) } : {}),
        ...(to ? { to: new Date(to) } : {}),
        limit,
        ...(cursor ? { after: decodeCursor(cursor) } : {}),
      });
      const last = rows.at(-1);
      return {
        orders: rows.map((row) => ({
          ...row,
          captured_at: row.captured_at.toISOString(),
          updated_at: row.updated_at.toISOString(),
        })),
        nextCursor: rows.length === limit && last ? encodeCursor(last.captured_at, last.id) : null,
      };
    },
  );

  app.get(
    '/orders/:id',
    {
      config: { roles: 'any' },
      schema: {
        tags: ['orders'],
        summary: 'One order: projection, timeline and the live workflow state',
        params: z.object({ id: z.string().min(1).max(200) }),
        response: { 200: OrderDetailResponse },
      },
    },
    async (request) => {
      const { id } = request.params;
      const found = await findOrder(db, ring, id);
      if (!found) throw new HttpProblem(404, `no order with id "${id}"`);

      let state: OrderStateView | null = null;
      let stateError: string | null = null;
      try {
        state = await temporal.withAbortSignal(AbortSignal.timeout(QUERY_TIMEOUT_MS), () =>
          temporal.workflow.getHandle(id).query(stateQuery),
        );
      } catch (err) {
        stateError = `live state unavailable: ${(err as Error).message}`;
      }
      const { order, lines } = found;
      // Label reprints sit on the order's timeline where they happened (db/queries/label-reprints.ts).
      const events = withReprints(
        found.events.map((e) => ({
          seq: e.seq,
          stage: e.stage,
          status: e.status,
          actor: e.actor,
          detail: e.detail,
          at: e.at,
        })),
        await loadReprints(db, { orderId: id }),
        (r, after) => ({
          seq: after?.seq ?? 0,
          stage: REPRINT_STAGE,
          status: after?.status ?? order.status,
          actor: r.actor,
          detail: reprintDetail(r),
          at: r.at,
        }),
      );
      const translations = await loadRemarkTranslations(
        db,
        [order.buyer_remark, order.seller_memo].filter((r): r is string => !!r),
      );
      const translationOf = (text: string | null) => {
        const t = text ? translations.get(text) : undefined;
        return t && text && translationTellsMore(text, t)
          ? {
              text: t.text,
              source_language: t.sourceLanguage,
              provider: t.provider,
              instructions: analyzeRemark(t.text).instructions,
            }
          : null;
      };
      // Receivers cut to what the caller's roles need (api/auth/receiver-view.ts).
      const view = receiverViewFor(actorOf(request).roles);
      return {
        order: {
          ...order,
          receiver: receiverFor(order.receiver, view),
          effective_receiver: order.effective_receiver && receiverFor(order.effective_receiver, view),
          buyer_remark_translation: translationOf(order.buyer_remark),
          seller_memo_translation: translationOf(order.seller_memo),
          platform_created_at: order.platform_created_at.toISOString(),
          paid_at: order.paid_at?.toISOString() ?? null,
          platform_modified_at: order.platform_modified_at.toISOString(),
          captured_at: order.captured_at.toISOString(),
          updated_at: order.updated_at.toISOString(),
        },
        lines,
        timeline: events.map((e) => ({
          seq: e.seq,
          stage: e.stage,
          status: e.status,
          actor: e.actor,
          detail: receiversFor(e.detail, view),
          at: e.at.toISOString(),
        })),
        state,
        stateError,
        temporal: {
          workflowId: id,
          url: `${uiBase}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(id)}`,
        },
      };
    },
  );
};
