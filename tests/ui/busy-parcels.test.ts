import type { Browser } from 'playwright-core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyFor } from '../auth/support.js';
import {
  labelledOrderOfNewShop,
  shipmentState,
  startShipmentWorld,
  type ShipmentWorld,
} from '../carriers/shipment-flow.js';
import { handOver } from '../support/fulfilment.js';
import { waitForState } from '../support/waits.js';
import { launchBrowser, UI_TIMEOUT, until } from './browser.js';
import {
  expectOnce,
  expectPending,
  expectSettled,
  goBusy,
  openSignedIn,
  orderEvents,
  startWorker,
} from './busy.js';

/**
 * A parcel's person actions on a busy system (the worker stopped; busy-actions.test.ts does the
 * order's and the after-sales case's): customer service reships a lost parcel from the order page,
 * refunds one reached from 物流's 丢件, keeps tracking a parcel in exception from 物流, and marks one
 * lost there (标记丢件), while no worker answers. Each page says 处理中 — no error — and the button
 * sent stays busy; once the worker is back the outcome shows by itself, applied once: one new
 * parcel, one refund decision (the shop told once), one resolution, one parcel closed as lost whose
 * order then offers 补发.
 */
let w: ShipmentWorld;
let browser: Browser;
let baseUrl: string;
let cs = '';

beforeAll(async () => {
  // Polled every second; silence is a day away, so every exception here is the carrier's report.
  w = await startShipmentWorld({ TRACKING_POLL_SECONDS: '1', TRACKING_NO_SCAN_SECONDS: '86400' });
  baseUrl = await w.api.listen({ host: '127.0.0.1', port: 0 });
  cs = await apiKeyFor(w.h.db, ['customer-service'], 'cs-xiaoli');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await w?.close();
});

const count = async (query: { execute(): Promise<unknown[]> }) => (await query.execute()).length;
const orderUrl = (orderId: string) => `${baseUrl}/app/orders/${encodeURIComponent(orderId)}`;
/** What the shipment recorded at `stage` (a person's resolution: its actor and detail). */
const shipmentEvents = (parcelId: string, stage: string) =>
  w.h.db
    .selectFrom('shipment_events')
    .select(['detail', 'actor'])
    .where('shipment_id', '=', parcelId)
    .where('stage', '=', stage)
    .execute();

/** A labelled parcel of a new shop that the carrier collects (its first scan) and then reports lost (快件遗失). */
async function parcelLostByCarrier() {
  const { shopId, orderId, parcelId, trackingNumber } = await labelledOrderOfNewShop(w);
  w.carriers.sandbox.network.script(trackingNumber, 'lost');
  w.carriers.sandbox.network.finish(trackingNumber);
  await waitForState(w.h.client, orderId, (s) => s.parcels.some((p) => p.lost));
  return { shopId, orderId, parcelId };
}

/**
 * A labelled parcel of a new shop handed over, on its way, then reported by the carrier as `kind`;
 * 物流 opened on it with customer service signed in and `note` typed, the worker then stopped —
 * answers the row's `action` button for the test to click.
 */
async function parcelInExceptionOnShipmentsPage(
  kind: 'address_problem' | 'rejected',
  action: string,
  note: string,
) {
  const { orderId, parcelId, trackingNumber } = await labelledOrderOfNewShop(w);
  await handOver(w.api, w.wh, parcelId);
  await until(
    `${parcelId} on its way`,
    async () => (await shipmentState(w, parcelId)).waitingFor === 'delivery',
  );
  w.carriers.sandbox.network.script(trackingNumber, kind);
  w.carriers.sandbox.network.finish(trackingNumber);
  await until(`${parcelId} in exception`, async () =>
    Boolean(
      await w.h.db
        .selectFrom('shipments')
        .select('id')
        .where('id', '=', parcelId)
        .where('exception_kind', '=', kind)
        .executeTakeFirst(),
    ),
  );

  const page = await openSignedIn(browser, baseUrl, cs, `${baseUrl}/app/shipments`);
  const row = page.getByRole('row').filter({ hasText: parcelId });
  const button = row.getByRole('button', { name: action });
  await button.waitFor();
  await page.getByRole('textbox', { name: '备注' }).fill(note);
  await goBusy(page, w);
  return { orderId, parcelId, page, row, button };
}

describe('web UI: parcel actions on a busy system', () => {
  it('shows a lost parcel’s 补发 处理中 while the worker is away, then the reship, once', async () => {
    const { orderId, parcelId } = await parcelLostByCarrier();
    const page = await openSignedIn(browser, baseUrl, cs, orderUrl(orderId));
    const lost = page.getByTestId(`lost-${parcelId}`);
    await lost.getByRole('button', { name: /补\s*发/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('原因（会记录在时间线上）').fill('快递公司确认遗失，补发');
    await goBusy(page, w);
    await dialog.getByRole('button', { name: /补\s*发/ }).click();
    // The order's live state (and with it the lost parcel) is gone meanwhile; the dialog stays and
    // says the decision is on its way.
    await expectPending(page, dialog);

    await startWorker(w);
    await expect.poll(() => lost.textContent(), { timeout: UI_TIMEOUT }).toMatch(/补\s*发.*cs-xiaoli/);
    await expect.poll(() => dialog.count(), { timeout: UI_TIMEOUT }).toBe(0);
    await expect
      .poll(() => page.getByTestId('timeline').textContent(), { timeout: UI_TIMEOUT })
      .toContain('丢件补发');
    await expectSettled(page);
    expect(await lost.getByRole('button').count()).toBe(0);
    await expectOnce(() => orderEvents(w.h.db, orderId, 'lost_parcel_reship'));
    // The lines go out again in one new parcel.
    await expectOnce(() =>
      count(
        w.h.db
          .selectFrom('shipments')
          .select('id')
          .where(sql<boolean>`${orderId} = any(order_ids)`)
          .where('id', '!=', parcelId),
      ),
    );
    await page.context().close();
  });

  it('shows a lost parcel’s 退款, reached from 物流’s 丢件, 处理中 and busy while the worker is away, then the refund decided once', async () => {
    const { shopId, orderId, parcelId } = await parcelLostByCarrier();
    // 物流 → 丢件: the parcel says to decide on its order's page, and links there.
    const page = await openSignedIn(browser, baseUrl, cs, `${baseUrl}/app/shipments`);
    await page.getByRole('tab', { name: '丢件' }).click();
    const lostRow = page.getByRole('row').filter({ hasText: parcelId });
    await expect.poll(() => lostRow.textContent(), { timeout: UI_TIMEOUT }).toContain('到订单页补发或退款');
    await lostRow.getByRole('link', { name: orderId.split(':').at(-1)! }).click();
    const lost = page.getByTestId(`lost-${parcelId}`);
    await lost.getByRole('button', { name: /补\s*发/ }).waitFor();
    await lost.getByRole('button', { name: /退\s*款/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('原因（会记录在时间线上）').fill('买家不要补发，退款');
    await goBusy(page, w);
    const refund = dialog.getByRole('button', { name: /退\s*款/ });
    await refund.click();
    await expectPending(page, dialog);
    // On its way the button stays busy: a second click sends nothing (nor anything under a new key).
    expect(await refund.getAttribute('class')).toContain('ant-btn-loading');
    await refund.click();
    await expectPending(page, dialog);
    expect(await refund.getAttribute('class')).toContain('ant-btn-loading');
    expect(await orderEvents(w.h.db, orderId, 'lost_parcel_refund')).toBe(0);

    await startWorker(w);
    // Decided: who chose 退款, waiting for the refund on the platform; no decision buttons left.
    await expect.poll(() => lost.textContent(), { timeout: UI_TIMEOUT }).toMatch(/退\s*款.*cs-xiaoli/);
    expect(await lost.textContent()).toContain('等待退款');
    await expect.poll(() => dialog.count(), { timeout: UI_TIMEOUT }).toBe(0);
    await expect
      .poll(() => page.getByTestId('timeline').textContent(), { timeout: UI_TIMEOUT })
      .toContain('丢件退款');
    await expectSettled(page);
    expect(await lost.getByRole('button').count()).toBe(0);
    await expectOnce(() => orderEvents(w.h.db, orderId, 'lost_parcel_refund'));
    // The shop is told once to refund the parcel's lines; nothing is reshipped.
    const told = () =>
      w.h.db
        .selectFrom('alerts')
        .select('occurrences')
        .where('shop_id', '=', shopId)
        .where('kind', '=', 'lost_parcel_refund')
        .where('message', 'like', `%${parcelId}%`)
        .execute();
    await expectOnce(async () => (await told()).length);
    expect((await told())[0]!.occurrences).toBe(1);
    expect(await orderEvents(w.h.db, orderId, 'lost_parcel_reship')).toBe(0);
    await page.context().close();
  });

  it('shows 物流’s 继续跟踪 处理中 while the worker is away, then the parcel off the exception list, once', async () => {
    const parcel = await parcelInExceptionOnShipmentsPage(
      'address_problem',
      '继续跟踪',
      '已联系买家更正门牌号',
    );
    await parcel.button.click();
    await expectPending(parcel.page);

    await startWorker(w);
    // Kept tracking, the parcel is no exception any more: it leaves the list.
    await expect.poll(() => parcel.row.count(), { timeout: UI_TIMEOUT }).toBe(0);
    await expectSettled(parcel.page);
    const resolutions = () => shipmentEvents(parcel.parcelId, 'exception_resolved');
    await expectOnce(async () => (await resolutions()).length);
    expect((await resolutions())[0]!.detail).toMatchObject({
      action: 'resume',
      note: '已联系买家更正门牌号',
    });
    expect((await shipmentState(w, parcel.parcelId)).exception).toBeNull();
    await parcel.page.context().close();
  });

  it('shows 物流’s 标记丢件 处理中 while the worker is away, then the parcel closed as lost, and 补发 on its order', async () => {
    const { orderId, parcelId, page, row, button } = await parcelInExceptionOnShipmentsPage(
      'rejected',
      '标记丢件',
      '快递确认拒收件已遗失',
    );
    await button.click();
    await expectPending(page);

    await startWorker(w);
    // Closed as lost: off 异常包裹, on 丢件 with where to decide.
    await expect.poll(() => row.count(), { timeout: UI_TIMEOUT }).toBe(0);
    await expectSettled(page);
    await page.getByRole('tab', { name: '丢件' }).click();
    const lostRow = page.getByRole('row').filter({ hasText: parcelId });
    await expect.poll(() => lostRow.textContent(), { timeout: UI_TIMEOUT }).toContain('包裹丢失');
    expect(await lostRow.textContent()).toContain('到订单页补发或退款');
    expect(await lostRow.getByRole('button', { name: '标记丢件' }).count()).toBe(0);
    const marked = () => shipmentEvents(parcelId, 'marked_lost');
    await expectOnce(async () => (await marked()).length);
    expect((await marked())[0]).toMatchObject({
      actor: 'cs-xiaoli',
      detail: { action: 'lost', note: '快递确认拒收件已遗失' },
    });

    // The order asks for 补发 / 退款, declared lost by a person, the note as why.
    await lostRow.getByRole('link', { name: orderId.split(':').at(-1)! }).click();
    const lost = page.getByTestId(`lost-${parcelId}`);
    await expect.poll(() => lost.textContent(), { timeout: UI_TIMEOUT }).toContain('人工判定丢件');
    expect(await lost.textContent()).toContain('快递确认拒收件已遗失');
    await lost.getByRole('button', { name: /补\s*发/ }).waitFor();
    await page.context().close();
  });
});
