import type { FastifyInstance } from 'fastify';
import { invalid, type FieldIssue } from './errors.js';

const NUL = '\u0000';

/**
 * PostgreSQL stores no NUL character in text or jsonb: a request carrying one reached the database
 * and failed there as a 500. Refused up front instead, with the field it sits in. Webhooks are left
 * to their receivers, which keep a signed body as the platform sent it.
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (request.routeOptions.url?.startsWith('/webhooks/')) return;
    const issues = [
      ...nulFields(request.params, 'params'),
      ...nulFields(request.query, 'querystring'),
      ...nulFields(request.body, 'body'),
    ];
    if (issues.length) throw invalid(issues);
  });
}

function nulFields(value: unknown, path: string): FieldIssue[] {
  if (typeof value === 'string') {
    return value.includes(NUL) ? [{ field: path, problem: 'must not contain a NUL character (U+0000)' }] : [];
  }
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => [
    ...(key.includes(NUL)
      ? [{ field: path, problem: 'must not have a key with a NUL character (U+0000)' }]
      : []),
    ...nulFields(v, `${path}.${key}`),
  ]);
}
