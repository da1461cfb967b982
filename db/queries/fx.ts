import { sql } from 'kysely';
import type { Db } from '../connect.js';

export interface ExchangeRateRow {
  id: number;
  currency: string;
  /** Exact decimal text, trailing zeros trimmed ("7.1234"). */
  rate: string;
  validFrom: string;
  source: string;
  createdBy: string;
  createdAt: string;
}

/** numeric → text keeps every digit; the trailing zeros of the column's scale are dropped. */
const rateText = sql<string>`trim(trailing '.' from trim(trailing '0' from rate::text))`;

function toRow(row: {
  id: number;
  currency: string;
  rate: string;
  valid_from: Date;
  source: string;
  created_by: string;
  created_at: Date;
}): ExchangeRateRow {
  return {
    id: Number(row.id),
    currency: row.currency,
    rate: row.rate,
    validFrom: row.valid_from.toISOString(),
    source: row.source,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}

/** The rate of `currency` in effect at `at`, or undefined when none was recorded. */
export async function rateInEffect(db: Db, currency: string, at: Date | string) {
  const row = await db
    .selectFrom('exchange_rates')
    .select(['id', 'currency', rateText.as('rate'), 'valid_from', 'source', 'created_by', 'created_at'])
    .where('currency', '=', currency)
    .where('valid_from', '<=', new Date(at))
    .orderBy('valid_from', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toRow(row) : undefined;
}

export async function listExchangeRates(db: Db, filter: { currency?: string } = {}) {
  let query = db
    .selectFrom('exchange_rates')
    .select(['id', 'currency', rateText.as('rate'), 'valid_from', 'source', 'created_by', 'created_at'])
    .orderBy('currency')
    .orderBy('valid_from', 'desc');
  if (filter.currency) query = query.where('currency', '=', filter.currency);
  return (await query.execute()).map(toRow);
}

/** Records a rate; the same currency and validFrom again replaces the earlier entry. */
export async function recordExchangeRate(
  db: Db,
  input: { currency: string; rate: string; validFrom: string; source: string; createdBy: string },
): Promise<ExchangeRateRow> {
  const row = await db
    .insertInto('exchange_rates')
    .values({
      currency: input.currency,
      rate: input.rate,
      valid_from: input.validFrom,
      source: input.source,
      created_by: input.createdBy,
    })
    .onConflict((oc) =>
      oc.columns(['currency', 'valid_from']).doUpdateSet({
        rate: input.rate,
        source: input.source,
        created_by: input.createdBy,
      }),
    )
    .returning(['id', 'currency', rateText.as('rate'), 'valid_from', 'source', 'created_by', 'created_at'])
    .executeTakeFirstOrThrow();
  return toRow(row);
}
