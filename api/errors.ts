import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ZodError } from 'zod';

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `body.lines.0.quantity`. */
  field: string;
  problem: string;
  /**
   * What kind of problem, for a client that says it in its own language: zod's issue code
   * (`invalid_type`, `too_small`, …) or one of ours (`unknown`, …). Absent where only the words fit.
   */
  code?: string;
  /** The particulars the code's sentence needs (expected, minimum, the allowed values, …). */
  params?: ProblemParams;
}

export type ProblemParams = Record<string, string | number | boolean | (string | number)[]>;

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
    /** The particulars `code`'s sentence needs, so a client can say the problem in its language. */
    readonly params?: ProblemParams,
  ) {
    super(message);
    this.name = 'HttpProblem';
  }
}

export function zodIssues(error: ZodError, prefix: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    problem: issue.message,
    ...issueKind(issue.code, issue as unknown as Record<string, unknown>, issue.message),
  }));
}

/** zod's particulars worth sending; the rest (the input, nested union errors) stay here. */
const ISSUE_PARAMS = [
  'expected',
  'minimum',
  'maximum',
  'inclusive',
  'origin',
  'values',
  'format',
  'keys',
  'divisor',
];

/** How zod's own English messages begin; any other message is ours, written for the field. */
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized key)/;

/**
 * The code and particulars of a zod issue. A refinement of ours (`custom`) or a check given our
 * own words (`.min(1, 'say why')`) is stated by its message alone, so it carries no code.
 */
function issueKind(
  code: string,
  issue: Record<string, unknown>,
  message: string,
): Pick<FieldIssue, 'code' | 'params'> {
  if (code === 'custom' || !ZOD_DEFAULT_MESSAGE.test(message)) return {};
  const params: ProblemParams = {};
  for (const key of ISSUE_PARAMS) {
    const value = issue[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      params[key] = value;
    else if (typeof value === 'bigint') params[key] = Number(value);
    else if (Array.isArray(value)) params[key] = value.map((v) => (typeof v === 'number' ? v : String(v)));
  }
  // zod keeps the input out of its issues; its message still names what arrived ("received undefined").
  const received = /received (\w+)/.exec(message)?.[1];
  if (received) params.received = received;
  return { code, params };
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
        ...issueKind(v.keyword, v.params, v.message ?? ''),
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
  return body(err.statusCode, err.message, err.issues, err.code, err.params);
}

/**
 * Every problem has a code a client can act on and translate: the thrower's, or the status's
 * own (`NOT_FOUND`, `CONFLICT`, …) where nothing more specific was said.
 */
const CODES_BY_STATUS: Record<number, string> = {
  400: 'INVALID_DATA',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

function body(
  statusCode: number,
  message: string,
  issues: FieldIssue[] = [],
  code?: string,
  params?: ProblemParams,
) {
  const fallback = CODES_BY_STATUS[statusCode] ?? (statusCode >= 500 ? 'INTERNAL' : 'ERROR');
  return {
    statusCode,
    error: REASONS[statusCode] ?? 'Error',
    code: code ?? fallback,
    message,
    ...(params ? { params } : {}),
    ...(issues.length ? { issues } : {}),
  };
}
