import { chromium, type Page } from 'playwright-core';

/**
 * `npm run ui:walk`: what a person who has never seen the API does after `npm run dev` (README's
 * quick start), in a real browser against a running stack with the demo's data: opens the printed
 * URL, signs in with the printed admin key, clears the review queue (orders that come back for a
 * second round — 客审 then 财审 — included), finds an order by the last four digits of its phone in
 * 订单 and follows it to 已签收, and resolves a pick exception in 仓库. It says each step, and every
 * place a newcomer would be stuck (`STUCK …`); it exits 1 when there was one. Minutes long (the
 * demo's parcels take minutes to be delivered): not part of `npm test`.
 *
 *   UI_URL=http://127.0.0.1:3000/app/ ERP_API_KEY=erp_… npm run ui:walk
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** How long an order may take from found to delivered (the demo's carriers scan every few seconds). */
const DELIVERY_PATIENCE_MS = Number(process.env.UI_WALK_DELIVERY_SECONDS ?? 900) * 1000;
const STEP_MS = 120_000;

const say = (line: string) => process.stdout.write(`[ui:walk] ${line}\n`);
const stuck: string[] = [];
const stuckAt = (where: string, why: string) => {
  stuck.push(`${where}: ${why}`);
  say(`STUCK ${where}: ${why}`);
};

async function main() {
  const printed = process.env.UI_URL;
  const key = process.env.ERP_API_KEY;
  if (!printed || !key) throw new Error('set UI_URL (the address npm run dev printed) and ERP_API_KEY');
  const origin = new URL(printed).origin;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1600, height: 1000 },
    });
    context.setDefaultTimeout(STEP_MS);
    const page = await context.newPage();
    page.on('pageerror', (err) => stuckAt('the page', `a script error: ${err.message}`));

    await step('sign in', () => signIn(page, printed, key));
    await step('clear the review queue', () => clearQueue(page));
    await step('find an order by phone tail and follow it to delivery', () =>
      followByPhoneTail(page, origin, key),
    );
    await step('resolve a warehouse exception', () => resolvePickException(page));
  } finally {
    await browser.close();
  }
  if (stuck.length) {
    say(`${stuck.length} place(s) a newcomer gets stuck:`);
    for (const s of stuck) say(`  - ${s}`);
    process.exitCode = 1;
  } else {
    say('done: nowhere a newcomer gets stuck');
  }
}

async function step(name: string, run: () => Promise<void>): Promise<void> {
  const started = Date.now();
  say(`${name}…`);
  try {
    await run();
    say(`${name}: done in ${Math.round((Date.now() - started) / 1000)} s`);
  } catch (err) {
    stuckAt(name, (err as Error).message.split('\n')[0]!);
  }
}

async function signIn(page: Page, url: string, key: string): Promise<void> {
  await page.goto(url);
  // What the sign-in form says to paste: the key the terminal printed.
  await page.getByRole('textbox', { name: 'API 密钥' }).fill(key);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('whoami').waitFor();
}

/** Rows of the review queue: its orders' ids. */
async function queueIds(page: Page): Promise<string[]> {
  const queue = page.getByTestId('review-queue');
  await queue.waitFor();
  await waitUntil(async () => (await page.locator('.ant-spin-spinning').count()) === 0, 60_000);
  return queue
    .locator('tr[data-order-id]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-order-id') ?? ''));
}

/**
 * Clears what the queue held when the person opened it: every order ticked, 批量通过, the results
 * read; an order that comes back for its next stage (财审 after 客审) is approved again. The demo
 * keeps holding new orders meanwhile, so "cleared" is: none of those first orders is left.
 */
async function clearQueue(page: Page): Promise<void> {
  await page.getByRole('navigation').getByRole('menuitem', { name: '审核队列' }).click();
  const first = new Set(await queueIds(page));
  say(`  the queue holds ${first.size} orders`);
  if (first.size === 0) {
    stuckAt('review queue', 'the demo had no held order to review');
    return;
  }
  const refusals = new Map<string, string>();
  for (let round = 1; round <= 8; round++) {
    const left = (await queueIds(page)).filter((id) => first.has(id));
    if (left.length === 0) {
      say(`  cleared in ${round - 1} round(s) of 批量通过`);
      break;
    }
    if (round === 8) {
      stuckAt(
        'review queue',
        `after 7 rounds ${left.length} of its orders are still there: ${left.join(', ')}`,
      );
      break;
    }
    const header = page.getByTestId('review-queue').locator('thead input[type=checkbox]');
    await header.check();
    const bulk = page.getByRole('button', { name: /批量通过/ });
    if (await bulk.isDisabled()) {
      stuckAt('review queue', `批量通过 stays disabled with ${left.length} orders left (none may be ticked)`);
      break;
    }
    await bulk.click();
    const results = page.getByTestId('bulk-results');
    await results.waitFor();
    // Every order's answer: 已通过, 已离开队列, refused — the page asks again for the 处理中 ones.
    const answered = await waitUntil(
      async () =>
        (await results
          .locator(
            '[data-testid=bulk-result][data-state=sending], [data-testid=bulk-result][data-state=pending]',
          )
          .count()) === 0,
      5 * STEP_MS,
    );
    if (!answered)
      stuckAt('review queue', `round ${round}: some approvals still 处理中 after ${(5 * STEP_MS) / 1000} s`);
    const states = await results
      .locator('[data-testid=bulk-result]')
      .evaluateAll((items) => items.map((i) => [i.getAttribute('data-state'), i.textContent ?? '']));
    const counts: Record<string, number> = {};
    for (const [state, text] of states) {
      counts[state ?? '?'] = (counts[state ?? '?'] ?? 0) + 1;
      if (state === 'refused') refusals.set(text.slice(0, 40), text);
    }
    say(`  round ${round}: ${JSON.stringify(counts)}`);
    // The window's OK closes it (the results stay behind a button beside 批量通过).
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /OK|确\s*定/ })
      .click();
    await results.waitFor({ state: 'hidden' });
    // The approved orders leave the list; the ones with a next stage come back at it.
    await page.waitForTimeout(3_000);
  }
  for (const text of refusals.values()) stuckAt('review queue', `an approval was refused: ${text}`);
}

/** An order of the demo on its way to the buyer, and its phone's last four digits (what a buyer says on the phone). */
async function orderOnItsWay(origin: string, key: string): Promise<{ orderId: string; tail: string }> {
  const get = async (route: string) => {
    const res = await fetch(`${origin}${route}`, { headers: { authorization: `Bearer ${key}` } });
    if (!res.ok) throw new Error(`GET ${route}: ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };
  for (const stage of ['shipped', 'tracking_uploaded', 'in_transit', 'out_for_delivery']) {
    const { shipments } = (await get(`/shipments?stage=${stage}&limit=20`)) as {
      shipments: { order_ids: string[] }[];
    };
    for (const orderId of shipments.flatMap((s) => s.order_ids)) {
      const detail = await get(`/orders/${encodeURIComponent(orderId)}`);
      const phone = /"(?:phone|mobile)":"(\+?[\d -]{7,})"/
        .exec(JSON.stringify(detail))?.[1]
        ?.replace(/\D/g, '');
      if (phone && phone.length >= 4) return { orderId, tail: phone.slice(-4) };
    }
  }
  throw new Error('no order of the demo is on its way yet (or none shows a phone number)');
}

async function followByPhoneTail(page: Page, origin: string, key: string): Promise<void> {
  const { orderId, tail } = await orderOnItsWay(origin, key);
  const platformOrderId = orderId.split(':').at(-1)!;
  say(`  the buyer of ${platformOrderId} calls: phone ending ${tail}`);
  await page.getByRole('navigation').getByRole('menuitem', { name: '订单' }).click();
  await page.getByLabel('手机尾号（4 位）').fill(tail);
  await page.getByLabel('手机尾号（4 位）').press('Enter');
  const link = page.getByRole('link', { name: platformOrderId }).first();
  try {
    await link.waitFor({ timeout: 60_000 });
  } catch {
    stuckAt('订单', `searching phone tail ${tail} does not list order ${platformOrderId}`);
    return;
  }
  await link.click();
  await page.getByTestId('order-detail').waitFor();
  const text = () => page.getByTestId('order-detail').textContent();
  if (!(await text())?.includes('包裹与物流'))
    stuckAt('order detail', 'no parcels section on a shipped order');
  // The person watches the page; it refreshes by itself.
  const delivered = await waitUntil(
    async () => (await text())?.includes('已签收') ?? false,
    DELIVERY_PATIENCE_MS,
  );
  if (delivered) return;
  await page.reload();
  await page.getByTestId('order-detail').waitFor();
  if ((await text())?.includes('已签收')) {
    stuckAt('order detail', 'the page showed 已签收 only after a reload: it does not refresh by itself');
  } else {
    stuckAt('order detail', `order ${platformOrderId} not 已签收 within ${DELIVERY_PATIENCE_MS / 1000} s`);
  }
}

async function resolvePickException(page: Page): Promise<void> {
  await page.getByRole('navigation').getByRole('menuitem', { name: '仓库' }).click();
  const list = page.getByTestId('wms-exceptions');
  await list.waitFor();
  const resolve = list.getByRole('button', { name: /处\s*理/ }).first();
  const found = await waitUntil(
    async () => (await resolve.count()) > 0,
    10 * 60_000,
    async () => {
      await page.reload();
      await list.waitFor();
    },
  );
  if (!found) {
    stuckAt(
      '仓库',
      'no open pick exception came within 10 minutes (the demo crew reports them now and then)',
    );
    return;
  }
  // The first open exception's row (its # is its id): the one the person resolves.
  // The inner locator of `has` is matched inside each row, so it is the page's, not the list's.
  const row = list.locator('tbody tr', { has: page.getByRole('button', { name: /处\s*理/ }) }).first();
  const id = (await row.locator('td').first().textContent())?.trim() ?? '';
  await resolve.click();
  await page.getByLabel('处理结果').fill('库位盘点后补足，已重新拣货');
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /处\s*理/ })
    .click();
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  const stillOpen = list.locator('tbody tr', { has: page.locator(`td:text-is("${id}")`) });
  const gone = await waitUntil(async () => (await stillOpen.count()) === 0, 30_000);
  if (!gone) stuckAt('仓库', `the resolved exception #${id} stays in the open list`);
  else say(`  pick exception #${id} resolved`);
}

/** Polls `done` until it holds or `ms` pass (calling `between` between looks); whether it held. */
async function waitUntil(
  done: () => Promise<boolean>,
  ms: number,
  between?: () => Promise<void>,
): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await done().catch(() => false)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    if (between) await between().catch(() => undefined);
  }
}

await main();
