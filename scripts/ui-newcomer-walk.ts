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
const seconds = (since: number) => Math.round((Date.now() - since) / 1000);
const stuck: string[] = [];
/** What the walk measured, printed together at the end (docs/ui.md keeps the last run's). */
const figures: string[] = [];
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

    await step('sign in', async () => {
      const started = Date.now();
      await signIn(page, printed, key);
      figures.push(`signed in with the printed key in ${seconds(started)} s`);
    });
    await step('clear the review queue', () => clearQueue(page, apiGet(origin, key)));
    await step('find an order by phone tail and follow it to delivery', () =>
      followByPhoneTail(page, origin, key),
    );
    await step('resolve a warehouse exception', () => resolvePickException(page));
  } finally {
    await browser.close();
  }
  say(`figures: ${figures.join('; ') || 'none'}`);
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
    say(`${name}: done in ${seconds(started)} s`);
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
async function clearQueue(page: Page, get: ApiGet): Promise<void> {
  await page.getByRole('navigation').getByRole('menuitem', { name: '审核队列' }).click();
  const first = new Set(await queueIds(page));
  say(`  the queue holds ${first.size} orders`);
  if (first.size === 0) {
    stuckAt('review queue', 'the demo had no held order to review');
    return;
  }
  const refusals = new Map<string, string>();
  const started = Date.now();
  for (let round = 1; round <= 8; round++) {
    const left = (await queueIds(page)).filter((id) => first.has(id));
    if (left.length === 0) {
      say(`  cleared in ${round - 1} round(s) of 批量通过`);
      figures.push(
        `the queue's ${first.size} orders cleared in ${round - 1} round(s) of 批量通过 (${seconds(started)} s)`,
      );
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
    const sent = Date.now();
    await bulk.click();
    const results = page.getByTestId('bulk-results');
    await results.waitFor();
    const states = () =>
      results
        .locator('[data-testid=bulk-result]')
        .evaluateAll((items) =>
          items.map((i) => [
            i.getAttribute('data-state') ?? '?',
            i.textContent ?? '',
            i.getAttribute('data-order-id') ?? '',
          ]),
        );
    const tally = (now: string[][]) => {
      const counts: Record<string, number> = {};
      for (const [state] of now) counts[state!] = (counts[state!] ?? 0) + 1;
      return JSON.stringify(counts);
    };
    const waiting = (now: string[][]) => now.filter(([state]) => state === 'sending' || state === 'pending');
    // Every order's answer: 已通过, 已离开队列, refused — the page asks again for the 处理中 ones.
    // What the window says is printed every half minute while some are still on their way.
    // Past two minutes, what the API says of a few of them (their order's status and live state).
    let told = Date.now();
    let looked = false;
    const answered = await waitUntil(async () => {
      const now = await states();
      if (waiting(now).length === 0) return true;
      if (Date.now() - told >= 30_000) {
        told = Date.now();
        say(`  round ${round}, ${seconds(sent)} s: ${tally(now)}`);
        if (!looked && Date.now() - sent >= STEP_MS) {
          looked = true;
          for (const [, , orderId] of waiting(now).slice(0, 3)) say(`    ${await orderNow(get, orderId!)}`);
        }
      }
      return false;
    }, 5 * STEP_MS);
    const final = await states();
    if (!answered) {
      const still = waiting(final);
      stuckAt(
        'review queue',
        `round ${round}: ${still.length} approval(s) still 处理中 after ${(5 * STEP_MS) / 1000} s: ` +
          still
            .slice(0, 5)
            .map(([, text]) => text)
            .join(' | '),
      );
    }
    for (const [state, text] of final) if (state === 'refused') refusals.set(text!.slice(0, 40), text!);
    say(`  round ${round} (${left.length} of the first orders left): ${tally(final)} in ${seconds(sent)} s`);
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

type ApiGet = (route: string) => Promise<Record<string, unknown>>;

/** The API with the printed key (for what the walk reports, not for what the person does). */
function apiGet(origin: string, key: string): ApiGet {
  return async (route) => {
    const res = await fetch(`${origin}${route}`, { headers: { authorization: `Bearer ${key}` } });
    if (!res.ok) throw new Error(`GET ${route}: ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };
}

/** An order as the API has it now: its status, and what its workflow waits for (or why it cannot say). */
async function orderNow(get: ApiGet, orderId: string): Promise<string> {
  try {
    const detail = (await get(`/orders/${encodeURIComponent(orderId)}`)) as {
      order?: { status?: string };
      state?: { waitingFor?: string | null } | null;
      stateError?: string | null;
    };
    const live = detail.state
      ? `waiting for ${detail.state.waitingFor ?? 'nothing'}`
      : (detail.stateError ?? 'no live state');
    return `${orderId}: ${detail.order?.status ?? '?'}, ${live}`;
  } catch (err) {
    return `${orderId}: ${(err as Error).message}`;
  }
}

/** An order of the demo on its way to the buyer, and its phone's last four digits (what a buyer says on the phone). */
async function orderOnItsWay(origin: string, key: string): Promise<{ orderId: string; tail: string }> {
  const get = apiGet(origin, key);
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
  const opened = Date.now();
  await page.getByTestId('order-detail').waitFor();
  const text = () => page.getByTestId('order-detail').textContent();
  if (!(await text())?.includes('包裹与物流'))
    stuckAt('order detail', 'no parcels section on a shipped order');
  // The person watches the page; it refreshes by itself.
  const delivered = await waitUntil(
    async () => (await text())?.includes('已签收') ?? false,
    DELIVERY_PATIENCE_MS,
  );
  if (delivered) {
    figures.push(
      `order ${platformOrderId} found by phone tail ${tail}, 已签收 ${seconds(opened)} s after its page opened`,
    );
    return;
  }
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
  else {
    say(`  pick exception #${id} resolved`);
    figures.push(`pick exception #${id} resolved (it left the open list)`);
  }
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
