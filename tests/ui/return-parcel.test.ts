import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseAlert } from '../../db/queries/alerts.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import {
  MINUTES,
  startReturnFollowingWorld,
  type OwnStoreWorld,
  caseStages,
  returnRowOf,
} from '../after-sales/world.js';
import { PATIENCE_MS } from '../support/waits.js';
import { launchBrowser, newPage, signIn, UI_TIMEOUT } from './browser.js';

// 退货包裹 on an after-sales case's page, in a real browser: an agreed return on a shop issuing SF
// return orders, followed by SF's pushed routes over HTTP. Customer service sees the carrier and the
// waybill, the parcel gone quiet (how long, with a person), then the last scan (time, place, the
// carrier's words) and the route as SF pushes it, and a delivery the warehouse has not received.

const SF_PUSH_TOKEN = 'erp-sf-route-push-return-ui-0123456789';
const NO_SCAN_SECONDS = 20;

let w: OwnStoreWorld;
let browser: Browser;
let apiUrl: string;
let csKey: string;
let opsKey: string;

beforeAll(async () => {
  ({ w, apiUrl } = await startReturnFollowingWorld('own-rp-ui', SF_PUSH_TOKEN, NO_SCAN_SECONDS));
  csKey = await apiKeyFor(w.h.db, ['customer-service'], 'cs-xiaomei');
  opsKey = await apiKeyFor(w.h.db, ['ops']);
  const ops = bearer(opsKey);
  const res = await w.api.inject({
    method: 'PATCH',
    url: `/shops/${w.storeId}`,
    headers: ops,
    payload: { settings: { returnLabel: { issuer: 'sf', carrier: 'SF' } } },
  });
  expect(res.statusCode, res.body).toBe(200);
  browser = await launchBrowser();
}, MINUTES);
afterAll(async () => {
  await browser?.close();
  await w?.close();
});

const caseUrl = (id: string) => `${apiUrl}/app/after-sales/${encodeURIComponent(id)}`;

describe('退货包裹 on the after-sales case page', () => {
  it('shows the carrier, the waybill, a stalled parcel with how long, each pushed scan and a delivery not received', async () => {
    const order = await w.shippedOrder();
    const caseId = await w.returnBothShirts(order, 'RP');
    await expect
      .poll(() => caseStages(w.h.db, caseId), { timeout: PATIENCE_MS })
      .toContain('return_requested');
    await expect
      .poll(
        async () =>
          (
            await w.h.db
              .selectFrom('after_sale_cases')
              .select('waiting_for')
              .where('id', '=', caseId)
              .executeTakeFirst()
          )?.waiting_for,
        { timeout: PATIENCE_MS },
      )
      .toBe('a decision');
    await w.agree(caseId);
    await expect
      .poll(async () => (await returnRowOf(w.h.db, caseId))?.tracking_no ?? null, { timeout: PATIENCE_MS })
      .not.toBeNull();
    const trackingNo = (await returnRowOf(w.h.db, caseId))!.tracking_no!;

    const page = await newPage(browser);
    await signIn(page, apiUrl, csKey);
    await page.goto(caseUrl(caseId));
    const panel = page.getByTestId('return-parcel');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('退货包裹');
    expect(await page.getByTestId('return-parcel-carrier').textContent()).toBe('顺丰速运 · SF');
    expect(await page.getByTestId('return-parcel-tracking-no').textContent()).toContain(trackingNo);
    expect(await panel.textContent()).toContain('顺丰退货下单（我方出单）');
    expect(await panel.textContent()).toContain('暂无物流轨迹');

    // Nobody hands it to SF: after RETURN_NO_SCAN_SECONDS the panel says it is with a person, and for how long.
    const attention = page.getByTestId('return-parcel-attention');
    await attention.waitFor({ timeout: UI_TIMEOUT });
    expect(await attention.textContent()).toMatch(/已 \d+(\.\d)? (秒|分钟)没有新的物流轨迹/);
    expect(await attention.textContent()).toContain('已转人工');

    // The courier collects it: SF pushes the route, the panel shows the scan and the parcel moving.
    const [collected] = w.sandbox.carriers.network.advance(trackingNo);
    expect(collected).toBeTruthy();
    const last = page.getByTestId('return-parcel-last-scan');
    await expect.poll(() => last.textContent(), { timeout: UI_TIMEOUT }).toContain('已揽收');
    expect(await last.textContent()).toContain(collected!.context);
    expect(await last.textContent()).toContain(collected!.city);
    await expect.poll(() => attention.count(), { timeout: UI_TIMEOUT }).toBe(0);
    expect(await panel.textContent()).toContain('快递主动推送');

    // On to the return address, signed for there, and not scanned at the warehouse.
    const route = [collected!, ...w.sandbox.carriers.network.finish(trackingNo)];
    const history = page.getByTestId('return-parcel-scans');
    await expect.poll(() => last.textContent(), { timeout: UI_TIMEOUT }).toContain('已签收');
    await expect
      .poll(() => history.locator('li').count(), { timeout: UI_TIMEOUT })
      .toBeGreaterThanOrEqual(route.length);
    const shown = await history.textContent();
    for (const scan of route) expect(shown).toContain(scan.context);
    // Newest first, as the order page shows a parcel's route.
    const first = await history.locator('li').first().textContent();
    expect(first).toContain(route.at(-1)!.context);

    await expect.poll(() => attention.textContent(), { timeout: UI_TIMEOUT }).toContain('仓库仍未收货');
    expect(await attention.textContent()).toContain('快递显示已签收');
    await page.close();
  });

  it('店铺 shows a shop’s stalled returns as one alert row, 共 N 个售后单, that expands to each case', async () => {
    const cases = ['RP-A', 'RP-B', 'RP-C'].map((no) => `aftersale:own:${w.storeId}:${no}`);
    for (const [i, caseId] of cases.entries()) {
      await raiseAlert(w.h.db, {
        shopId: w.storeId,
        kind: 'return_parcel_stalled',
        subject: caseId,
        message: `return parcel SF SF30000000${i} of after-sales case ${caseId.split(':').at(-1)} has had no new scan for 5 days: ask the carrier (or the buyer) where it is; the warehouse's receipt still ends the wait`,
      });
    }
    const page = await newPage(browser);
    await signIn(page, apiUrl, opsKey);
    await page.goto(`${apiUrl}/app/shops`);
    const group = page.getByTestId('alert-group');
    await expect.poll(() => group.textContent(), { timeout: UI_TIMEOUT }).toBe('共 3 个售后单');
    await page.getByTestId('alerts').getByRole('button', { name: '展开行' }).first().click();
    const members = page.getByTestId('alert-group-members');
    await expect.poll(() => members.getByRole('link').count(), { timeout: UI_TIMEOUT }).toBe(3);
    expect(await members.textContent()).toContain(
      '售后单 RP-B 的退货包裹 SF SF300000001 已 5 天没有新的物流轨迹',
    );
    await members.getByRole('link', { name: 'RP-C' }).click();
    await expect.poll(() => page.url(), { timeout: UI_TIMEOUT }).toContain(encodeURIComponent(cases[2]!));
    await page.close();
  });
});
