import type { ColumnType } from 'kysely';

/** A machine translation of a remark, stored once per text and target language (db/migrations/1150). */
export interface RemarkTranslationsTable {
  /** sha256 (hex) of `source_text`. */
  source_hash: string;
  target_language: string;
  source_text: string;
  /** The language the service detected, as an ISO 639-1 code. */
  source_language: string;
  translated_text: string;
  /** `baidu` or `tencent`. */
  provider: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

/** A shop's own translation account (db/migrations/1151). */
export interface ShopTranslationAccountsTable {
  shop_id: string;
  /** `baidu` or `tencent`. */
  provider: string;
  /** Baidu's app id or Tencent's SecretId. */
  account_id: string;
  /** AES-256-GCM, associated data `translation-account:<shop id>` (services/remarks/translation-accounts.ts). */
  credentials_encrypted: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface RemarkTables {
  remark_translations: RemarkTranslationsTable;
  shop_translation_accounts: ShopTranslationAccountsTable;
}
