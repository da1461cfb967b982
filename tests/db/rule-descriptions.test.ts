import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { migrateToLatest } from '../../db/migrate.js';
import { up } from '../../db/migrations/0600_rule_descriptions_zh.js';
import { freshDatabase } from '../support/fresh-database.js';

const database = freshDatabase('erp_rule_zh');
afterAll(() => database.drop());

it('gives the default audit rules seeded in English their Chinese description as a new version; edited ones stay', async () => {
  const db = await database.create();
  try {
    await migrateToLatest(db);
    // As an installation seeded before the change stores them: one untouched, one an admin reworded.
    const seeded = (id: string, description: string) => ({
      id,
      definition: JSON.stringify({
        id,
        name: id,
        description,
        order: 60,
        when: { type: 'amount', basis: 'paid', minFen: 500_000 },
        action: { type: 'hold', reason: 'large_amount', clearedBy: 'finance', stage: 2 },
      }),
      enabled: true,
      updated_by: 'system',
    });
    await db
      .insertInto('audit_rules')
      .values([
        seeded('large-amount', 'Paid ¥5,000 or more: finance confirms the payment before shipping.'),
        seeded('seller-memo-stop', '备注含暂停字样时不发货'),
      ])
      .execute();

    await up(db);
    await up(db); // a second run finds nothing left in English

    const rows = await db
      .selectFrom('audit_rules')
      .select(['id', 'version', 'updated_by'])
      .select(sql<string>`definition->>'description'`.as('description'))
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      {
        id: 'large-amount',
        version: 2,
        updated_by: 'system',
        description: '实付 ¥5,000 及以上：财务确认收款后再发货。',
      },
      { id: 'seller-memo-stop', version: 1, updated_by: 'system', description: '备注含暂停字样时不发货' },
    ]);
    const revisions = await db
      .selectFrom('rule_revisions')
      .select(['rule_id', 'version', 'actor'])
      .select(sql<string>`definition->>'description'`.as('description'))
      .execute();
    expect(revisions).toEqual([
      {
        rule_id: 'large-amount',
        version: 2,
        actor: 'system',
        description: '实付 ¥5,000 及以上：财务确认收款后再发货。',
      },
    ]);
  } finally {
    await db.destroy();
  }
});
