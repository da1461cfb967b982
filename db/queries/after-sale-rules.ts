import { sql } from 'kysely';
import { normalizeBlacklistValue } from '../../domain/audit/blacklist.js';
import {
  AfterSaleRuleSchema,
  defaultAfterSaleRules,
  InspectionResultSchema,
  type AfterSaleRule,
  type AfterSaleSubject,
  type InspectionResult,
} from '../../domain/after-sale-rules/index.js';
import type { AfterSaleKind } from '../../domain/after-sales.js';
import { toFen } from '../../domain/fx.js';
import type { Db } from '../connect.js';
import { ruleStore } from './audit-rules.js';

/**
 * Storage of the after-sales rules (the shared rule store: versions, revisions, default seeding)
 * and what they read about a case: the case itself, the buyer's other cases, the blacklist —
 * for one case at its decision point, and for past cases in a dry run.
 */
export const afterSaleRuleStore = ruleStore<AfterSaleRule>({
  kind: 'after_sale',
  table: 'after_sale_rules',
  schema: AfterSaleRuleSchema,
  defaults: defaultAfterSaleRules,
});

/** How far back a buyer's other cases are read (the longest `buyer_cases` window). */
const BUYER_HISTORY_DAYS = 365;
const DAY_MS = 86_400_000;

interface CaseRow {
  id: string;
  platform: string;
  shop_id: string;
  kind: string;
  reason: string;
  requested_fen: number;
  opened_at: Date;
  status: string;
  outcome: string | null;
  buyer_id: string | null;
  fx: Record<string, unknown> | null;
}

function casesWithBuyer(db: Db) {
  return db
    .selectFrom('after_sale_cases as c')
    .leftJoin('orders as o', 'o.id', 'c.order_id')
    .select([
      'c.id',
      'c.platform',
      'c.shop_id',
      'c.kind',
      'c.reason',
      'c.requested_fen',
      'c.opened_at',
      'c.status',
      'c.outcome',
      'o.buyer_id',
      'o.fx',
    ]);
}

/** The opening times of every case of these buyers (per platform) since `since`. */
async function buyerCaseTimes(db: Db, rows: readonly CaseRow[], since: Date) {
  const buyers = [...new Set(rows.map((r) => r.buyer_id).filter((b): b is string => !!b))];
  const times = new Map<string, { id: string; at: Date }[]>();
  if (buyers.length === 0) return times;
  const found = await db
    .selectFrom('after_sale_cases as c')
    .innerJoin('orders as o', 'o.id', 'c.order_id')
    .select(['c.id', 'c.platform', 'c.opened_at', 'o.buyer_id'])
    .where(sql<boolean>`o.buyer_id = any(${buyers}::text[])`)
    .where('c.opened_at', '>=', since)
    .execute();
  for (const row of found) {
    const key = `${row.platform}|${row.buyer_id}`;
    const list = times.get(key) ?? [];
    list.push({ id: row.id, at: row.opened_at });
    times.set(key, list);
  }
  return times;
}

async function blacklistedBuyers(db: Db): Promise<{ value: string; platform: string | null }[]> {
  return db
    .selectFrom('blacklist_entries')
    .select(['value', 'platform'])
    .where('kind', '=', 'buyer')
    .execute();
}

/**
 * A case's amount in CNY fen, as the rules' amounts are: a case asks in its order's own currency
 * (a Shopee SGD shop's refund in cents), converted at the rate the order was taken in with
 * (`orders.fx`); a CNY order's amount is fen already.
 */
function requestedInFen(row: Pick<CaseRow, 'requested_fen' | 'fx'>): number {
  const { originalCurrency, rate } = row.fx ?? {};
  if (typeof originalCurrency !== 'string' || typeof rate !== 'string') return row.requested_fen;
  return toFen(row.requested_fen, originalCurrency, rate);
}

function subjectOf(
  row: CaseRow,
  facts: {
    times: Map<string, { id: string; at: Date }[]>;
    blacklist: { value: string; platform: string | null }[];
    shipped: boolean;
    inspection: InspectionResult | null;
  },
): AfterSaleSubject {
  const buyer = row.buyer_id ? normalizeBlacklistValue('buyer', row.buyer_id) : null;
  return {
    caseId: row.id,
    platform: row.platform,
    shopId: row.shop_id,
    kind: row.kind as AfterSaleKind,
    reason: row.reason,
    requestedFen: requestedInFen(row),
    openedAt: row.opened_at.toISOString(),
    shipped: facts.shipped,
    inspection: facts.inspection,
    buyerCaseTimes: (facts.times.get(`${row.platform}|${row.buyer_id}`) ?? [])
      .filter((c) => c.id !== row.id && c.at <= row.opened_at)
      .map((c) => c.at.toISOString()),
    blacklisted:
      buyer !== null &&
      facts.blacklist.some((e) => e.value === buyer && (e.platform === null || e.platform === row.platform)),
  };
}

/** What the rules see of one case now (`shipped` and `inspection` come from the workflow). */
export async function loadAfterSaleSubject(
  db: Db,
  caseId: string,
  facts: { shipped: boolean; inspection: InspectionResult | null },
): Promise<AfterSaleSubject | undefined> {
  const row = await casesWithBuyer(db).where('c.id', '=', caseId).executeTakeFirst();
  if (!row) return undefined;
  const [times, blacklist] = await Promise.all([
    buyerCaseTimes(db, [row], new Date(row.opened_at.getTime() - BUYER_HISTORY_DAYS * DAY_MS)),
    blacklistedBuyers(db),
  ]);
  return subjectOf(row, { times, blacklist, ...facts });
}

export interface PastCase {
  caseId: string;
  requestedFen: number;
  /** How it ended, or where it stands: the outcome (refunded, refused) or the status. */
  actual: string;
  subject: AfterSaleSubject;
}

/**
 * The cases opened in the last `days` days, newest first, as the rules would have seen them at
 * their decision point: shipped when the case found its parcel with the carrier, the inspection
 * the case recorded, the buyer's earlier cases, and today's blacklist.
 */
export async function loadPastCases(
  db: Db,
  options: { days: number; limit: number },
): Promise<{ cases: PastCase[]; truncated: boolean }> {
  const since = new Date(Date.now() - options.days * DAY_MS);
  const rows = await casesWithBuyer(db)
    .where('c.opened_at', '>=', since)
    .orderBy('c.opened_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(options.limit + 1)
    .execute();
  const truncated = rows.length > options.limit;
  const cases = rows.slice(0, options.limit);
  if (cases.length === 0) return { cases: [], truncated };
  const ids = cases.map((c) => c.id);
  const [times, blacklist, events] = await Promise.all([
    buyerCaseTimes(db, cases, new Date(since.getTime() - BUYER_HISTORY_DAYS * DAY_MS)),
    blacklistedBuyers(db),
    db
      .selectFrom('after_sale_events')
      .select(['case_id', 'step', 'detail'])
      .where(sql<boolean>`case_id = any(${ids}::text[])`)
      // A case opened again writes `after-handover@2` (its run's number) for the same step.
      .where((eb) =>
        eb.or([
          eb('step', '=', 'after-handover'),
          eb('step', 'like', 'after-handover@%'),
          sql<boolean>`detail ? 'inspection'`,
        ]),
      )
      .orderBy('id')
      .execute(),
  ]);
  const shipped = new Set<string>();
  const inspection = new Map<string, InspectionResult>();
  for (const event of events) {
    if (event.step.split('@')[0] === 'after-handover') shipped.add(event.case_id);
    const found = InspectionResultSchema.safeParse(event.detail.inspection);
    if (found.success) inspection.set(event.case_id, found.data);
    if (event.detail.shipped === true) shipped.add(event.case_id);
  }
  return {
    truncated,
    cases: cases.map((row) => ({
      caseId: row.id,
      requestedFen: row.requested_fen,
      actual: row.outcome ?? row.status,
      subject: subjectOf(row, {
        times,
        blacklist,
        shipped: shipped.has(row.id),
        inspection: inspection.get(row.id) ?? null,
      }),
    })),
  };
}
