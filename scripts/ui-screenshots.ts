import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';

/**
 * `npm run ui:screenshots`: photographs every page of the web UI into docs/ui/ from a running stack
 * with the demo's data — 审核队列 (with an order open, and in English), 订单 and an order's detail,
 * 售后 and a case, 仓库 (exceptions, waves, returns, stock), 物流, 店铺, 面单账号, 规则 (audit and
 * after-sales rules), 报表 (sales, basket, efficiency) and the sign-in page.
 *
 *   npm run ui:screenshots                 starts `npm run dev`'s stack on ports of its own (DATA_DIR
 *                                          .data/ui-screenshots), waits for the demo's orders to reach
 *                                          the queue, the warehouse and the carriers, photographs, stops it
 *   UI_URL=http://127.0.0.1:3000 ERP_API_KEY=erp_… npm run ui:screenshots
 *                                          photographs a stack already running (the key `npm run dev` printed)
 *   npm run ui:screenshots -- --with-states
 *                                          also the states the demo does not reach by itself (a lost parcel,
 *                                          a stopped waybill account, the deadline filters), photographed by
 *                                          the browser tests that make them (tests/ui/*.test.ts), kept under
 *                                          names the walk does not use
 */
const OUT = path.resolve(process.env.UI_SCREENSHOTS_DIR ?? 'docs/ui');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** How long the demo may take to have something on every page (a loaded machine is slow). */
const DEMO_PATIENCE_MS = Number(process.env.UI_SCREENSHOTS_PATIENCE_SECONDS ?? 900) * 1000;
const PAGE_PATIENCE_MS = 180_000;
const withStates = process.argv.includes('--with-states');

const say = (line: string) => process.stdout.write(`[ui:screenshots] ${line}\n`);

/** The browser tests that photograph states the demo does not reach, and the pictures they keep. */
const STATE_TESTS: Record<string, string[]> = {
  'tests/ui/lost-parcel.test.ts': ['order-lost-parcel'],
  'tests/ui/waybill-deadlines.test.ts': ['waybill-accounts', 'waybill-accounts-stopped', 'orders-deadline'],
};

async function main() {
  let stack: { url: string; key: string; stop: () => Promise<void> };
  let taken: string[];
  if (process.env.UI_URL) {
    if (!process.env.ERP_API_KEY)
      throw new Error('UI_URL needs ERP_API_KEY (the admin key `npm run dev` printed)');
    stack = {
      url: process.env.UI_URL.replace(/\/(app\/?)?$/, ''),
      key: process.env.ERP_API_KEY,
      stop: async () => {},
    };
  } else {
    stack = await startDevStack();
  }
  try {
    await waitForDemo(stack.url, stack.key);
    await mkdir(OUT, { recursive: true });
    taken = await walk(stack.url, stack.key);
    say(`${taken.length} pictures in ${path.relative(process.cwd(), OUT)}: ${taken.join(', ')}`);
  } finally {
    await stack.stop();
  }
  if (withStates) await photographStates(new Set(taken));
}

/** `npm run dev` on ports of its own; its URL and admin key read from what it prints. */
async function startDevStack(): Promise<{ url: string; key: string; stop: () => Promise<void> }> {
  const env = {
    ...process.env,
    API_PORT: process.env.API_PORT ?? '3410',
    SANDBOX_PORT: process.env.SANDBOX_PORT ?? '3411',
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7410',
    TEMPORAL_UI_PORT: process.env.TEMPORAL_UI_PORT ?? '8410',
    EMBEDDED_PG_PORT: process.env.EMBEDDED_PG_PORT ?? '5410',
    DATA_DIR: process.env.DATA_DIR ?? '.data/ui-screenshots',
  };
  say(`starting the dev stack (API port ${env.API_PORT}, data in ${env.DATA_DIR})…`);
  // A process group of its own, stopped as Ctrl-C stops `npm run dev` in a terminal: SIGINT to the group.
  const child: ChildProcess = spawn('npx', ['tsx', 'scripts/dev.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let url = '';
  let key = '';
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      url ||= /^\s+(http:\/\/\S+?)\/app\/?\s*$/m.exec(output)?.[1] ?? '';
      key ||= /^\s+(erp_\S+)\s/m.exec(output)?.[1] ?? '';
      if (url && key && /Ready in/.test(output)) resolve();
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`the dev stack exited (${code}):\n${output.slice(-3000)}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      process.kill(-child.pid!, 'SIGINT');
    } catch {
      // The group is already gone.
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 180_000))]);
  };
  try {
    await ready;
  } catch (err) {
    await stop();
    throw err;
  }
  say(`the dev stack is up at ${url}`);
  return { url, key, stop };
}

async function get(url: string, key: string, route: string): Promise<unknown> {
  const res = await fetch(`${url}${route}`, { headers: { authorization: `Bearer ${key}` } });
  if (!res.ok) throw new Error(`GET ${route}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The first list in an answer (`{ items: [...] }`, `{ cases: [...] }`, …). */
function listOf(body: unknown): Array<Record<string, unknown>> {
  const found = Object.values(body as Record<string, unknown>).find(Array.isArray);
  return (found ?? []) as Array<Record<string, unknown>>;
}

/**
 * An order still moving, shipped and not ended: the order of a parcel on its way (in transit first,
 * then out for delivery, shipped, tracking uploaded) whose order has not completed or been cancelled.
 */
async function liveShippedOrder(url: string, key: string): Promise<string | undefined> {
  for (const stage of ['in_transit', 'out_for_delivery', 'shipped', 'tracking_uploaded']) {
    for (const parcel of listOf(await get(url, key, `/shipments?stage=${stage}&limit=20`))) {
      for (const orderId of (parcel.order_ids as string[] | undefined) ?? []) {
        const detail = (await get(url, key, `/orders/${encodeURIComponent(orderId)}`)) as {
          order?: { status?: string };
        };
        if (!['completed', 'cancelled'].includes(detail.order?.status ?? 'completed')) return orderId;
      }
    }
  }
  return undefined;
}

/** Waits until the demo has put something on each page; says what is still missing at the deadline. */
async function waitForDemo(url: string, key: string): Promise<void> {
  const wants: Array<[string, string]> = [
    ['held orders in the review queue', '/reviews'],
    ['parcels', '/shipments'],
    // The order detail shows a live order: shipped, its parcel on its way (its timeline, tracking
    // and what it waits for next), not one that has ended.
    ['a parcel on its way', '/shipments?stage=in_transit&limit=1'],
    ['waves', '/wms/waves'],
    ['after-sales cases', '/after-sales'],
  ];
  const deadline = Date.now() + DEMO_PATIENCE_MS;
  let missing = wants;
  while (missing.length) {
    const counts = await Promise.all(
      missing.map(async ([, route]) => listOf(await get(url, key, route).catch(() => ({}))).length),
    );
    missing = missing.filter((_, i) => counts[i] === 0);
    if (!missing.length) break;
    if (Date.now() > deadline) {
      say(
        `gave up waiting for ${missing.map(([what]) => what).join(', ')}: those pages are photographed empty`,
      );
      return;
    }
    say(`waiting for the demo: ${missing.map(([what]) => what).join(', ')}…`);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
  }
}

async function walk(url: string, key: string): Promise<string[]> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  const taken: string[] = [];
  try {
    // China time, as the people it serves: report days are China days, and the report page's
    // default period ends on the browser's today (in UTC after 16:00 it would leave today out).
    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1600, height: 1000 },
    });
    context.setDefaultTimeout(PAGE_PATIENCE_MS);
    const page = await context.newPage();
    const shot = async (name: string) => {
      // Tables and charts finish loading (their spinners gone) before the picture.
      await waitFor(async () => (await page.locator('.ant-spin-spinning').count()) === 0);
      await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
      taken.push(name);
      say(`${name}.png`);
    };
    const visit = async (name: string, route: string, ready: (p: Page) => Promise<unknown>) => {
      await page.goto(`${url}/app${route}`);
      await ready(page);
      await shot(name);
    };

    await page.goto(`${url}/app/login`);
    await page.getByRole('textbox', { name: 'API 密钥' }).waitFor();
    await shot('login');
    await page.getByRole('textbox', { name: 'API 密钥' }).fill(key);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('whoami').waitFor();

    const reviews = listOf(await get(url, key, '/reviews'));
    const held = reviews[0]?.orderId as string | undefined;
    const movingOrder = await liveShippedOrder(url, key);
    // A case waiting for a person's decision shows the decisions; any case otherwise.
    const waiting = listOf(await get(url, key, '/after-sales/reviews').catch(() => ({})));
    const cases = waiting.length ? waiting : listOf(await get(url, key, '/after-sales'));
    const shops = listOf(await get(url, key, '/shops'));

    // The queue with its oldest order open; the decision buttons wait for the order's live state (a
    // query of its workflow, slow on a busy machine: the page asks again).
    const openQueue = async (p: Page, approve: RegExp) => {
      await p.getByTestId('review-queue').waitFor();
      if (!held) return;
      await p.getByTestId('order-detail').waitFor();
      await settle(() => p.getByRole('button', { name: approve }).isVisible(), 120_000);
    };
    await visit('reviews', held ? `/reviews?order=${encodeURIComponent(held)}` : '/reviews', (p) =>
      openQueue(p, /审核通过/),
    );
    await visit('orders', '/orders', (p) => p.getByRole('link').first().waitFor());
    // A live order (its parcel on its way, else the held one): the page with what it waits for next.
    const detailOf = movingOrder ?? held;
    if (detailOf) {
      await visit('order-detail', `/orders/${encodeURIComponent(detailOf)}`, async (p) => {
        await p.getByTestId('timeline').waitFor();
        // The live state (the workflow's query) may time out on a busy machine; the page asks again
        // every 5 s, so wait as long as any page for an answer before the picture.
        await settle(async () => {
          const text = (await p.getByTestId('waiting-for').textContent()) ?? '';
          return text.trim() !== '' && !/暂不可用/.test(text);
        }, PAGE_PATIENCE_MS);
      });
    }
    await visit('after-sales', '/after-sales', (p) => p.getByTestId('after-sale-queue').waitFor());
    const caseId = cases[0]?.id as string | undefined;
    if (caseId) {
      await visit('after-sale-case', `/after-sales/${encodeURIComponent(caseId)}`, async (p) => {
        await p.getByTestId('after-sale-timeline').waitFor();
        // The case's live state, as the order's: asked again every 5 s until its workflow answers.
        await settle(async () => {
          const text = (await p.getByTestId('waiting-for').textContent()) ?? '';
          return text.trim() !== '' && !/暂不可用|Failed/.test(text);
        }, PAGE_PATIENCE_MS);
      });
    }
    await visit('warehouse-exceptions', '/warehouse?tab=exceptions', (p) =>
      p.getByTestId('wms-exceptions').waitFor(),
    );
    await visit('warehouse-waves', '/warehouse?tab=waves', (p) =>
      p.getByRole('tabpanel', { name: '波次' }).getByRole('table').waitFor(),
    );
    await visit('warehouse-returns', '/warehouse?tab=returns', (p) =>
      p.getByRole('tabpanel').getByRole('table').first().waitFor(),
    );
    await visit('warehouse-stock', '/warehouse?tab=stock', (p) =>
      p.getByRole('tabpanel').getByRole('cell').first().waitFor(),
    );
    await visit('shipments', '/shipments?tab=all', (p) =>
      p.getByRole('tabpanel').getByRole('cell').first().waitFor(),
    );
    await visit('shops', '/shops', (p) => p.getByRole('cell').first().waitFor());
    // 面单账号 of the first shop with accounts (the demo's carriers issue through the deployment's
    // services until a person adds one: then the page says the shop has none).
    let waybillShop = shops[0]?.id as string | undefined;
    for (const shop of shops) {
      const accounts = listOf(
        await get(url, key, `/shops/${encodeURIComponent(String(shop.id))}/waybill-accounts`).catch(
          () => ({}),
        ),
      );
      if (accounts.length) {
        waybillShop = String(shop.id);
        break;
      }
    }
    if (waybillShop) {
      const accounts = listOf(
        await get(url, key, `/shops/${encodeURIComponent(waybillShop)}/waybill-accounts`),
      );
      await visit(
        accounts.length ? 'waybill-accounts' : 'waybill-accounts-empty',
        `/waybill-accounts?shop=${encodeURIComponent(waybillShop)}`,
        (p) => p.getByTestId('waybill-quote').waitFor(),
      );
    }
    await visit('rules', '/rules', async (p) => {
      await p.getByRole('tabpanel', { name: '审核规则' }).getByRole('row').nth(1).waitFor();
      await p.getByRole('button', { name: '试运行' }).first().click();
      await p.getByTestId('dry-run').waitFor();
    });
    await page.getByRole('tab', { name: '售后自动审核' }).click();
    await page.getByRole('tabpanel', { name: '售后自动审核' }).getByRole('row').nth(1).waitFor();
    await shot('rules-after-sales');
    await visit('reports', '/reports', (p) =>
      p.getByRole('img', { name: '销售趋势图' }).locator('svg').waitFor(),
    );
    await page.getByRole('tab', { name: '购物篮' }).click();
    await page.getByRole('tabpanel', { name: '购物篮' }).waitFor();
    await shot('reports-basket');
    await page.getByRole('tab', { name: '处理效率' }).click();
    await page.getByRole('img', { name: '各环节耗时图' }).waitFor();
    await shot('reports-efficiency');

    // The queue in English, then back.
    await page.getByRole('button', { name: 'English' }).click();
    await visit('reviews-en', held ? `/reviews?order=${encodeURIComponent(held)}` : '/reviews', (p) =>
      openQueue(p, /^Approve \(a\)$/),
    );
    await page.getByRole('button', { name: '中文' }).click();
  } finally {
    await browser.close();
  }
  return taken;
}

/** Waits a while for `check`, and goes on without it. */
async function settle(check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + PAGE_PATIENCE_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up after ${PAGE_PATIENCE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The browser tests that make the states the demo does not reach, their pictures kept by name. */
async function photographStates(taken: ReadonlySet<string>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ui-states-'));
  say(`photographing states through ${Object.keys(STATE_TESTS).join(', ')}…`);
  const run = spawnSync('npx', ['vitest', 'run', ...Object.keys(STATE_TESTS)], {
    stdio: 'inherit',
    env: { ...process.env, UI_SCREENSHOTS_DIR: dir },
  });
  const made = new Set(await readdir(dir));
  for (const name of Object.values(STATE_TESTS).flat()) {
    if (taken.has(name)) continue;
    if (made.has(`${name}.png`)) await copyFile(path.join(dir, `${name}.png`), path.join(OUT, `${name}.png`));
    else say(`no ${name}.png: its test did not get that far`);
  }
  if (run.status !== 0) process.exitCode = run.status ?? 1;
}

await main();
