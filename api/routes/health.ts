import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';

const CHECK_TIMEOUT_MS = 2_000;

/**
 * What is up and what is down, in words a caller can act on; never the raw error (it can name
 * hosts, users and ports). The error itself goes to the log.
 */
const Check = z.enum(['ok', 'unreachable', 'timeout']);
const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  database: Check,
  temporal: Check,
});
type Check = z.infer<typeof Check>;

class CheckTimeout extends Error {}

async function check(
  name: string,
  log: { warn: (obj: object, msg: string) => void },
  run: () => Promise<unknown>,
): Promise<Check> {
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new CheckTimeout(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
    return 'ok';
  } catch (err) {
    log.warn({ err, check: name }, `health: ${name} is down`);
    return err instanceof CheckTimeout ? 'timeout' : 'unreachable';
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
    async (request, reply) => {
      const [database, temporalStatus] = await Promise.all([
        check('database', request.log, () => sql`select 1`.execute(db)),
        check('temporal', request.log, () =>
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
