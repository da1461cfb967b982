import type { Kysely } from 'kysely';

/**
 * Demo rates to CNY for the currencies Mercado Libre sells in (Brazil, Mexico, Argentina,
 * Colombia), so its orders convert out of the box like the other cross-border channels'. Finance
 * replaces them through POST /exchange-rates; a rate already recorded for the same day is kept.
 */
const LATAM_RATES: Array<[string, string]> = [
  ['BRL', '1.2800'],
  ['MXN', '0.3900'],
  ['ARS', '0.007000'],
  ['COP', '0.001800'],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db
    .insertInto('exchange_rates')
    .values(
      LATAM_RATES.map(([currency, rate]) => ({
        currency,
        rate,
        valid_from: '2000-01-01T00:00:00Z',
        source: 'seed',
      })),
    )
    .onConflict((c) => c.columns(['currency', 'valid_from']).doNothing())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db
    .deleteFrom('exchange_rates')
    .where(
      'currency',
      'in',
      LATAM_RATES.map(([currency]) => currency),
    )
    .where('source', '=', 'seed')
    .execute();
}
