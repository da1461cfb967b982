import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ZodError } from 'zod';

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `body.lines.0.quantity`. */
  field: string;
  problem: string;
}

/**
 * An error with an HTTP status and a message safe to show the caller. Business failures
 * (unknown shop, order not held, …) are thrown as these and mapped in one error handler.
 */
export class HttpProblem extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly code?: string,
    /** Response headers the answer needs (e.g. Retry-After on a 503). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpProblem';
  }
}

export function zodIssues(error: ZodError, prefix: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    problem: issue.message,
  }));
}

export function invalid(issues: FieldIssue[]): HttpProblem {
  const summary = issues
    .slice(0, 5)
    .map((i) => `${i.field}: ${i.problem}`)
    .join('; ');
  return new HttpProblem(400, `invalid request: ${summary}`, issues, 'INVALID_DATA');
}

/** Parses `value` with `schema`, or throws a 400 naming each bad field. */
export function parseOrThrow<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: ZodError } },
  value: unknown,
  prefix: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(zodIssues(result.error, prefix));
  return result.data;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** One error handler: 4xx carry a clear message and field issues; 5xx never leak internals. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | HttpProblem, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        field: [err.validationContext ?? '', ...String(v.instancePath).split('/').filter(Boolean)]
          .filter(Boolean)
          .join('.'),
        problem: v.message ?? 'is invalid',
      }));
      return reply.code(400).send(body(400, invalid(issues).message, issues, 'INVALID_DATA'));
    }
    if (err instanceof HttpProblem) {
      if (err.statusCode >= 500) request.log.error({ err }, err.message);
      return reply.code(err.statusCode).headers(err.headers).send(problemBody(err));
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return reply.code(status).send(body(status, 'internal error; the failure was logged'));
    }
    return reply.code(status).send(body(status, err.message, [], err.code));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(body(404, `no route for ${request.method} ${request.url.split('?')[0]}`)),
  );
}

/** The body an `HttpProblem` is answered with. */
export function problemBody(err: HttpProblem) {
  return body(err.statusCode, err.message, err.issues, err.code);
}

function body(statusCode: number, message: string, issues: FieldIssue[] = [], code?: string) {
  return {
    statusCode,
    error: REASONS[statusCode] ?? 'Error',
    ...(code ? { code } : {}),
    message,
    ...(issues.length ? { issues } : {}),
  };
}
