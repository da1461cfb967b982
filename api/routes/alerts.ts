import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { scopedShops } from '../auth/shop-scope.js';
import { z } from 'zod';
import { ALERT_KINDS, listAlerts } from '../../db/queries/alerts.js';
import { ShopIdSchema } from '../../domain/ids.js';
import type { ApiDeps } from '../deps.js';
import { AlertListResponse } from '../responses/shops.js';

const Query = z.object({
  shopId: ShopIdSchema.optional(),
  kind: z.enum(ALERT_KINDS).optional(),
  /** `true`: resolved alerts too (newest first); default open ones only. */
  includeResolved: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * `true`: alerts about one thing each (a return parcel's case) are one row per shop and kind, the
   * newest with how many (`groupSize`); list one group's alerts with its shopId and kind.
   */
  grouped: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * What needs a person: shops whose sync keeps failing or is paused on refused credentials, and
 * orders waiting for an exchange rate. An alert resolves itself when the cause goes away. Alerts
 * about one case each (return parcels) can be listed grouped per shop and kind.
 */
export const alertRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db }) => {
  app.get(
    '/alerts',
    {
      config: { roles: ['ops'] },
      schema: {
        tags: ['ops'],
        summary: 'Open (or all) alerts, newest first',
        querystring: Query,
        response: { 200: AlertListResponse },
      },
    },
    async (request) => {
      const rows = await listAlerts(db, {
        ...request.query,
        ...scopedShops(request, request.query.shopId),
      });
      return {
        alerts: rows.map((row) => ({
          id: Number(row.id),
          shopId: row.shop_id,
          kind: row.kind,
          subject: row.subject,
          message: row.message,
          occurrences: row.occurrences,
          firstSeen: row.first_seen.toISOString(),
          lastSeen: row.last_seen.toISOString(),
          resolvedAt: row.resolved_at?.toISOString() ?? null,
          groupSize: row.group_size,
        })),
      };
    },
  );
};
