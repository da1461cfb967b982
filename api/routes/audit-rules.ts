import type { FastifyInstance } from 'fastify';
import { dataKeyring, type DataKeyring } from '../../db/crypto/data-keys.js';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BlacklistKindSchema } from '../../domain/audit/blacklist.js';
import { decideAudit } from '../../domain/audit/decide.js';
import { summarizeAuditDryRun } from '../../domain/audit/dry-run.js';
import type { Role } from '../../domain/audit/roles.js';
import { AuditRuleSchema, RuleIdSchema } from '../../domain/audit/rule.js';
import { DEFAULT_ORDER_POLICY } from '../../domain/order-policy.js';
import { PlatformSchema } from '../../domain/platforms.js';
import {
  addBlacklistEntry,
  auditRuleStore,
  BlacklistValueError,
  listBlacklist,
  loadRecentAudits,
  removeBlacklistEntry,
  RuleConflictError,
  type RecentAudit,
  type StoredBlacklistEntry,
  type StoredRule,
} from '../../db/queries/audit-rules.js';
import type { Db } from '../../db/connect.js';
import { actorOf } from '../auth/plugin.js';
import { HttpProblem } from '../errors.js';
import type { ApiDeps } from '../deps.js';
import { AuditDryRunSummary, BlacklistEntry, dryRunResponse, storedRule } from '../responses/rules.js';

const BlacklistAdded = BlacklistEntry.extend({ created: z.boolean() });

/** Rules are read by the people whose queues they fill; only admins change them. */
export const RULE_READ_ROLES: Role[] = ['reviewer', 'finance', 'customer-service', 'ops'];
export const RULE_WRITE_ROLES: Role[] = ['admin'];
export const DRY_RUN_ROLES: Role[] = ['ops'];
export const BLACKLIST_READ_ROLES: Role[] = ['reviewer', 'customer-service', 'ops'];
/** Customer service meets abusive buyers first, so they may list them (admins too). */
export const BLACKLIST_WRITE_ROLES: Role[] = ['customer-service'];

const IdParams = z.object({ id: RuleIdSchema });

export const DryRunWindowSchema = z.object({
  days: z.number().int('must be a whole number').min(1, 'must be at least 1').max(90, 'must be at most 90'),
  /** Most orders to evaluate (newest first). */
  limit: z.number().int().min(1).max(20_000).default(5000),
  sampleSize: z.number().int().min(1).max(50).default(5),
  /** Also list each evaluated order with the holds and flags it would get. */
  includeOrders: z.boolean().default(false),
});

/** The window a dry run looked at: the `days` before `to`. */
export function dryRunWindow(days: number, to = new Date()) {
  return { days, from: new Date(to.getTime() - days * 86_400_000).toISOString(), to: to.toISOString() };
}

interface RuleStore<R> {
  list(db: Db): Promise<StoredRule<R>[]>;
  get(db: Db, id: string): Promise<StoredRule<R> | undefined>;
  loadActive(db: Db): Promise<R[]>;
  create(db: Db, rule: R, actor: string): Promise<StoredRule<R>>;
  update(db: Db, rule: R, actor: string, expectedVersion?: number): Promise<StoredRule<R> | undefined>;
  setEnabled(db: Db, id: string, enabled: boolean, actor: string): Promise<StoredRule<R> | undefined>;
}

function view<R>(stored: StoredRule<R>) {
  return {
    ...stored.rule,
    version: stored.version,
    updatedBy: stored.updatedBy,
    updatedAt: stored.updatedAt.toISOString(),
    createdAt: stored.createdAt.toISOString(),
  };
}

function conflict(err: unknown): never {
  if (err instanceof RuleConflictError) throw new HttpProblem(409, err.message, [], 'CONFLICT');
  throw err;
}

/**
 * CRUD, enable/disable and dry run for one kind of rule under `prefix`. Shared by audit and
 * routing rules, which differ only in their schema, store and what a dry run reports.
 */
export function registerRuleRoutes<
  S extends z.ZodObject,
  R extends z.infer<S> & { id: string; enabled: boolean },
>(
  app: FastifyInstance,
  options: {
    db: Db;
    /** Opens the stored receivers the dry run audits (order rules only). */
    ring?: DataKeyring;
    prefix: string;
    tag: string;
    noun: string;
    schema: S;
    store: RuleStore<R>;
    /** Shops without their own `paymentToleranceFen` setting use this (default: the built-in 0). */
    defaultPaymentToleranceFen?: number;
    /** Evaluates the rules over recent orders; rules over something else register their own dry run. */
    dryRun?: (
      rules: readonly R[],
      audits: readonly RecentAudit[],
      sampleSize: number,
      includeOrders: boolean,
    ) => unknown;
    /** What `dryRun` answers, for the OpenAPI document. */
    dryRunSummary?: z.ZodType;
  },
): void {
  const { db, prefix, tag, noun, schema, store } = options;
  const Stored = storedRule(schema);
  const api = app.withTypeProvider<ZodTypeProvider>();
  const UpdateBody = schema.extend({
    id: RuleIdSchema.optional(),
    /** The version the caller edited; a newer stored version makes the update fail with 409. */
    version: z.number().int().min(1).optional(),
  });
  const DryRunBody = DryRunWindowSchema.extend({
    /** The draft rule set; omitted: the rules in force now. */
    rules: z.array(schema).max(500, 'must contain at most 500 rules').optional(),
  });

  api.get(
    prefix,
    {
      config: { roles: RULE_READ_ROLES },
      schema: {
        tags: [tag],
        summary: `List ${noun}s in evaluation order`,
        response: { 200: z.object({ rules: z.array(Stored) }) },
      },
    },
    async () => ({ rules: (await store.list(db)).map(view) }),
  );

  api.get(
    `${prefix}/:id`,
    {
      config: { roles: RULE_READ_ROLES },
      schema: { tags: [tag], summary: `One ${noun}`, params: IdParams, response: { 200: Stored } },
    },
    async (request) => {
      const stored = await store.get(db, request.params.id);
      if (!stored) throw new HttpProblem(404, `no ${noun} with id "${request.params.id}"`);
      return view(stored);
    },
  );

  api.post(
    prefix,
    {
      config: { roles: RULE_WRITE_ROLES },
      schema: { tags: [tag], summary: `Create a ${noun}`, body: schema, response: { 201: Stored } },
    },
    async (request, reply) => {
      const stored = await store.create(db, request.body as R, actorOf(request).name).catch(conflict);
      return reply.code(201).send(view(stored));
    },
  );

  api.put(
    `${prefix}/:id`,
    {
      config: { roles: RULE_WRITE_ROLES },
      schema: {
        tags: [tag],
        summary: `Replace a ${noun}`,
        params: IdParams,
        body: UpdateBody,
        response: { 200: Stored },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { version, ...body } = request.body as z.infer<typeof UpdateBody>;
      if (body.id !== undefined && body.id !== id) {
        throw new HttpProblem(400, `invalid request: body.id: must equal the id in the path ("${id}")`, [
          { field: 'body.id', problem: `must equal the id in the path ("${id}")` },
        ]);
      }
      const stored = await store
        .update(db, { ...body, id } as R, actorOf(request).name, version as number | undefined)
        .catch(conflict);
      if (!stored) throw new HttpProblem(404, `no ${noun} with id "${id}"`);
      return view(stored);
    },
  );

  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    api.post(
      `${prefix}/:id/${verb}`,
      {
        config: { roles: RULE_WRITE_ROLES },
        schema: {
          tags: [tag],
          summary: `${verb === 'enable' ? 'Enable' : 'Disable'} a ${noun}`,
          params: IdParams,
          response: { 200: Stored },
        },
      },
      async (request) => {
        const stored = await store.setEnabled(db, request.params.id, enabled, actorOf(request).name);
        if (!stored) throw new HttpProblem(404, `no ${noun} with id "${request.params.id}"`);
        return view(stored);
      },
    );
  }

  const { dryRun, dryRunSummary, ring } = options;
  if (!dryRun || !dryRunSummary || !ring) return;
  api.post(
    `${prefix}/dry-run`,
    {
      config: { roles: DRY_RUN_ROLES },
      schema: {
        tags: [tag],
        summary: `Evaluate a draft ${noun} set against the orders of the last N days, changing nothing`,
        body: DryRunBody,
        response: { 200: dryRunResponse(dryRunSummary) },
      },
    },
    async (request) => {
      const body = request.body as z.infer<typeof DryRunBody>;
      const rules = (body.rules as R[] | undefined) ?? (await store.loadActive(db));
      const to = new Date();
      const recent = await loadRecentAudits(db, ring, {
        days: body.days,
        limit: body.limit,
        defaultPaymentToleranceFen:
          options.defaultPaymentToleranceFen ?? DEFAULT_ORDER_POLICY.paymentToleranceFen,
      });
      return {
        window: dryRunWindow(body.days, to),
        draft: body.rules !== undefined,
        truncated: recent.truncated,
        notAudited: recent.notAudited,
        skipped: recent.skipped,
        summary: dryRun(rules, recent.audits, body.sampleSize, body.includeOrders),
      };
    },
  );
}

const BlacklistBody = z.object({
  kind: BlacklistKindSchema,
  value: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
  /** Buyer ids are per platform; omit to match on every platform. */
  platform: PlatformSchema.optional(),
  reason: z.string().trim().max(500, 'must be at most 500 characters').optional(),
});

function blacklistView(entry: StoredBlacklistEntry) {
  return { ...entry, createdAt: entry.createdAt.toISOString() };
}

export const auditRuleRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, config }) => {
  registerRuleRoutes(app, {
    db,
    ring: dataKeyring(config),
    prefix: '/audit-rules',
    tag: 'audit',
    noun: 'audit rule',
    schema: AuditRuleSchema,
    store: auditRuleStore,
    dryRunSummary: AuditDryRunSummary,
    defaultPaymentToleranceFen: config.PAYMENT_TOLERANCE_FEN,
    // The live audit's own decision (activities/order-audit.ts), at each order's audit moment.
    dryRun: (rules, audits, sampleSize, includeOrders) =>
      summarizeAuditDryRun(
        audits.map(({ orderId, auditedAt, prepared }) => ({
          orderId,
          auditedAt,
          outcome: decideAudit(prepared, rules),
        })),
        { sampleSize, includeOrders },
      ),
  });

  app.get(
    '/blacklist',
    {
      config: { roles: BLACKLIST_READ_ROLES },
      schema: {
        tags: ['audit'],
        summary: 'Blacklisted buyers, phones and addresses, newest first',
        querystring: z.object({
          kind: BlacklistKindSchema.optional(),
          limit: z.coerce.number().int().min(1).max(5000).default(1000),
        }),
        response: { 200: z.object({ entries: z.array(BlacklistEntry) }) },
      },
    },
    async (request) => ({
      entries: (await listBlacklist(db, request.query)).map(blacklistView),
    }),
  );

  app.post(
    '/blacklist',
    {
      config: { roles: BLACKLIST_WRITE_ROLES },
      schema: {
        tags: ['audit'],
        summary: 'Add a buyer, phone or address to the blacklist',
        body: BlacklistBody,
        response: { 200: BlacklistAdded, 201: BlacklistAdded },
      },
    },
    async (request, reply) => {
      try {
        const { entry, created } = await addBlacklistEntry(db, request.body, actorOf(request).name);
        return reply.code(created ? 201 : 200).send({ ...blacklistView(entry), created });
      } catch (err) {
        if (err instanceof BlacklistValueError) {
          throw new HttpProblem(400, `invalid request: body.value: ${err.message}`, [
            { field: 'body.value', problem: err.message },
          ]);
        }
        throw err;
      }
    },
  );

  app.delete(
    '/blacklist/:id',
    {
      config: { roles: BLACKLIST_WRITE_ROLES },
      schema: {
        tags: ['audit'],
        summary: 'Remove a blacklist entry',
        response: { 204: z.null() },
        params: z.object({ id: z.string().regex(/^\d{1,18}$/, 'must be a blacklist entry id') }),
      },
    },
    async (request, reply) => {
      if (!(await removeBlacklistEntry(db, request.params.id))) {
        throw new HttpProblem(404, `no blacklist entry with id "${request.params.id}"`);
      }
      return reply.code(204).send(null);
    },
  );
};
