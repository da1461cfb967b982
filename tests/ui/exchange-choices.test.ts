import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterSaleWorkflowId } from '../../domain/after-sales.js';
import type { SimOrder } from '../../sandbox/orders/model.js';
import { afterSaleStateQuery } from '../../workflows/messages.js';
import { receiveCounted } from '../after-sales/world.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import {
  douyinBuyerAsks,
  douyinCases,
  douyinExchangeOf,
  onDouyin,
  pushDouyin,
} from '../support/douyin-cases.js';
import * as market from '../support/market-cases.js';
import { withReturnAddress } from '../support/top-cases.js';
import { expectNoUnlabelled, launchBrowser, newPage, signIn, UI_TIMEOUT, until } from './browser.js';

/**
 * A Douyin exchange's decisions besides agreeing, in a real browser, on the dev server and the 抖店
 * simulator: customer service turns an exchange into a refund from the case page (转为退款, with a
 * reason; Douyin told once with operate 321), and, once the exchange was agreed and a wrong item
 * came back, sees only what the case offers now (拒绝 at second review, 转为退款; no agreeing again)
 * and refuses it (operate 312).
 */
const SHIRT = 'TS-001-RED-M';
const sim = withReturnAddress(douyinCases);
let world: market.MarketWorld;
let browser: Browser;
let baseUrl: string;
let cs = '';

beforeAll(async () => {
  world = await market.startMarketWorld(
    sim,
    { [SHIRT]: 50, 'TEA-003-250G': 50 },
    { TRACKING_POLL_SECONDS: '1', WAVE_WINDOW_SECONDS: '1' },
  );
  baseUrl = await world.api.listen({ host: '127.0.0.1', port: 0 });
  cs = await apiKeyFor(world.h.db, ['customer-service'], 'cs-xiaoli');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await world?.close();
});

const callsOf = (order: SimOrder) => (douyinExchangeOf(order).calls ?? []).map((c) => c.call);

/** A shipped order whose buyer asked Douyin to exchange line 1; the case waits for its decision. */
async function exchangeAsked() {
  const { shop, order } = await market.shippedMarketOrder(world);
  const exchange = douyinBuyerAsks(order, { prefix: '73', reason: '尺码不合适' });
  const caseId = afterSaleWorkflowId('douyin', shop.shopId, exchange.id);
  await market.caseWaitsForDecision(world.h.client, caseId);
  return { shop, order, exchange, caseId };
}

async function casePage(caseId: string): Promise<Page> {
  const page = await newPage(browser);
  await signIn(page, baseUrl, cs);
  await page.goto(`${baseUrl}/app/after-sales/${encodeURIComponent(caseId)}`);
  return page;
}

/** Opens the dialog of `button`, submits it empty (the reason is asked for), then with `reason`. */
async function decideWithReason(page: Page, button: string, required: string, reason: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: /提\s*交/ }).click();
  await dialog.getByText(required).waitFor();
  await dialog.getByRole('textbox').fill(reason);
  await dialog.getByRole('button', { name: /提\s*交/ }).click();
}

describe('换货的其他决定 in the browser', () => {
  it('customer service turns an asked exchange into a refund with a reason: Douyin is told once (321) and the case ends refunded', async () => {
    const { order, caseId } = await exchangeAsked();
    const page = await casePage(caseId);
    await page.getByRole('button', { name: '转为退款' }).waitFor();
    expect(await page.getByRole('button', { name: '同意换货' }).count()).toBe(1);
    await expectNoUnlabelled(page);

    await decideWithReason(page, '转为退款', '请填写转为退款的原因', '换货商品缺货，改为退款');
    const timeline = page.getByTestId('after-sale-timeline');
    await expect.poll(() => timeline.textContent(), { timeout: UI_TIMEOUT }).toContain('已退款');
    expect(await timeline.textContent()).toContain('cs-xiaoli');
    expect(await page.getByRole('button', { name: '转为退款' }).count()).toBe(0);
    expect(callsOf(order)).toEqual(['afterSale.operate 321']);
    expect(douyinExchangeOf(order)).toMatchObject({ status: 12, refunded: true });
    expect((await world.caseRow(caseId))?.status).toBe('refunded');
    await page.context().close();
  });

  it('after a wrong item came back, the page offers only 拒绝 and 转为退款, and the refusal goes to Douyin once (312)', async () => {
    const { shop, order, exchange, caseId } = await exchangeAsked();
    const agreed = await world.api.inject({
      method: 'POST',
      url: `/after-sales/${encodeURIComponent(caseId)}/decisions`,
      headers: bearer(cs),
      payload: { decision: 'agree' },
    });
    expect(agreed.statusCode, agreed.body).toBe(200);
    await until(`case ${caseId} waiting for the goods back`, async () => {
      const state = await world.h.client.workflow.getHandle(caseId).query(afterSaleStateQuery);
      return state.waitingFor === 'the return parcel at the warehouse';
    });
    // The buyer sends the goods back (11); the warehouse finds another shirt in the parcel.
    onDouyin(order, 11);
    await pushDouyin(world, shop.shopId, order, 211, 'exchange');
    await receiveCounted(world, caseId, [
      { lineId: exchange.lineId, qty: 1, condition: 'wrong_item', reason: '寄回的是另一件衣服' },
    ]);
    await until(`case ${caseId} waiting for its exchange review`, async () => {
      return (await market.caseWaitingCode(world.h.client, caseId)) === 'case_exchange_review';
    });

    const page = await casePage(caseId);
    await page.getByRole('button', { name: '转为退款' }).waitFor();
    await page.getByTestId('waiting-for').getByText('等待审核人拒绝换货（二审）或换货转退款').waitFor();
    // What the case does not take now is not offered.
    for (const absent of ['同意换货', '要求举证', '部分退款']) {
      expect(await page.getByRole('button', { name: absent }).count(), absent).toBe(0);
    }
    expect(await page.getByRole('button', { name: '拒绝', exact: true }).count()).toBe(1);
    await expectNoUnlabelled(page);

    await decideWithReason(page, '拒绝', '请填写拒绝原因', '寄回商品与原商品不符');
    await expect
      .poll(async () => (await world.caseRow(caseId))?.status, { timeout: UI_TIMEOUT })
      .toBe('refused');
    await expect
      .poll(() => page.getByRole('button', { name: '转为退款' }).count(), { timeout: UI_TIMEOUT })
      .toBe(0);
    expect(callsOf(order)).toEqual(['afterSale.operate 301', 'afterSale.operate 312']);
    expect(douyinExchangeOf(order).calls![1]!.detail).toMatchObject({ reason: '寄回商品与原商品不符' });
    await page.context().close();
  });
});
