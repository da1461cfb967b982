import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openApiDocument, UI_API_TYPES, uiApiTypes } from '../../scripts/openapi.js';

/**
 * The web UI's API client is typed from the API's OpenAPI document. A route or schema changed
 * without regenerating the types fails here (and the UI's typecheck shows what it broke).
 */
describe('the web UI’s API types', () => {
  it('are generated from the current OpenAPI document (npm run ui:api)', async () => {
    const committed = await readFile(UI_API_TYPES, 'utf8');
    expect(committed === (await uiApiTypes()), `${UI_API_TYPES} is out of date: run npm run ui:api`).toBe(
      true,
    );
  });

  it('describe what every JSON route the UI reads answers', async () => {
    const document = (await openApiDocument()) as {
      paths: Record<string, Record<string, { responses?: Record<string, { content?: unknown }> }>>;
    };
    const read = [
      ['/auth/me', 'get'],
      ['/reviews', 'get'],
      ['/orders', 'get'],
      ['/orders/{id}', 'get'],
      ['/orders/{id}/review', 'post'],
      ['/shipments', 'get'],
      ['/shipments/{id}', 'get'],
      ['/wms/waves', 'get'],
      ['/wms/waves/{id}', 'get'],
      ['/wms/exceptions', 'get'],
      ['/stock', 'get'],
      ['/stock/ledger', 'get'],
      ['/shops', 'get'],
      ['/shops/{id}', 'get'],
      ['/alerts', 'get'],
      ['/audit-rules', 'get'],
      ['/audit-rules/dry-run', 'post'],
      ['/routing-rules/dry-run', 'post'],
    ] as const;
    const undocumented = read.filter(([path, method]) => {
      const responses = document.paths[path]?.[method]?.responses ?? {};
      return !Object.entries(responses).some(([status, r]) => status.startsWith('2') && r.content);
    });
    expect(undocumented).toEqual([]);
  });
});
