import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseAlert, resolveSubjectAlerts } from '../../db/queries/alerts.js';
import { createAfterSaleReturnActivities } from '../../activities/after-sale-returns.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { createShop } from '../support/fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';

// Return parcels' alerts are their cases' (docs/after-sales.md, "To a person when it sits"): one
// open per case and kind, a repeat bumps it, the case resolves its own; and a shop with many stalled
// returns at once keeps a usable alert list — grouped, one row per shop and kind with how many.

let h: Harness;
let api: FastifyInstance;
let ops: { authorization: string };

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  ops = bearer(await apiKeyFor(h.db, ['ops']));
});
afterAll(() => h?.teardown());

interface AlertView {
  id: number;
  shopId: string | null;
  kind: string;
  subject: string | null;
  message: string;
  occurrences: number;
  groupSize: number;
}

async function alerts(query: Record<string, string>): Promise<AlertView[]> {
  const res = await api.inject({ method: 'GET', url: '/alerts', headers: ops, query });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { alerts: AlertView[] }).alerts;
}

const caseOf = (shopId: string, n: number) => `aftersale:own:${shopId}:RT-${n}`;

describe('return parcel alerts', () => {
  it('are one open per case and kind: a repeat bumps it, another case’s parcel is its own, the case resolves its own', async () => {
    const shopId = await createShop(h.db, 'own');
    const acts = createAfterSaleReturnActivities({ db: h.db });
    const stall = (n: number) =>
      acts.escalateReturnParcel({
        shopId,
        platformCaseId: `RT-${n}`,
        caseId: caseOf(shopId, n),
        kind: 'stalled',
        carrier: 'SF',
        trackingNo: `SF10000000${n}`,
        seconds: 5 * 86_400,
      });
    await stall(1);
    await stall(1);
    await stall(2);
    const open = await alerts({ shopId, kind: 'return_parcel_stalled' });
    expect(open.map((a) => [a.subject, a.occurrences]).sort()).toEqual([
      [caseOf(shopId, 1), 2],
      [caseOf(shopId, 2), 1],
    ]);
    expect(open.find((a) => a.subject === caseOf(shopId, 2))?.message).toBe(
      "return parcel SF SF100000002 of after-sales case RT-2 has had no new scan for 5 days: ask the carrier (or the buyer) where it is; the warehouse's receipt still ends the wait",
    );

    // Case 1's parcel moves again: its alert is resolved, case 2's stays; resolving again changes nothing.
    await acts.settleReturnAlerts({ caseId: caseOf(shopId, 1), kinds: ['return_parcel_stalled'] });
    await acts.settleReturnAlerts({ caseId: caseOf(shopId, 1), kinds: ['return_parcel_stalled'] });
    expect((await alerts({ shopId })).map((a) => a.subject)).toEqual([caseOf(shopId, 2)]);
    // A later silence of case 1 is a new alert, not the resolved one reopened.
    await stall(1);
    const again = await alerts({ shopId, kind: 'return_parcel_stalled' });
    expect(again.find((a) => a.subject === caseOf(shopId, 1))?.occurrences).toBe(1);
    expect(
      await resolveSubjectAlerts(h.db, { subject: caseOf(shopId, 2), kinds: ['return_not_received'] }),
    ).toBe(0);
  });

  it('many stalled returns of one shop are one row of the grouped list, beside the shop’s other alerts', async () => {
    const shopId = await createShop(h.db, 'own');
    await raiseAlert(h.db, { shopId, kind: 'sync_failing', message: 'own store pushes failing' });
    for (let n = 1; n <= 120; n++) {
      await raiseAlert(h.db, {
        shopId,
        kind: 'return_parcel_stalled',
        subject: caseOf(shopId, n),
        message: `return parcel SF SF2${n} of after-sales case RT-${n} has had no new scan for 5 days: ask the carrier (or the buyer) where it is; the warehouse's receipt still ends the wait`,
      });
    }
    await raiseAlert(h.db, {
      shopId,
      kind: 'return_not_received',
      subject: caseOf(shopId, 7),
      message:
        "return parcel SF SF27 of after-sales case RT-7 was delivered 2 days ago and is not received at the warehouse: look for it at the warehouse, or ask the carrier; the warehouse's receipt still ends the wait",
    });

    // One by one, the newest hundred are all stalled returns: the sync alert is off the list.
    const each = await alerts({ shopId });
    expect(each).toHaveLength(100);
    expect(each.some((a) => a.kind === 'sync_failing')).toBe(false);

    // Grouped: one row per kind, the newest case standing for its group, with how many.
    const grouped = await alerts({ shopId, grouped: 'true' });
    expect(grouped.map((a) => [a.kind, a.groupSize]).sort()).toEqual([
      ['return_not_received', 1],
      ['return_parcel_stalled', 120],
      ['sync_failing', 1],
    ]);
    const stalled = grouped.find((a) => a.kind === 'return_parcel_stalled')!;
    expect(stalled.subject).toBe(caseOf(shopId, 120));
    expect(stalled.occurrences).toBe(120);
    expect(grouped.find((a) => a.kind === 'sync_failing')?.subject).toBeNull();

    // The group's members: the list with its shop and kind.
    expect(await alerts({ shopId, kind: 'return_parcel_stalled', limit: '500' })).toHaveLength(120);

    // Resolved ones leave the open group; with resolved alerts asked for they are a group of their own.
    for (let n = 1; n <= 20; n++) {
      await resolveSubjectAlerts(h.db, { subject: caseOf(shopId, n), kinds: ['return_parcel_stalled'] });
    }
    const after = await alerts({ shopId, grouped: 'true', kind: 'return_parcel_stalled' });
    expect(after.map((a) => a.groupSize)).toEqual([100]);
    const withResolved = await alerts({
      shopId,
      grouped: 'true',
      kind: 'return_parcel_stalled',
      includeResolved: 'true',
    });
    expect(withResolved.map((a) => a.groupSize).sort((a, b) => a - b)).toEqual([20, 100]);
  });
});
