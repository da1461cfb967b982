import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

/** Audit and routing rules share one shape: the validated rule as jsonb plus who changed it when. */
export interface RulesTable {
  id: string;
  /** The rule as validated by its zod schema, without `enabled` (kept in its own column). */
  definition: JSONColumnType<Record<string, unknown>, string, string>;
  enabled: boolean;
  version: ColumnType<number, number | undefined, number>;
  updated_by: string;
  updated_at: UpdatedAt;
  created_at: CreatedAt;
}

export interface RuleRevisionsTable {
  id: Generated<number>;
  kind: 'audit' | 'routing' | 'after_sale';
  rule_id: string;
  version: number;
  definition: JSONColumnType<Record<string, unknown>, string, string>;
  enabled: boolean;
  actor: string;
  at: CreatedAt;
}

/** One row per rule kind once its default set has been written; never seeded twice. */
export interface RuleSetSeedsTable {
  kind: string;
  seeded_at: CreatedAt;
}

export interface BlacklistEntriesTable {
  id: Generated<number>;
  kind: string;
  /** Normalized with domain/audit/blacklist.ts `normalizeBlacklistValue`. */
  value: string;
  /** As entered, for people reading the list. */
  display_value: string;
  platform: string | null;
  reason: string;
  created_by: string;
  created_at: CreatedAt;
}

export interface AuditTables {
  audit_rules: RulesTable;
  routing_rules: RulesTable;
  rule_revisions: RuleRevisionsTable;
  rule_set_seeds: RuleSetSeedsTable;
  blacklist_entries: BlacklistEntriesTable;
}
