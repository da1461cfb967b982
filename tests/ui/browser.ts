import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { Harness } from '../support/harness.js';
import { PATIENCE_MS } from '../support/waits.js';

/** Waits until `check` holds (for set-up code, where expect.poll is not available). */
export async function until(
  what: string,
  check: () => Promise<boolean>,
  timeout = UI_TIMEOUT,
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting ${timeout} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits until the order's timeline has recorded `stage` (`waitForStage` for set-up code). */
export async function untilStage(db: Db, orderId: string, stage: string): Promise<void> {
  await until(`order ${orderId} ${stage}`, async () =>
    Boolean(
      await db
        .selectFrom('order_events')
        .select('stage')
        .where('order_id', '=', orderId)
        .where('stage', '=', stage)
        .executeTakeFirst(),
    ),
  );
}

/** Debian's Chromium (.ci/run installs it); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Generous: the machine runs other test files and a Temporal server beside the browser. */
export const UI_TIMEOUT = PATIENCE_MS;

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    timeout: UI_TIMEOUT,
  });
}

/** The API (serving ui/dist at /app/) listening on a free port of this machine, over the file's stack. */
export async function listenApi(h: Harness): Promise<{ app: FastifyInstance; baseUrl: string }> {
  const app = await h.api();
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, baseUrl: address };
}

/** A page of its own (own storage, so its sign-in is its own), Chinese as a person's browser would be. */
export async function newPage(browser: Browser, options: { timezoneId?: string } = {}): Promise<Page> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 1600, height: 1000 },
    ...options,
  });
  context.setDefaultTimeout(UI_TIMEOUT);
  context.setDefaultNavigationTimeout(UI_TIMEOUT);
  const page = await context.newPage();
  page.on('pageerror', (err) => process.stderr.write(`[browser] ${err.message}\n`));
  return page;
}

/** Signs in with an API key the way a person does: the printed key into the key field. */
export async function signIn(page: Page, baseUrl: string, key: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('textbox', { name: 'API 密钥' }).fill(key);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('whoami').waitFor();
}

/**
 * Accessibility basics on what the page shows now: every visible form control and button has an
 * accessible name (label, aria-label, aria-labelledby, title or its text). Returns the offenders.
 */
/**
 * In the page (a string, so the test program needs no DOM types): every visible form control and
 * button without an accessible name (label, aria-label, aria-labelledby, title, its own text or
 * labelled icons, placeholder).
 */
const UNLABELLED = `(() => {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const nameOf = (el) => {
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    const byIds = ids.map((id) => (document.getElementById(id) || {}).textContent || '').join(' ');
    const labels = el.labels ? [...el.labels].map((l) => l.textContent) : [];
    // Name from content counts labelled icons inside (an arrow button's "left"); the placeholder
    // is the last resort of HTML's accessible name computation.
    const inner = [...el.querySelectorAll('[aria-label], img[alt]')].map(
      (c) => c.getAttribute('aria-label') || c.getAttribute('alt'));
    return [el.getAttribute('aria-label'), byIds, ...labels, el.getAttribute('title'), el.textContent,
      ...inner, el.getAttribute('placeholder')]
      .filter(Boolean).join(' ').trim();
  };
  const controls = document.querySelectorAll(
    'input:not([type=hidden]), textarea, select, button, [role=combobox], [role=switch]');
  return [...controls]
    .filter((el) => visible(el) && !nameOf(el) && !el.closest('[aria-hidden=true]'))
    .map((el) => el.outerHTML.slice(0, 160));
})()`;

/** The accessible name of what has focus now ('' for none). */
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '';
  const label = el.id ? (document.querySelector('label[for="' + CSS.escape(el.id) + '"]') || {}).textContent : '';
  return el.tagName + ':' + (el.getAttribute('aria-label') || label || el.textContent || el.getAttribute('placeholder') || '').trim();
})()`;

/** Accessibility basics on what the page shows now: the controls a screen reader cannot name. */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(UNLABELLED);
}

/** What has focus now, as TAG:accessible name ('' for nothing). */
export async function focused(page: Page): Promise<string> {
  return page.evaluate<string>(FOCUSED);
}

/** Press Tab `steps` times from where focus is and list what gets it, each as TAG:accessible name. */
export async function focusOrder(page: Page, steps: number): Promise<string[]> {
  const order: string[] = [];
  for (let i = 0; i < steps; i++) {
    await page.keyboard.press('Tab');
    order.push(await focused(page));
  }
  return order;
}

export async function expectNoUnlabelled(page: Page): Promise<void> {
  expect(await unlabelledControls(page)).toEqual([]);
}
