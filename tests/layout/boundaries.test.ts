import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

/** The layout messages ESLint reports for `code` placed at `file` (the file need not exist). */
async function layoutErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = [];\n`, { filePath: file });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layout rules (eslint no-restricted-imports)', () => {
  it('keeps Temporal, SQL and activities out of integrations/, at any depth', async () => {
    const file = 'integrations/platforms/newshop/client.ts';
    expect(await layoutErrors(file, "import { heartbeat } from '@temporalio/activity';")).toEqual([
      expect.stringContaining('integrations/ has no Temporal and no SQL'),
    ]);
    expect(await layoutErrors(file, "import { sql } from 'kysely';")).toHaveLength(1);
    expect(await layoutErrors(file, "import type { Db } from '../../../db/connect.js';")).toEqual([
      expect.stringContaining('imports domain/ only'),
    ]);
    expect(await layoutErrors(file, "import { x } from '../../../activities/index.js';")).toHaveLength(1);
    expect(await layoutErrors(file, "import { toFen } from '../../../services/capture/fx.js';")).toHaveLength(
      1,
    );
    expect(await layoutErrors(file, "import { orderWorkflowId } from '../../../domain/ids.js';")).toEqual([]);
    expect(await layoutErrors(file, "import { PlatformError } from '../../platforms/errors.js';")).toEqual(
      [],
    );
    expect(await layoutErrors(file, "import type { Config } from '../../../config/index.js';")).toEqual([]);
    expect(await layoutErrors(file, "import { loadConfig } from '../../../config/index.js';")).toHaveLength(
      1,
    );
  });

  it('keeps the API away from activities/ and workflow code, and routes away from the server', async () => {
    const route = 'api/routes/payments.ts';
    expect(
      await layoutErrors(route, "import { createActivities } from '../../activities/index.js';"),
    ).toEqual([expect.stringContaining('never to activities/')]);
    expect(await layoutErrors(route, "import type { ApiDeps } from '../server.js';")).toEqual([
      expect.stringContaining('never import api/server.ts'),
    ]);
    expect(
      await layoutErrors(route, "import type { orderWorkflow } from '../../workflows/order-workflow.js';"),
    ).toEqual([expect.stringContaining('imports only workflows/messages.ts')]);
    expect(await layoutErrors(route, "import { stateQuery } from '../../workflows/messages.js';")).toEqual(
      [],
    );
    expect(
      await layoutErrors(route, "import { submitOrderSnapshot } from '../../services/order-start.js';"),
    ).toEqual([]);
    expect(await layoutErrors(route, "import type { ApiDeps } from '../deps.js';")).toEqual([]);
  });

  it('lets workflows import activities as types only, and no I/O at all', async () => {
    const file = 'workflows/order/refund.ts';
    expect(
      await layoutErrors(file, "import { createActivities } from '../../activities/index.js';"),
    ).toHaveLength(1);
    expect(await layoutErrors(file, "import type { Activities } from '../../activities/index.js';")).toEqual(
      [],
    );
    expect(await layoutErrors(file, "import { connect } from '../../db/connect.js';")).toEqual([
      expect.stringContaining('Workflows must not perform I/O'),
    ]);
    expect(await layoutErrors(file, "import { readFile } from 'node:fs/promises';")).toHaveLength(1);
    expect(
      await layoutErrors(file, "import { submitOrderSnapshot } from '../../services/order-start.js';"),
    ).toHaveLength(1);
  });

  it('keeps activities and services off workflow code, and services off activities', async () => {
    expect(
      await layoutErrors(
        'activities/payments.ts',
        "import type { waveWorkflow } from '../workflows/wave-workflow.js';",
      ),
    ).toEqual([expect.stringContaining('client-side starts live in services/')]);
    expect(
      await layoutErrors(
        'activities/payments.ts',
        "import { waveCandidateSignal } from '../workflows/messages.js';",
      ),
    ).toEqual([]);
    expect(
      await layoutErrors('activities/payments.ts', "import { buildServer } from '../api/server.js';"),
    ).toHaveLength(1);
    expect(
      await layoutErrors('services/refunds.ts', "import { createActivities } from '../activities/index.js';"),
    ).toEqual([expect.stringContaining('never the reverse')]);
  });

  it('keeps simulators off adapter code, db tables off the schema and domain/ pure', async () => {
    expect(
      await layoutErrors(
        'sandbox/payments/alipay.ts',
        "import { sign } from '../../integrations/payments/alipay/sign.js';",
      ),
    ).toEqual([expect.stringContaining('Simulators share nothing with adapters')]);
    expect(
      await layoutErrors('db/tables/payments.ts', "import type { Timestamp } from '../schema.js';"),
    ).toEqual([expect.stringContaining('db/tables/columns.ts')]);
    expect(
      await layoutErrors('db/tables/payments.ts', "import { x } from '../../activities/index.js';"),
    ).toHaveLength(1);
    expect(await layoutErrors('domain/payments.ts', "import { readFileSync } from 'node:fs';")).toHaveLength(
      1,
    );
    expect(
      await layoutErrors('domain/payments.ts', "import { x } from '../integrations/platforms/types.js';"),
    ).toHaveLength(1);
  });
});
