import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { uniqueId } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import { PATIENCE_MS } from '../support/waits.js';
import { MINUTES, startOwnStoreWorld, type OwnStoreWorld } from './world.js';

// Exchanges consult the automatic refund audit at their decision point as refunds and returns do
// (docs/after-sales.md, "Automatic refund audit"), on the real dev server: a rule agreeing
// exchanges asked for a size sends the case straight on to wait for the parcel, with the rule as
// the actor on the timeline; a quality complaint is held by the default quality rule for
// customer service, who agrees it.

let w: OwnStoreWorld;
let admin: { authorization: string };

beforeAll(async () => {
  w = await startOwnStoreWorld('own-exr');
  admin = bearer(await apiKeyFor(w.h.db, ['admin']));
});
afterAll(() => w?.close());

const timeline = (caseId: string) =>
  w.h.db
    .selectFrom('after_sale_events')
    .select(['stage', 'actor', 'detail'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
const waitingFor = async (caseId: string) =>
  (await w.h.client.workflow.getHandle(caseId).query(afterSaleStateQuery)).waitingFor;

async function askExchange(reason: string): Promise<string> {
  const order = await w.shippedOrder();
  const res = await w.pushCase({
    caseId: uniqueId('EX').replace(/[^A-Za-z0-9_.-]/g, ''),
    platformOrderId: order.platformOrderId,
    kind: 'exchange',
    reason,
    createdAt: new Date().toISOString(),
    lines: [{ lineId: '2', quantity: 1, refundFen: 0 }],
    payment: { channel: 'alipay', outTradeNo: order.outTradeNo },
  });
  expect(res.statusCode, res.body).toBe(202);
  return (res.json() as { caseId: string }).caseId;
}

describe('the automatic refund audit on exchanges', () => {
  it(
    'a rule agrees an exchange asked for a size: no person decides, the case waits for the parcel back',
    async () => {
      const added = await w.api.inject({
        method: 'POST',
        url: '/after-sale-rules',
        headers: admin,
        payload: {
          id: 'as-agree-exchange-size',
          name: '换尺码自动同意',
          order: 120,
          when: {
            type: 'all',
            conditions: [
              { type: 'kind', kinds: ['exchange'] },
              { type: 'reason_keywords', keywords: ['尺码'] },
            ],
          },
          action: { type: 'agree' },
        },
      });
      expect(added.statusCode, added.body).toBe(201);
      const caseId = await askExchange('尺码偏小，换一件');
      await expect
        .poll(() => waitingFor(caseId), { timeout: PATIENCE_MS })
        .toBe('the return parcel at the warehouse');
      // The live state moves on a moment before the timeline's entry is written.
      await expect
        .poll(async () => (await timeline(caseId)).map((e) => e.stage), { timeout: PATIENCE_MS })
        .toEqual(['opened', 'exchange_requested', 'exchange_agreed']);
      const events = await timeline(caseId);
      expect(events[2]).toMatchObject({
        actor: 'rule:as-agree-exchange-size',
        detail: expect.objectContaining({ rule: 'as-agree-exchange-size' }),
      });
      await recordHistory(w.h.client, caseId, 'aftersale-own-exchange-rule-agreed');
    },
    4 * MINUTES,
  );

  it(
    'a quality complaint is held by the rules for customer service, who agrees it',
    async () => {
      const caseId = await askExchange('收到就坏了，换新的');
      await expect.poll(() => waitingFor(caseId), { timeout: PATIENCE_MS }).toBe('a decision');
      await expect
        .poll(async () => (await timeline(caseId)).map((e) => e.stage), { timeout: PATIENCE_MS })
        .toEqual(['opened', 'exchange_requested', 'held_by_rule']);
      expect((await timeline(caseId))[2]!.actor).toBe('rule:as-hold-quality');
      // Nothing moved on by itself: the rules held it, a person decides.
      expect(await waitingFor(caseId)).toBe('a decision');
      await w.agree(caseId);
      await expect
        .poll(() => waitingFor(caseId), { timeout: PATIENCE_MS })
        .toBe('the return parcel at the warehouse');
      await expect
        .poll(async () => (await timeline(caseId)).map((e) => e.stage), { timeout: PATIENCE_MS })
        .toContain('exchange_agreed');
      const agreed = (await timeline(caseId)).find((e) => e.stage === 'exchange_agreed')!;
      expect(agreed.actor).not.toMatch(/^rule:/);
      await recordHistory(w.h.client, caseId, 'aftersale-own-exchange-rule-held');
    },
    4 * MINUTES,
  );
});
