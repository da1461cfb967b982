import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CarrierActivities } from '../../activities/carriers/activities.js';
import { upsertCarrierAccount } from '../../db/queries/carriers.js';
import { orderWorkflowId } from '../../domain/ids.js';
import {
  CARRIER_SANDBOX_PREFIXES,
  createCarrierSandbox,
  type CarrierSandbox,
} from '../../sandbox/carriers/index.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { RECEIVER, SENDER, accountCarrierActivities } from '../carriers/support.js';
import { createShop, orderPush, seedCatalog, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { expectNoUnlabelled, launchBrowser, newPage, signIn, UI_TIMEOUT, until } from './browser.js';

/**
 * 面单账号 in a real browser (ops adds a Cainiao account, gets Cainiao's refusal under the session
 * field, sees the branch's balance, edits it without retyping the secret, sees a spent account
 * stopped with its alert and puts it back in use by re-checking; the warehouse sees balances but
 * no edit), and the deadline filter of the order and after-sales lists (due within N hours,
 * overdue) through the API and the pages.
 */
const SHOTS = path.resolve(process.env.UI_SCREENSHOTS_DIR ?? 'tests/.tmp/ui-screenshots');
const SESSION = 'seller-session-ui';
const HOUR = 3_600_000;
let h: Harness;
let app: FastifyInstance;
let carrierServer: FastifyInstance;
let carriers: CarrierSandbox;
let activities: CarrierActivities;
let browser: Browser;
let baseUrl: string;
let shopId: string;
const keys = { ops: '', warehouse: '', cs: '' };
/** Orders by when they must ship: an hour ago, in 3 hours, in 48 hours. */
const orders = { overdue: '', soon: '', later: '' };
/** Cases by their seller deadline; `answered` is overdue but refunded already. */
const cases = { overdue: '', soon: '', later: '', answered: '' };

async function placeOrder(shipInMs: number): Promise<{ id: string; platformOrderId: string }> {
  const push = orderPush({ shipBy: new Date(Date.now() + shipInMs).toISOString() });
  const res = await submitOrder(app, { platform: 'douyin', shopId, order: push }, bearer(keys.ops));
  expect(res.statusCode, res.body).toBe(202);
  const id = orderWorkflowId('douyin', shopId, push.platformOrderId);
  await until(`order ${id} has its ship-by deadline`, async () => {
    const row = await h.db.selectFrom('orders').select('ship_by_at').where('id', '=', id).executeTakeFirst();
    return Boolean(row?.ship_by_at);
  });
  return { id, platformOrderId: push.platformOrderId };
}

/** A marketplace case as the capture records it, with the platform's seller deadline. */
async function seedCase(deadlineInMs: number, status = 'open'): Promise<string> {
  const platformCaseId = uniqueId('RF').replace(/[^A-Za-z0-9]/g, '');
  const id = `aftersale:douyin:${shopId}:${platformCaseId}`;
  await h.db
    .insertInto('after_sale_cases')
    .values({
      id,
      platform: 'douyin',
      shop_id: shopId,
      platform_case_id: platformCaseId,
      order_id: orders.soon,
      kind: 'refund_only',
      status,
      reason: '不想要了',
      requested_fen: 1_000,
      agreed_fen: null,
      payment_channel: null,
      out_trade_no: null,
      waiting_for: status === 'open' ? 'a decision' : null,
      outcome: null,
      opened_at: new Date(Date.now() - 2 * HOUR),
      updated_at: new Date(),
      seller_deadline: new Date(Date.now() + deadlineInMs),
    })
    .execute();
  return id;
}

beforeAll(async () => {
  carriers = createCarrierSandbox({
    accounts: {
      sf: { partnerId: 'SANDBOX-SF', checkword: 'sandbox-sf-checkword' },
      cainiao: { appKey: '20000001', appSecret: 'isv-top-secret', sessions: [SESSION] },
      kuaidi100: { customer: 'K', key: 'k' },
      kdniao: { eBusinessId: '1', appKey: 'k' },
    },
  });
  carriers.cainiaoBranches.open(SESSION, 'ZTO', { code: '571001', name: '中通杭州西湖网点', quantity: 1 });
  carrierServer = Fastify({ logger: false });
  await carriers.register(carrierServer);
  const carrierBase = await carrierServer.listen({ port: 0, host: '127.0.0.1' });
  h = await createHarness({
    CAINIAO_BASE_URL: carrierBase + CARRIER_SANDBOX_PREFIXES.cainiao,
    CAINIAO_APP_KEY: '20000001',
    CAINIAO_APP_SECRET: 'isv-top-secret',
  });
  app = await h.api();
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  shopId = await createShop(h.db, 'douyin');
  keys.ops = await apiKeyFor(h.db, ['ops']);
  keys.warehouse = await apiKeyFor(h.db, ['warehouse']);
  keys.cs = await apiKeyFor(h.db, ['customer-service']);
  await upsertCarrierAccount(h.db, shopId, { carrier: 'ZTO', waybillChannel: 'cainiao', sender: SENDER });
  activities = accountCarrierActivities(h);
  await h.startWorker();
  const placed = await Promise.all([placeOrder(-HOUR), placeOrder(3 * HOUR), placeOrder(48 * HOUR)]);
  [orders.overdue, orders.soon, orders.later] = placed.map((o) => o.platformOrderId) as [
    string,
    string,
    string,
  ];
  cases.overdue = await seedCase(-HOUR);
  cases.soon = await seedCase(3 * HOUR);
  cases.later = await seedCase(48 * HOUR);
  cases.answered = await seedCase(-HOUR, 'refunded');
  await mkdir(SHOTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await h?.teardown();
  await carrierServer?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

async function listed(url: string, key: string): Promise<string[]> {
  const res = await app.inject({ method: 'GET', url, headers: bearer(key) });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as { orders?: { platform_order_id: string }[]; cases?: { id: string }[] };
  return (body.orders?.map((o) => o.platform_order_id) ?? body.cases?.map((c) => c.id) ?? []).sort();
}

describe('the deadline filter', () => {
  it('lists orders by ship-by deadline: due within N hours, overdue, or either', async () => {
    const url = (q: string) => `/orders?shopId=${shopId}&${q}`;
    expect(await listed(url('overdue=true'), keys.cs)).toEqual([orders.overdue]);
    expect(await listed(url('dueWithinHours=6'), keys.cs)).toEqual([orders.soon]);
    expect(await listed(url('dueWithinHours=6&overdue=true'), keys.cs)).toEqual(
      [orders.overdue, orders.soon].sort(),
    );
    expect(await listed(url('dueWithinHours=72'), keys.cs)).toEqual([orders.soon, orders.later].sort());
    const zero = await app.inject({ method: 'GET', url: url('dueWithinHours=0'), headers: bearer(keys.cs) });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().issues).toEqual([expect.objectContaining({ field: 'querystring.dueWithinHours' })]);
  });

  it('lists after-sales cases by seller deadline, leaving out the ones already answered', async () => {
    const url = (q: string) => `/after-sales?shopId=${shopId}&${q}`;
    expect(await listed(url('overdue=true'), keys.cs)).toEqual([cases.overdue]);
    expect(await listed(url('dueWithinHours=6'), keys.cs)).toEqual([cases.soon]);
    expect(await listed(url('dueWithinHours=72&overdue=true'), keys.cs)).toEqual(
      [cases.overdue, cases.soon, cases.later].sort(),
    );
    expect(await listed(url(''), keys.cs)).toHaveLength(4);
  });

  it('filters the 订单 and 售后 pages by deadline', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.cs);
    await page.goto(`${baseUrl}/app/orders?shopId=${shopId}`);
    await page.getByRole('link', { name: orders.later }).waitFor();
    await page.getByRole('checkbox', { name: '已超时' }).check();
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    const orderLinks = () =>
      page
        .getByRole('table')
        .getByRole('link')
        .allTextContents()
        .then((texts) => texts.sort());
    await expect.poll(orderLinks, { timeout: UI_TIMEOUT }).toEqual([orders.overdue]);
    expect(new URL(page.url()).searchParams.get('overdue')).toBe('true');
    // The overdue order's deadline column says so.
    expect(await page.getByRole('table').textContent()).toContain('已超时');
    await page.getByRole('checkbox', { name: '已超时' }).uncheck();
    await page.getByLabel('期限（小时内到期）').fill('6');
    await page.getByRole('button', { name: /搜\s*索/ }).click();
    await expect.poll(orderLinks, { timeout: UI_TIMEOUT }).toEqual([orders.soon]);
    await expectNoUnlabelled(page);
    await shot(page, 'orders-deadline');

    await page.goto(`${baseUrl}/app/after-sales`);
    await page.getByRole('tab', { name: '全部售后单' }).click();
    const panel = page.getByRole('tabpanel', { name: '全部售后单' });
    await panel.getByLabel('期限（小时内到期）').fill('6');
    await panel.getByRole('button', { name: /搜\s*索/ }).click();
    const caseLinks = () => panel.getByRole('table').getByRole('link').allTextContents();
    const soonId = cases.soon.split(':').at(-1)!;
    await expect.poll(caseLinks, { timeout: UI_TIMEOUT }).toEqual([soonId]);
    await expectNoUnlabelled(page);
    await page.context().close();
  });
});

describe('面单账号 in the browser', () => {
  it('ops adds a Cainiao account (the refusal on the field), sees its balance and edits it without retyping the secret', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.ops);
    await page.getByRole('navigation').getByRole('menuitem', { name: '面单账号' }).click();
    await page.goto(`${baseUrl}/app/waybill-accounts?shop=${shopId}`);
    await page.getByText('这个店铺还没有面单账号').waitFor();
    await page.getByRole('button', { name: '新增账号' }).click();
    const form = page.getByTestId('waybill-account-form');
    await form.getByLabel('账号名称').fill('西湖网点');
    await form.getByLabel('网点编码').fill('571001');
    await form.getByLabel('授权 session / access token').fill('stolen-session');
    await expectNoUnlabelled(page);
    await form.getByRole('button', { name: /保\s*存/ }).click();
    // Cainiao refused the session: said under that field, nothing saved.
    await expect
      .poll(() => form.locator('.ant-form-item-explain-error').allTextContents(), { timeout: UI_TIMEOUT })
      .toEqual([expect.stringMatching(/session/i)]);
    await form.getByLabel('授权 session / access token').fill(SESSION);
    await form.getByRole('button', { name: /保\s*存/ }).click();
    const table = page.getByTestId('waybill-accounts');
    const row = table.getByRole('row', { name: /西湖网点/ });
    await expect.poll(() => row.textContent(), { timeout: UI_TIMEOUT }).toContain('中通杭州西湖网点');
    // One waybill left, under the default alert threshold of 100.
    expect(await row.textContent()).toContain('余额不足');
    expect(await row.textContent()).toContain('已保存');
    expect(await page.content()).not.toContain(SESSION);

    await row.getByRole('button', { name: '编辑 西湖网点' }).click();
    await form.getByLabel('余额告警阈值').fill('0');
    await form.getByLabel('月结卡号').fill('ZTO-M-001');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    const edited = table.getByRole('row', { name: /ZTO-M-001/ });
    await edited.waitFor();
    expect(await edited.textContent()).not.toContain('余额不足');
    const stored = await h.db
      .selectFrom('waybill_accounts')
      .selectAll()
      .where('shop_id', '=', shopId)
      .execute();
    expect(stored).toEqual([expect.objectContaining({ monthly_account: 'ZTO-M-001', low_balance_at: 0 })]);
    await shot(page, 'waybill-accounts');
    await page.context().close();
  });

  it('a spent account shows stopped with its alert; re-checking after a top-up puts it back in use', async () => {
    const issue = (n: number) =>
      activities.issueWaybill({
        shopId,
        shipmentId: `shipment:ui-wa:${n}`,
        carrier: 'ZTO',
        receiver: { protected: false, ...RECEIVER },
        parcel: {
          weightG: 800,
          lengthMm: 200,
          widthMm: 150,
          heightMm: 100,
          items: [{ name: 'T恤', quantity: 1 }],
        },
        orderIds: [`50000000000${n}`],
      });
    await issue(1);
    // Our count says none left; the account is not asked again. Cainiao's own refusal marks it stopped.
    await h.db.updateTable('waybill_accounts').set({ balance: 5 }).where('shop_id', '=', shopId).execute();
    await expect(issue(2)).rejects.toThrow();

    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.ops);
    await page.goto(`${baseUrl}/app/waybill-accounts?shop=${shopId}`);
    const row = page.getByTestId('waybill-accounts').getByRole('row', { name: /西湖网点/ });
    await expect.poll(() => row.textContent(), { timeout: UI_TIMEOUT }).toContain('余额用完');
    const alerts = page.getByTestId('waybill-alerts');
    await expect.poll(() => alerts.textContent(), { timeout: UI_TIMEOUT }).toContain('面单账号停用');
    await expectNoUnlabelled(page);
    await shot(page, 'waybill-accounts-stopped');

    carriers.cainiaoBranches.topUp(SESSION, 'ZTO', '571001', 50);
    await row.getByRole('button', { name: '查询余额 西湖网点' }).click();
    // The balance's own cell: the row also shows the label stock (100×150), which holds "50" too.
    const balance = async () => {
      const headers = await page.getByTestId('waybill-accounts').getByRole('columnheader').allTextContents();
      return row.getByRole('cell').nth(headers.indexOf('剩余单量')).textContent();
    };
    await expect.poll(balance, { timeout: UI_TIMEOUT }).toMatch(/^50/);
    expect(await row.textContent()).not.toContain('余额用完');
    await expect.poll(() => alerts.textContent(), { timeout: UI_TIMEOUT }).toContain('没有面单告警');
    await page.context().close();
  });

  it('the warehouse sees the balances without the edits, and the API refuses the forged edit', async () => {
    const page = await newPage(browser);
    await signIn(page, baseUrl, keys.warehouse);
    await page.goto(`${baseUrl}/app/waybill-accounts?shop=${shopId}`);
    const row = page.getByTestId('waybill-accounts').getByRole('row', { name: /西湖网点/ });
    await row.getByRole('button', { name: '查询余额 西湖网点' }).waitFor();
    expect(await page.getByRole('button', { name: '新增账号' }).count()).toBe(0);
    expect(await row.getByRole('button', { name: '编辑 西湖网点' }).count()).toBe(0);
    const accountId = (await h.db.selectFrom('waybill_accounts').select('id').executeTakeFirstOrThrow()).id;
    const forged = await page.evaluate<number>(`(async () => {
      const res = await fetch(${JSON.stringify(`/shops/${shopId}/waybill-accounts/${accountId}`)}, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + localStorage.getItem('erp.token') },
        body: JSON.stringify({ priority: 1 }),
      });
      return res.status;
    })()`);
    expect(forged).toBe(403);
    await page.context().close();
  });
});
