import { sql, type Selectable, type Transaction } from 'kysely';
import type { DataKeyring } from '../crypto/data-keys.js';
import { openReceiver } from '../crypto/receivers.js';
import type { z } from 'zod';
import {
  blacklistLookup,
  matchBlacklist,
  MIN_ADDRESS_ENTRY_CHARS,
  normalizeBlacklistValue,
  type BlacklistEntry,
  type BlacklistKind,
  type BlacklistLookup,
} from '../../domain/audit/blacklist.js';
import { prepareAudit, type AuditMasterData, type PreparedAudit } from '../../domain/audit/decide.js';
import { remarksNeedingTranslation } from '../../domain/remarks/translated.js';
import { storedRemarkTranslations } from './remark-translations.js';
import { defaultAuditRules } from '../../domain/audit/defaults.js';
import { AuditRuleSchema, byRuleOrder, type AuditRule } from '../../domain/audit/rule.js';
import type { AuditSubject } from '../../domain/audit/subject.js';
import { NormalizedOrderSchema, type NormalizedOrder } from '../../domain/order.js';
import { DEFAULT_ORDER_POLICY, resolveOrderPolicy } from '../../domain/order-policy.js';
import { validateChineseAddress } from '../../domain/regions/address.js';
import { StockError } from '../../domain/stock/errors.js';
import type { Db } from '../connect.js';
import type { Database } from '../schema.js';
import { resolveOrderLines } from './catalog.js';

/**
 * Storage of audit rules (and, through `ruleStore`, routing rules), the blacklist, and what the
 * order workflow's audit activity and the dry run read: SKU mappings and flags, blacklist hits,
 * recent audited orders.
 */

export type RuleKind = 'audit' | 'routing' | 'after_sale';
type RuleTable = 'audit_rules' | 'routing_rules' | 'after_sale_rules';

export interface StoredRule<R> {
  rule: R;
  version: number;
  updatedBy: string;
  updatedAt: Date;
  createdAt: Date;
}

export class RuleConflictError extends Error {
  constructor(
    message: string,
    readonly code: 'exists' | 'version_mismatch',
  ) {
    super(message);
    this.name = 'RuleConflictError';
  }
}

interface RuleSchema<R> {
  safeParse(v: unknown): { success: true; data: R } | { success: false; error: z.ZodError };
}

/** Create/read/update of one kind of rule; both kinds share the table shape and the history. */
export function ruleStore<R extends { id: string; order: number; enabled: boolean }>(options: {
  kind: RuleKind;
  table: RuleTable;
  schema: RuleSchema<R>;
  defaults: readonly R[];
}) {
  const { kind, table, schema, defaults } = options;
  type Executor = Db | Transaction<Database>;

  function toStored(row: {
    id: string;
    definition: Record<string, unknown>;
    enabled: boolean;
    version: number;
    updated_by: string;
    updated_at: Date;
    created_at: Date;
  }): StoredRule<R> | undefined {
    const parsed = schema.safeParse({ ...row.definition, id: row.id, enabled: row.enabled });
    if (!parsed.success) return undefined;
    return {
      rule: parsed.data,
      version: row.version,
      updatedBy: row.updated_by,
      updatedAt: row.updated_at,
      createdAt: row.created_at,
    };
  }

  function definitionOf(rule: R): string {
    const { enabled: _enabled, ...definition } = rule;
    return JSON.stringify(definition);
  }

  async function recordRevision(db: Executor, rule: R, version: number, actor: string) {
    await db
      .insertInto('rule_revisions')
      .values({
        kind,
        rule_id: rule.id,
        version,
        definition: definitionOf(rule),
        enabled: rule.enabled,
        actor,
      })
      .execute();
  }

  /**
   * Seeds the default rule set the first time this kind is read; a marker row makes sure it is
   * never seeded again, so rules an admin changed or disabled stay as they are.
   */
  async function ensureSeeded(db: Db): Promise<void> {
    const seeded = await db
      .selectFrom('rule_set_seeds')
      .select('kind')
      .where('kind', '=', kind)
      .executeTakeFirst();
    if (seeded) return;
    await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .insertInto('rule_set_seeds')
        .values({ kind })
        .onConflict((oc) => oc.column('kind').doNothing())
        .returning('kind')
        .executeTakeFirst();
      if (!claimed) return;
      for (const rule of defaults) {
        const inserted = await trx
          .insertInto(table)
          .values({
            id: rule.id,
            definition: definitionOf(rule),
            enabled: rule.enabled,
            updated_by: 'system',
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (inserted) await recordRevision(trx, rule, 1, 'system');
      }
    });
  }

  async function list(db: Db): Promise<StoredRule<R>[]> {
    await ensureSeeded(db);
    const rows = await db.selectFrom(table).selectAll().execute();
    return rows
      .map(toStored)
      .filter((r): r is StoredRule<R> => r !== undefined)
      .sort((a, b) => byRuleOrder(a.rule, b.rule));
  }

  async function get(db: Db, id: string): Promise<StoredRule<R> | undefined> {
    await ensureSeeded(db);
    const row = await db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toStored(row) : undefined;
  }

  async function loadActive(db: Db): Promise<R[]> {
    return (await list(db)).filter((r) => r.rule.enabled).map((r) => r.rule);
  }

  async function create(db: Db, rule: R, actor: string): Promise<StoredRule<R>> {
    await ensureSeeded(db);
    return db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto(table)
        .values({ id: rule.id, definition: definitionOf(rule), enabled: rule.enabled, updated_by: actor })
        .onConflict((oc) => oc.column('id').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new RuleConflictError(`a ${kind} rule with id "${rule.id}" already exists`, 'exists');
      await recordRevision(trx, rule, row.version, actor);
      return toStored(row)!;
    });
  }

  /** Replaces a rule; with `expectedVersion`, only if nobody changed it since that version. */
  async function update(
    db: Db,
    rule: R,
    actor: string,
    expectedVersion?: number,
  ): Promise<StoredRule<R> | undefined> {
    await ensureSeeded(db);
    return db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom(table)
        .select('version')
        .where('id', '=', rule.id)
        .forUpdate()
        .executeTakeFirst();
      if (!current) return undefined;
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        throw new RuleConflictError(
          `${kind} rule "${rule.id}" is at version ${current.version}, not ${expectedVersion}; reload it and retry`,
          'version_mismatch',
        );
      }
      const row = await trx
        .updateTable(table)
        .set({
          definition: definitionOf(rule),
          enabled: rule.enabled,
          version: current.version + 1,
          updated_by: actor,
          updated_at: new Date(),
        })
        .where('id', '=', rule.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordRevision(trx, rule, row.version, actor);
      return toStored(row);
    });
  }

  async function setEnabled(db: Db, id: string, enabled: boolean, actor: string) {
    const current = await get(db, id);
    if (!current) return undefined;
    if (current.rule.enabled === enabled) return current;
    return update(db, { ...current.rule, enabled }, actor);
  }

  return { list, get, loadActive, create, update, setEnabled, ensureSeeded };
}

export const auditRuleStore = ruleStore<AuditRule>({
  kind: 'audit',
  table: 'audit_rules',
  schema: AuditRuleSchema,
  defaults: defaultAuditRules,
});

/** The enabled audit rules, in evaluation order (the default set is seeded on first read). */
export function loadActiveAuditRules(db: Db): Promise<AuditRule[]> {
  return auditRuleStore.loadActive(db);
}

// ---------------------------------------------------------------------------------------------
// Blacklist

export interface StoredBlacklistEntry extends BlacklistEntry {
  displayValue: string;
  createdBy: string;
  createdAt: Date;
}

function toEntry(row: {
  id: number;
  kind: string;
  value: string;
  display_value: string;
  platform: string | null;
  reason: string;
  created_by: string;
  created_at: Date;
}): StoredBlacklistEntry {
  return {
    id: String(row.id),
    kind: row.kind as BlacklistKind,
    value: row.value,
    displayValue: row.display_value,
    platform: row.platform,
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export async function listBlacklist(
  db: Db,
  filter: { kind?: BlacklistKind; limit?: number } = {},
): Promise<StoredBlacklistEntry[]> {
  let query = db
    .selectFrom('blacklist_entries')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 1000);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  return (await query.execute()).map(toEntry);
}

export class BlacklistValueError extends Error {}

/** Adds an entry (idempotent: the same kind/value/platform returns the existing entry). */
export async function addBlacklistEntry(
  db: Db,
  input: { kind: BlacklistKind; value: string; platform?: string | null; reason?: string },
  actor: string,
): Promise<{ entry: StoredBlacklistEntry; created: boolean }> {
  const value = normalizeBlacklistValue(input.kind, input.value);
  if (input.kind === 'address' && value.length < MIN_ADDRESS_ENTRY_CHARS) {
    throw new BlacklistValueError(
      `an address entry needs at least ${MIN_ADDRESS_ENTRY_CHARS} letters or digits, or it would match too many addresses`,
    );
  }
  if (input.kind === 'phone' && value.length < 7) {
    throw new BlacklistValueError('a phone entry needs at least 7 digits');
  }
  if (!value) throw new BlacklistValueError('must not be empty');
  const inserted = await db
    .insertInto('blacklist_entries')
    .values({
      kind: input.kind,
      value,
      display_value: input.value.trim(),
      platform: input.platform ?? null,
      reason: input.reason?.trim() ?? '',
      created_by: actor,
    })
    .onConflict((oc) => oc.expression(sql`kind, value, coalesce(platform, '')`).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { entry: toEntry(inserted), created: true };
  const existing = await db
    .selectFrom('blacklist_entries')
    .selectAll()
    .where('kind', '=', input.kind)
    .where('value', '=', value)
    .where(sql<boolean>`coalesce(platform, '') = ${input.platform ?? ''}`)
    .executeTakeFirstOrThrow();
  return { entry: toEntry(existing), created: false };
}

export async function removeBlacklistEntry(db: Db, id: string): Promise<boolean> {
  if (!/^\d{1,18}$/.test(id)) return false;
  const result = await db.deleteFrom('blacklist_entries').where('id', '=', Number(id)).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// ---------------------------------------------------------------------------------------------
// What the audit reads: the same loader for the live audit and the dry run

/**
 * Read-through caches for a dry run over many orders: the blacklist is read once and each SKU's
 * flags once, instead of per order. The live audit reads fresh every time.
 */
export interface MasterDataCache {
  blacklist?: Promise<StoredBlacklistEntry[]>;
  skuFlags: Map<string, readonly string[]>;
}

export function createMasterDataCache(): MasterDataCache {
  return { skuFlags: new Map() };
}

/**
 * Everything `prepareAudit` needs from master data for one order: how its lines map to internal
 * SKUs (bundles expanded), the flags of those SKUs and the blacklist entries the order hits.
 */
export async function loadAuditMasterData(
  db: Db,
  order: NormalizedOrder,
  cache?: MasterDataCache,
): Promise<AuditMasterData> {
  const lookup = blacklistLookup(order, validateChineseAddress(order.receiver).normalized);
  const [resolution, entries] = await Promise.all([
    resolveOrderLines(db, order),
    cache ? (cache.blacklist ??= loadBlacklist(db)) : blacklistCandidates(db, lookup),
  ]);
  const codes = [...new Set([...order.lines.map((l) => l.skuCode), ...resolution.matches.map((m) => m.sku)])];
  return {
    skuFlags: await skuFlagsOf(db, codes, cache),
    resolution: {
      matches: resolution.matches.map((m) => ({ lineId: m.lineId, sku: m.sku })),
      components: resolution.lines.map((l) => ({ lineId: l.lineId, flags: l.flags })),
      unmapped: resolution.unmapped.map((u) => ({ lineId: u.lineId, problem: u.problem })),
    },
    blacklistHits: matchBlacklist(entries, order.platform, lookup),
  };
}

async function loadBlacklist(db: Db): Promise<StoredBlacklistEntry[]> {
  return (await db.selectFrom('blacklist_entries').selectAll().execute()).map(toEntry);
}

/** The entries that can match this lookup (`matchBlacklist` decides which do). */
async function blacklistCandidates(db: Db, lookup: BlacklistLookup): Promise<StoredBlacklistEntry[]> {
  const rows = await db
    .selectFrom('blacklist_entries')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', 'buyer'), eb('value', '=', lookup.buyer)]),
        ...(lookup.phone ? [eb.and([eb('kind', '=', 'phone'), eb('value', '=', lookup.phone)])] : []),
        ...(lookup.address ? [eb('kind', '=', 'address')] : []),
      ]),
    )
    .execute();
  return rows.map(toEntry);
}

async function skuFlagsOf(
  db: Db,
  codes: readonly string[],
  cache?: MasterDataCache,
): Promise<Record<string, readonly string[]>> {
  const missing = codes.filter((c) => !cache?.skuFlags.has(c));
  const rows = missing.length
    ? await db.selectFrom('skus').select(['code', 'flags']).where('code', 'in', missing).execute()
    : [];
  const found = new Map<string, readonly string[]>(rows.map((r) => [r.code, r.flags]));
  if (cache) for (const code of missing) cache.skuFlags.set(code, found.get(code) ?? []);
  const flags: Record<string, readonly string[]> = {};
  for (const code of codes) {
    const own = cache ? cache.skuFlags.get(code) : found.get(code);
    if (own?.length) flags[code] = own;
  }
  return flags;
}

// ---------------------------------------------------------------------------------------------
// Recent orders, for dry runs

export interface RecentAudit {
  orderId: string;
  /** The moment the order workflow audited the order; payment age is measured at it. */
  auditedAt: string;
  /** `prepared.subject`, for routing dry runs. */
  subject: AuditSubject;
  prepared: PreparedAudit;
}

export interface RecentAudits {
  audits: RecentAudit[];
  /** Orders that cannot be evaluated (the stored order no longer parses, a bundle is broken). */
  skipped: { orderId: string; problem: string }[];
  /** Orders captured in the window that have not been audited yet (e.g. still unpaid). */
  notAudited: number;
  /** True when more orders were captured in the window than `limit`. */
  truncated: boolean;
}

const DRY_RUN_CONCURRENCY = 8;

/** The columns that hold the platform's order (what `orderOf` reads back). */
const ORDER_COLUMNS = [
  'platform',
  'shop_id',
  'platform_order_id',
  'platform_status',
  'refund_status',
  'order_type',
  'buyer_id',
  'buyer_nick',
  'receiver',
  'currency',
  'goods_fen',
  'discount_fen',
  'shipping_fen',
  'paid_fen',
  'buyer_remark',
  'seller_memo',
  'platform_created_at',
  'paid_at',
  'platform_modified_at',
] as const;

/**
 * The audited orders captured in the last `days` days, prepared exactly as their live audit was:
 * the order's platform data, today's master data, the shop's payment tolerance, and — for payment
 * age — the moment the workflow audited it (recorded with its `audited` event). Reviewer edits are
 * not applied: the first audit ran before any.
 */
export async function loadRecentAudits(
  db: Db,
  ring: DataKeyring,
  options: { days: number; limit?: number; defaultPaymentToleranceFen: number },
): Promise<RecentAudits> {
  const limit = options.limit ?? 5000;
  const since = new Date(Date.now() - options.days * 86_400_000);
  const rows = await db
    .selectFrom('orders')
    .select(['id', 'captured_at', ...ORDER_COLUMNS])
    .where('captured_at', '>=', since)
    .orderBy('captured_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const truncated = rows.length > limit;
  const orders = rows.slice(0, limit);
  if (orders.length === 0) return { audits: [], skipped: [], notAudited: 0, truncated };

  const ids = orders.map((o) => o.id);
  const [lines, audited, shops] = await Promise.all([
    inChunks(ids, (chunk) =>
      db
        .selectFrom('order_lines')
        .selectAll()
        .where('order_id', 'in', chunk)
        .orderBy('order_id')
        .orderBy('line_id')
        .execute(),
    ),
    inChunks(ids, (chunk) =>
      db
        .selectFrom('order_events')
        .select(['order_id', 'at', 'detail'])
        .distinctOn('order_id')
        .where('stage', '=', 'audited')
        .where('order_id', 'in', chunk)
        .orderBy('order_id')
        .orderBy('seq')
        .execute(),
    ),
    db
      .selectFrom('shops')
      .select(['id', 'settings'])
      .where('id', 'in', [...new Set(orders.map((o) => o.shop_id))])
      .execute(),
  ]);
  const auditedAt = new Map(audited.map((e) => [e.order_id, auditMomentOf(e)]));
  const tolerance = new Map(
    shops.map((s) => [
      s.id,
      resolveOrderPolicy(
        { ...DEFAULT_ORDER_POLICY, paymentToleranceFen: options.defaultPaymentToleranceFen },
        s.settings,
      ).policy.paymentToleranceFen,
    ]),
  );
  const linesByOrder = new Map<string, typeof lines>();
  for (const line of lines) {
    const list = linesByOrder.get(line.order_id) ?? [];
    list.push(line);
    linesByOrder.set(line.order_id, list);
  }

  const cache = createMasterDataCache();
  const skipped: RecentAudits['skipped'] = [];
  const pending = orders.filter((row) => auditedAt.has(row.id));
  const results: (RecentAudit | undefined)[] = new Array(pending.length);
  let next = 0;
  const worker = async () => {
    while (next < pending.length) {
      const index = next++;
      const row = pending[index]!;
      const parsed = NormalizedOrderSchema.safeParse(
        orderOf({ ...row, receiver: openReceiver(ring, row.receiver) }, linesByOrder.get(row.id) ?? []),
      );
      if (!parsed.success) {
        skipped.push({ orderId: row.id, problem: parsed.error.issues[0]?.message ?? 'does not parse' });
        continue;
      }
      const at = auditedAt.get(row.id)!;
      try {
        const data = await loadAuditMasterData(db, parsed.data, cache);
        // The translations the live audit stored: a dry run never calls the service.
        const remarkTranslations = await storedRemarkTranslations(db, remarksNeedingTranslation(parsed.data));
        const prepared = prepareAudit(
          parsed.data,
          Object.keys(remarkTranslations).length ? { ...data, remarkTranslations } : data,
          { paymentToleranceFen: tolerance.get(row.shop_id) ?? options.defaultPaymentToleranceFen },
          at,
        );
        results[index] = { orderId: row.id, auditedAt: at, subject: prepared.subject, prepared };
      } catch (err) {
        if (!(err instanceof StockError)) throw err;
        skipped.push({ orderId: row.id, problem: err.message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DRY_RUN_CONCURRENCY, pending.length) }, worker));
  return {
    audits: results.filter((r): r is RecentAudit => r !== undefined),
    skipped,
    notAudited: orders.length - pending.length,
    truncated,
  };
}

/** The audit's own `now` when the event recorded it, else the event's time (older events). */
function auditMomentOf(event: { at: Date; detail: Record<string, unknown> }): string {
  const recorded = event.detail.at;
  if (typeof recorded === 'string' && !Number.isNaN(Date.parse(recorded))) return recorded;
  return event.at.toISOString();
}

async function inChunks<T>(ids: string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 1000) out.push(...(await query(ids.slice(i, i + 1000))));
  return out;
}

type OrderRow = Omit<Selectable<Database['orders']>, 'id' | 'captured_at'>;
type LineRow = Selectable<Database['order_lines']>;

/** The platform order as the projection stored it (to be parsed as a `NormalizedOrder`). */
function orderOf(
  row: Pick<OrderRow, (typeof ORDER_COLUMNS)[number]>,
  lines: readonly LineRow[],
): Record<string, unknown> {
  return {
    platform: row.platform,
    shopId: row.shop_id,
    platformOrderId: row.platform_order_id,
    status: row.platform_status,
    refundStatus: row.refund_status,
    type: row.order_type,
    createdAt: row.platform_created_at.toISOString(),
    ...(row.paid_at ? { paidAt: row.paid_at.toISOString() } : {}),
    modifiedAt: row.platform_modified_at.toISOString(),
    currency: row.currency,
    amounts: {
      goodsFen: row.goods_fen,
      discountFen: row.discount_fen,
      shippingFen: row.shipping_fen,
      paidFen: row.paid_fen,
    },
    buyer: { id: row.buyer_id, ...(row.buyer_nick ? { nick: row.buyer_nick } : {}) },
    receiver: row.receiver,
    lines: lines.map((l) => ({
      lineId: l.line_id,
      platformSkuId: l.platform_sku_id,
      skuCode: l.sku_code,
      title: l.title,
      quantity: l.quantity,
      unitPriceFen: l.unit_price_fen,
      discountFen: l.discount_fen,
    })),
    ...(row.buyer_remark ? { buyerRemark: row.buyer_remark } : {}),
    ...(row.seller_memo ? { sellerMemo: row.seller_memo } : {}),
  };
}
