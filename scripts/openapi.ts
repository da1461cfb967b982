import { Client, Connection } from '@temporalio/client';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildServer } from '../api/server.js';
import { loadConfig } from '../config/index.js';
import { createDb } from '../db/connect.js';

/** Where the web UI's typed client finds the API's paths and schemas. */
export const UI_API_TYPES = 'ui/src/client/schema.d.ts';

/**
 * The API's OpenAPI document, as `GET /docs/json` serves it. The server is built but never
 * listens, and nothing connects: the database pool and the Temporal connection are lazy.
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'postgres://openapi@127.0.0.1:1/openapi',
    CREDENTIALS_KEY: Buffer.alloc(32).toString('base64'),
  });
  const db = createDb({ url: config.DATABASE_URL!, poolSize: 1 });
  const temporal = new Client({ connection: Connection.lazy({ address: config.TEMPORAL_ADDRESS }) });
  const app = await buildServer({ db, temporal, config, logger: false });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
    await db.destroy();
  }
}

/** The TypeScript the UI's API client is typed with, generated from the document. */
export async function uiApiTypes(): Promise<string> {
  const document = await openApiDocument();
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0]);
  return [
    "// Generated from the API's OpenAPI document by `npm run ui:api`; do not edit.",
    '// tests/ui/api-types.test.ts fails when it is out of date.',
    astToString(ast),
  ].join('\n');
}
