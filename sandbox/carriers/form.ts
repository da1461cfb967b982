import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FaultPlan } from '../kit/rate-limit.js';

/** Carrier APIs post `application/x-www-form-urlencoded`; simulators read the fields as strings. */
export function acceptForms(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
}

export function formBody(body: unknown): Record<string, string> {
  return body && typeof body === 'object' ? (body as Record<string, string>) : {};
}

/** Answers a scripted fault (429 / 5xx) if one is planned for this operation. */
export function replyFault(reply: FastifyReply, faults: FaultPlan | undefined, operation: string): boolean {
  const fault = faults?.next(operation);
  if (!fault) return false;
  if (fault.retryAfterSeconds !== undefined) reply.header('retry-after', String(fault.retryAfterSeconds));
  reply
    .code(fault.status)
    .type('text/plain')
    .send(fault.status === 429 ? 'Too Many Requests' : 'Service Unavailable');
  return true;
}
