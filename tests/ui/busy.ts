import type { Browser, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Db } from '../../db/connect.js';
import type { Harness, RunningWorker } from '../support/harness.js';
import { newPage, signIn, UI_TIMEOUT } from './browser.js';

/**
 * A person's action on a busy system, in the browser (tests/ui/busy-actions.test.ts,
 * busy-parcels.test.ts): the worker is stopped — under a livestream burst it answers as late — the
 * page says 处理中 above the action's buttons and shows no error; once a worker is back the outcome
 * shows by itself, applied once.
 */

/** A test world whose worker a test may stop and replace by another. */
export interface WorkerWorld {
  h: Pick<Harness, 'startWorker'>;
  worker: RunningWorker;
}

export const stopWorker = (world: WorkerWorld): Promise<void> => world.worker.stop();

export async function startWorker(world: WorkerWorld): Promise<void> {
  world.worker = await world.h.startWorker();
}

/** Both 处理中 notes (已受理，处理中… and 系统繁忙，排队处理中…) end so. */
const PENDING_WORDS = '完成后在此显示结果';

/** An error shown to the person: an error alert, a field's error, an error toast. */
const ERRORS =
  '.ant-alert-error, .ant-form-item-explain-error, .ant-message-error, .ant-notification-notice-error';

/**
 * In the page (a string: the test program has no DOM types): every error shown from now on, kept in
 * the page, so one that shows for a moment between two looks is not missed.
 */
const WATCH = `(() => {
  const seen = (window.__errorsSeen = window.__errorsSeen || []);
  const look = (node) => {
    if (!(node instanceof Element)) return;
    const found = node.matches(${JSON.stringify(ERRORS)}) ? [node] : [];
    found.push(...node.querySelectorAll(${JSON.stringify(ERRORS)}));
    for (const el of found) seen.push((el.textContent || '').trim() || el.className);
  };
  look(document.body);
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) look(n);
  }).observe(document.body, { childList: true, subtree: true });
})()`;

/** From now on, remember every error the page shows (until it is loaded again). */
export async function watchErrors(page: Page): Promise<void> {
  await page.evaluate(WATCH);
}

/** A page of its own, signed in with `key`, at `url`. */
export async function openSignedIn(
  browser: Browser,
  baseUrl: string,
  key: string,
  url: string,
): Promise<Page> {
  const page = await newPage(browser);
  await signIn(page, baseUrl, key);
  await page.goto(url);
  return page;
}

/** The system goes busy under the person: the page's errors watched from now on, the worker stopped. */
export async function goBusy(page: Page, world: WorkerWorld): Promise<void> {
  await watchErrors(page);
  await stopWorker(world);
}

/** How many times the order's timeline recorded `stage` (with expectOnce: the action applied once). */
export async function orderEvents(db: Db, orderId: string, stage: string): Promise<number> {
  const rows = await db
    .selectFrom('order_events')
    .select('seq')
    .where('order_id', '=', orderId)
    .where('stage', '=', stage)
    .execute();
  return rows.length;
}

/** The errors the page showed since watchErrors. */
export function errorsSeen(page: Page): Promise<string[]> {
  return page.evaluate<string[]>('window.__errorsSeen || []');
}

/** The action is on its way: 处理中 in `scope` (the page, or the dialog it was sent from), no error. */
export async function expectPending(page: Page, scope: Page | Locator = page): Promise<void> {
  await expect
    .poll(() => scope.getByTestId('action-pending').first().textContent(), { timeout: UI_TIMEOUT })
    .toContain(PENDING_WORDS);
  expect(await errorsSeen(page)).toEqual([]);
}

/** The outcome has come: no 处理中 left on the page, and no error shown at any time. */
export async function expectSettled(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId('action-pending').count(), { timeout: UI_TIMEOUT }).toBe(0);
  expect(await errorsSeen(page)).toEqual([]);
}

/**
 * What the action writes (events, refunds, parcels) happened once: waited for first — the page may
 * show the outcome from the live state a moment before the workflow writes it — then counted.
 */
export async function expectOnce(count: () => Promise<number>): Promise<void> {
  await expect.poll(count, { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
  expect(await count()).toBe(1);
}
