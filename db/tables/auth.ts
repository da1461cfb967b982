import type { ColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type NullableTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  /** scrypt hash (`scrypt$N$r$p$salt$hash`); null for service users that only have API keys. */
  password_hash: string | null;
  roles: TextArray;
  /** The shops this user works for (店铺权限); null: every shop. */
  shop_ids: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  disabled: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string;
  created_at: CreatedAt;
}

export interface ApiKeysTable {
  /** The public part of the key (`erp_<id>_<secret>`), used to find it. */
  id: string;
  user_id: string;
  name: string;
  /** SHA-256 of the whole key, hex. */
  secret_hash: string;
  roles: TextArray;
  created_by: string;
  created_at: CreatedAt;
  expires_at: NullableTime;
  last_used_at: NullableTime;
  revoked_at: NullableTime;
}

export interface SessionsTable {
  /** The public part of the token (`ses_<id>_<secret>`). */
  id: string;
  user_id: string;
  secret_hash: string;
  created_at: CreatedAt;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  last_seen_at: NullableTime;
  revoked_at: NullableTime;
}

/**
 * Sign-in counters shared by every API process: consecutive failures per account and per client
 * address (with the lock they lead to), and the per-address request window of the login route.
 */
export interface LoginThrottleTable {
  kind: 'account' | 'address' | 'rate';
  /** The username as typed (trimmed), or the client address. */
  subject: string;
  count: number;
  window_started_at: Date;
  locked_until: Date | null;
}

export interface AuthTables {
  users: UsersTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
}
