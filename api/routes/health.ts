import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';

const CHECK_TIMEOUT_MS = 2_000;

const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.string(),
  temporal: z.string(),
});

async function check(run: () => Promise<unknown>): Promise<string> {
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
    return 'ok';
  } catch (err) {
    return `unreachable: ${(err as Error).message}`;
  }
}

export const healthRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, temporal, config }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['ops'],
        summary: 'Whether the database and Temporal are reachable',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const [database, temporalStatus] = await Promise.all([
        check(() => sql`select 1`.execute(db)),
        check(() =>
          temporal.withAbortSignal(AbortSignal.timeout(CHECK_TIMEOUT_MS), () =>
            temporal.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE }),
          ),
        ),
      ]);
      const ok = database === 'ok' && temporalStatus === 'ok';
      return reply
        .code(ok ? 200 : 503)
        .send({ status: ok ? 'ok' : 'degraded', database, temporal: temporalStatus });
    },
  );
};
