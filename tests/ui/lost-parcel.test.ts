import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyFor } from '../auth/support.js';
import {
  startShipmentWorld,
  submitOwnOrder,
  toLabelled,
  type ShipmentWorld,
} from '../carriers/shipment-flow.js';
import { createShop } from '../support/fixtures.js';
import { handOver, setupCarrierAccounts } from '../support/fulfilment.js';
import { waitForState } from '../support/waits.js';
import { expectNoUnlabelled, launchBrowser, newPage, signIn, UI_TIMEOUT } from './browser.js';

/**
 * The lost-parcel decision on the order page, in a real browser on the real stack: a parcel no
 * carrier scans after handover is declared lost; customer service opens the order, sees how it
 * was declared, gets the API's 400 under the reason field, reships with a reason — the timeline
 * names them and a second parcel appears. Before that, the warehouse sees the lost parcel without
 * the decision and the API refuses the forged request.
 */
const SHOTS = path.resolve(process.env.UI_SCREENSHOTS_DIR ?? 'tests/.tmp/ui-screenshots');
let w: ShipmentWorld;
let browser: Browser;
let baseUrl: string;
let orderId = '';
let parcelId = '';
const keys = { cs: '', wh: '' };

beforeAll(async () => {
  // Polled every second; silence for 5 s after handover is a lost parcel.
  w = await startShipmentWorld({
    TRACKING_POLL_SECONDS: '1',
    TRACKING_NO_SCAN_SECONDS: '86400',
    PARCEL_LOST_AFTER_SECONDS: '5',
  });
  baseUrl = await w.api.listen({ host: '127.0.0.1', port: 0 });
  keys.cs = await apiKeyFor(w.h.db, ['customer-service'], 'cs-xiaoli');
  keys.wh = await apiKeyFor(w.h.db, ['warehouse']);
  await mkdir(SHOTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await w?.close();
});

const orderUrl = () => `${baseUrl}/app/orders/${encodeURIComponent(orderId)}`;
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

describe('丢件处理 on the order page', () => {
  it('a parcel silent after handover is lost: the warehouse sees it without the decision, and the API refuses the forged request', async () => {
    const shopId = await createShop(w.h.db, 'taobao');
    await setupCarrierAccounts(w.h.db, shopId, ['ZTO']);
    orderId = await submitOwnOrder(w, shopId);
    ({ parcelId } = await toLabelled(w, orderId));
    await handOver(w.api, w.wh, parcelId);
    await waitForState(w.h.client, orderId, (s) => s.parcels.some((p) => p.lost));

    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.wh);
    await page.goto(orderUrl());
    const lost = page.getByTestId(`lost-${parcelId}`);
    await lost.getByText('长时间无物流轨迹').waitFor();
    await lost.getByText('丢件由客服或运营决定补发还是退款').waitFor();
    expect(await lost.getByRole('button').count()).toBe(0);
    const forged = await page.evaluate<{ status: number }>(`(async () => {
        const res = await fetch(${JSON.stringify(`/orders/${encodeURIComponent(orderId)}/lost-parcels/${encodeURIComponent(parcelId)}`)}, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer ' + localStorage.getItem('erp.token') },
          body: JSON.stringify({ decision: 'refund', reason: 'forged' }),
        });
        return { status: res.status };
      })()`);
    expect(forged.status).toBe(403);
    await page.context().close();
  });

  it('customer service reships a lost parcel: the field error, then the decision on the timeline and a new parcel', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.cs);
    await page.goto(orderUrl());
    const lost = page.getByTestId(`lost-${parcelId}`);
    await lost.getByText('长时间无物流轨迹').waitFor();
    await expect
      .poll(() => page.getByTestId('waiting-for').textContent())
      .toBe(`等待人工决定丢失包裹 ${parcelId} 补发还是退款`);
    await expectNoUnlabelled(page);
    await shot(page, 'order-lost-parcel');

    await lost.getByRole('button', { name: '补发' }).click();
    const dialog = page.getByRole('dialog');
    // Sent without a reason: the API's 400 under the reason field.
    await dialog.getByRole('button', { name: '补发' }).click();
    await expect
      .poll(() => dialog.locator('.ant-form-item-explain-error').allTextContents(), { timeout: UI_TIMEOUT })
      .toEqual(['say why']);
    await dialog.getByLabel('原因（会记录在时间线上）').fill('快递公司确认遗失，补发');
    await dialog.getByRole('button', { name: '补发' }).click();

    await expect.poll(() => lost.textContent(), { timeout: UI_TIMEOUT }).toMatch(/补发.*cs-xiaoli/);
    expect(await lost.getByRole('button', { name: '补发' }).count()).toBe(0);
    const timeline = page.getByTestId('timeline');
    await expect.poll(() => timeline.textContent(), { timeout: UI_TIMEOUT }).toContain('丢件补发');
    expect(await timeline.textContent()).toContain('cs-xiaoli');
    // The lines go out again: a second parcel joins the order.
    await expect
      .poll(
        async () =>
          (
            await w.h.db
              .selectFrom('shipments')
              .select('id')
              .where(sql<boolean>`${orderId} = any(order_ids)`)
              .execute()
          ).length,
        { timeout: UI_TIMEOUT },
      )
      .toBe(2);
    await page.context().close();
  });
});
