import type { ColumnType, JSONColumnType } from 'kysely';

/** The first answer to each person's action, by idempotency key (0501_human_action_outcomes). */
export interface HumanActionOutcomesTable {
  id: string;
  actor: string;
  route: string;
  idempotency_key: string;
  fingerprint: string;
  state_after: string | null;
  status_code: number;
  body: JSONColumnType<Record<string, unknown>, string, string>;
  answered_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface HumanActionTables {
  human_action_outcomes: HumanActionOutcomesTable;
}
