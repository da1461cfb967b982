import type { Config } from '../config/index.js';
import type { Db } from '../db/connect.js';
import { dataKeyring } from '../db/crypto/data-keys.js';
import { resolveOrderLines } from '../db/queries/catalog.js';
import { listCarrierAccounts } from '../db/queries/carriers.js';
import { findOrder } from '../db/queries/orders.js';
import { returnRestock } from '../db/queries/stock.js';
import {
  inspectReturn,
  returnLabelSetting,
  returnWaybillRequestId,
  type ReturnInspection,
  type ReturnWaybill,
} from '../domain/after-sale-returns.js';
import type { CaseLine } from '../domain/after-sales.js';
import { CarrierCodeSchema, type CarrierCode } from '../domain/carriers/codes.js';
import {
  latestStatus,
  TRACKING_STATUSES,
  type TrackingEvent,
  type TrackingStatus,
} from '../domain/carriers/tracking.js';
import { raiseAlert, resolveSubjectAlerts } from '../db/queries/alerts.js';
import { keepReturnScans } from '../db/queries/return-scans.js';
import { spanText } from '../domain/waiting.js';
import type { Platform } from '../domain/platforms.js';
import type { CarrierServices } from '../integrations/carriers/services.js';
import { trackingRouteFor } from '../integrations/carriers/tracking-route.js';
import type { TrackingProvider, WaybillContact } from '../integrations/carriers/types.js';
import { asCarrierActivity } from './carriers/failures.js';
import { asActivity } from './stock/failures.js';

/** A return waybill we issued, or why the buyer's own label stays the way back. */
export type IssuedReturnWaybill =
  { issued: true; parcel: ReturnParcelView; sortCode: string | null } | { issued: false; why: string | null };

/** Where the return parcel stands by tracking; null when it cannot be followed (and why). */
export interface ReturnTracking {
  status: TrackingStatus | null;
  /** The carrier's words for the latest scan. */
  description: string | null;
  at: string | null;
  why?: string;
}

/**
 * How a case follows its return parcel (cases agreed after pushes existed): the knobs, and whether
 * its tracking service pushes scans here.
 */
export interface ReturnWatch {
  pollSeconds: number;
  noScanSeconds: number;
  unreceivedSeconds: number;
  /**
   * How long a parcel no tracking service follows may be on its way before the case reminds a
   * person once that it has not reached the warehouse (RETURN_UNTRACKED_SECONDS).
   */
  untrackedSeconds: number;
  followedBy: 'push' | 'poll';
  /**
   * Whether any tracking service can follow the parcel at all: false for a carrier we have no code
   * for (`OTHER`: a platform's own logistics such as Shopee's, a company name we do not know) or a
   * deployment without a tracking service. Such a parcel never has a scan to wait for, so the case
   * waits for the warehouse instead of counting days without scans. Absent in cases recorded before.
   */
  trackable?: boolean;
  /** Why no pushes come (no public URL, a service that does not push, a refused subscription). */
  why?: string;
}

/** The return parcel's scans as its tracking service has them now; null when it cannot be read (and why). */
export type ReturnRoute = { events: TrackingEvent[] } | { events: null; why: string };

export interface ReturnParcelView {
  source: 'buyer' | 'sf' | 'cainiao' | null;
  carrierCode: string | null;
  trackingNo: string | null;
  status: string;
}

/**
 * Returns on after-sales cases (docs/after-sales.md): the return parcel's record, and shelving
 * what the warehouse received. Every write is keyed by the case, so a retried activity changes
 * nothing the first attempt already did.
 */
export function createAfterSaleReturnActivities({
  db,
  config,
  carriers,
}: {
  db: Db;
  config?: Config;
  carriers?: CarrierServices;
}) {
  const ring = config ? dataKeyring(config) : undefined;

  /** The service that follows a case's return parcel, from its row. */
  const caseReturnRoute = async (caseId: string) =>
    returnRouteOf(
      await db
        .selectFrom('after_sale_returns')
        .select(['carrier_code', 'tracking_no', 'waybill_source'])
        .where('case_id', '=', caseId)
        .executeTakeFirstOrThrow(),
      carriers,
    );
  /** The case's return parcel as its row now stands. */
  const caseParcel = async (caseId: string) =>
    parcelView(
      await db
        .selectFrom('after_sale_returns')
        .selectAll()
        .where('case_id', '=', caseId)
        .executeTakeFirstOrThrow(),
    );
  return {
    /**
     * Issues the case's return waybill when the shop's rule says the seller provides the label
     * (`settings.returnLabel`): through SF's return order or a Cainiao e-waybill with door pick-up,
     * from the buyer (the order's receiver) to the sender address of the shop's account with that
     * carrier, billed to its monthly account. Keyed by the case: SF and Cainiao answer a repeated
     * request id with the first waybill, and a waybill already stored is returned as it is. A buyer
     * who gave their own waybill, a shop without the rule, or a receiver only the platform can read
     * keeps the buyer's way back (`issued: false`, saying why when the rule was there).
     */
    async issueReturnWaybill(input: { caseId: string; orderId: string }): Promise<IssuedReturnWaybill> {
      const row = await db
        .selectFrom('after_sale_returns')
        .selectAll()
        .where('case_id', '=', input.caseId)
        .executeTakeFirstOrThrow();
      if (row.tracking_no) {
        return row.waybill_source === 'sf' || row.waybill_source === 'cainiao'
          ? { issued: true, parcel: parcelView(row), sortCode: sortCodeOf(row.waybill) }
          : { issued: false, why: null };
      }
      const order = await db
        .selectFrom('orders')
        .select(['shop_id', 'platform', 'platform_order_id'])
        .where('id', '=', input.orderId)
        .executeTakeFirstOrThrow();
      const shop = await db
        .selectFrom('shops')
        .select('settings')
        .where('id', '=', order.shop_id)
        .executeTakeFirst();
      const rule = returnLabelSetting(shop?.settings as Record<string, unknown> | undefined);
      if (!rule) return { issued: false, why: null };
      if (!carriers || !ring) return { issued: false, why: 'no carrier services in this worker' };
      const account = (await listCarrierAccounts(db, order.shop_id)).find((a) => a.carrier === rule.carrier);
      if (!account?.enabled || !account.sender) {
        return {
          issued: false,
          why: `shop ${order.shop_id} has no enabled ${rule.carrier} account with a return (sender) address`,
        };
      }
      const provider = carriers.waybillProvider(order.shop_id, { ...account, waybillChannel: rule.issuer });
      if (!provider?.createReturnWaybill || !provider.supports(rule.carrier)) {
        return { issued: false, why: `no ${rule.issuer} return service configured for ${rule.carrier}` };
      }
      const found = await findOrder(db, ring, input.orderId);
      const receiver = found?.order.effective_receiver ?? found?.order.receiver;
      if (!found || !receiver || receiver['protected'] === true) {
        return {
          issued: false,
          why: 'the buyer’s address is only readable through the platform: the buyer sends the parcel',
        };
      }
      const text = (key: string) => (typeof receiver[key] === 'string' ? (receiver[key] as string) : '');
      const buyer: WaybillContact = {
        name: text('name'),
        phone: text('phone'),
        address: {
          province: text('province'),
          city: text('city'),
          district: text('district'),
          ...(text('town') ? { town: text('town') } : {}),
          detail: text('detail'),
        },
      };
      const caseLines = await db
        .selectFrom('after_sale_case_lines as cl')
        .innerJoin('order_lines as ol', (join) =>
          join.onRef('ol.line_id', '=', 'cl.line_id').on('ol.order_id', '=', input.orderId),
        )
        .leftJoin('skus as s', 's.code', 'ol.sku_code')
        .select(['ol.title', 'cl.quantity', 's.weight_g'])
        .where('cl.case_id', '=', input.caseId)
        .execute();
      const weightG = Math.max(
        100,
        caseLines.reduce((sum, line) => sum + (line.weight_g ?? 500) * line.quantity, 0),
      );
      const sender = account.sender;
      const waybill = await asCarrierActivity(() =>
        provider.createReturnWaybill!({
          requestId: returnWaybillRequestId(input.caseId),
          carrier: rule.carrier,
          buyer,
          returnTo: { ...sender, address: { ...sender.address, district: sender.address.district ?? '' } },
          parcel: {
            weightG,
            items: caseLines.map((line) => ({ name: line.title, quantity: line.quantity })),
          },
          orderIds: [order.platform_order_id],
          ...(account.monthlyAccount ? { monthlyAccount: account.monthlyAccount } : {}),
          ...(account.serviceType ? { serviceType: account.serviceType } : {}),
          remark: `退货 ${input.caseId}`.slice(0, 100),
        }),
      );
      const updated = await db
        .updateTable('after_sale_returns')
        .set({
          waybill_source: rule.issuer,
          carrier_code: waybill.carrier,
          tracking_no: waybill.trackingNumber,
          status: 'in_transit',
          tracking_status: 'pending',
          waybill: JSON.stringify(waybill),
        })
        .where('case_id', '=', input.caseId)
        .where('tracking_no', 'is', null)
        .returningAll()
        .executeTakeFirst();
      const stored =
        updated ??
        (await db
          .selectFrom('after_sale_returns')
          .selectAll()
          .where('case_id', '=', input.caseId)
          .executeTakeFirstOrThrow());
      return { issued: true, parcel: parcelView(stored), sortCode: waybill.sortCode ?? null };
    },

    /**
     * Reads where the return parcel is by tracking (SF's own routes for SF return orders, the
     * aggregator otherwise) and keeps it on the return's row. Never fails the case: a parcel no
     * service can follow, or a tracking service that errs, answers `status: null` with why, and
     * the case reads it again later (the warehouse's scan is what receives it either way).
     */
    async followReturnParcel(input: { caseId: string }): Promise<ReturnTracking> {
      const row = await db
        .selectFrom('after_sale_returns')
        .selectAll()
        .where('case_id', '=', input.caseId)
        .executeTakeFirstOrThrow();
      const carrier = CarrierCodeSchema.safeParse(row.carrier_code);
      if (!row.tracking_no || !carrier.success) {
        return {
          status: null,
          description: null,
          at: null,
          why: `no carrier we follow: ${row.carrier_code}`,
        };
      }
      const issuer =
        row.waybill_source === 'sf' || row.waybill_source === 'cainiao' ? row.waybill_source : undefined;
      const route = trackingRouteFor(carrier.data, issuer, {
        aggregator: carriers?.tracking,
        sfRoutes: carriers?.sfRoutes,
      });
      if (!route.ok) return { status: null, description: null, at: null, why: route.reason };
      let events;
      let source;
      try {
        const snapshot = await route.provider.query({
          carrier: carrier.data,
          trackingNumber: row.tracking_no,
        });
        events = snapshot.events;
        source = snapshot.source;
      } catch (err) {
        return { status: null, description: null, at: null, why: (err as Error).message.slice(0, 300) };
      }
      await keepReturnScans(db, input.caseId, events, { source, via: 'poll' });
      if (events.length === 0) return { status: 'pending', description: null, at: null };
      const status = latestStatus(events);
      const last = events.reduce((a, b) => (Date.parse(b.at) >= Date.parse(a.at) ? b : a));
      if (row.tracking_status !== status) {
        await db
          .updateTable('after_sale_returns')
          .set({ tracking_status: status, tracked_at: new Date() })
          .where('case_id', '=', input.caseId)
          .execute();
      }
      return { status, description: last.description, at: last.at };
    },

    /**
     * Starts following the return parcel the way parcels going out are followed: the tracking
     * service that follows it (SF's routes for SF return orders, the aggregator otherwise) is asked
     * to push its scans to `/webhooks/tracking/kuaidi100` (API_PUBLIC_URL) — SF pushes orders placed
     * through 丰桥 without asking — and answers the knobs the case polls and escalates by. A
     * subscription that fails leaves the parcel polled; it never fails the case.
     */
    async watchReturnParcel(input: { caseId: string }): Promise<ReturnWatch> {
      const knobs = {
        pollSeconds: config?.TRACKING_POLL_SECONDS ?? 1800,
        noScanSeconds: config?.RETURN_NO_SCAN_SECONDS ?? 5 * 86_400,
        unreceivedSeconds: config?.RETURN_UNRECEIVED_SECONDS ?? 2 * 86_400,
        untrackedSeconds: config?.RETURN_UNTRACKED_SECONDS ?? 7 * 86_400,
        trackable: true,
      };
      const route = await caseReturnRoute(input.caseId);
      if (!route.ok) return { ...knobs, trackable: false, followedBy: 'poll', why: route.reason };
      const base = config?.API_PUBLIC_URL?.replace(/\/$/, '');
      const { provider, carrier, trackingNo } = route;
      if (!provider.subscribe) {
        return { ...knobs, followedBy: 'poll', why: `${provider.name} does not push to us` };
      }
      // SF pushes every order placed through 丰桥 by itself (its subscribe is a no-op); the others
      // push to the URL they are given.
      if (!base && provider.name !== 'sf') {
        return { ...knobs, followedBy: 'poll', why: 'no public URL (API_PUBLIC_URL) to push to' };
      }
      try {
        await provider.subscribe({
          carrier,
          trackingNumber: trackingNo,
          callbackUrl: `${base ?? ''}/webhooks/tracking/kuaidi100`,
        });
      } catch (err) {
        return {
          ...knobs,
          followedBy: 'poll',
          why: `the ${provider.name} subscription failed: ${(err as Error).message.slice(0, 200)}`,
        };
      }
      return { ...knobs, followedBy: 'push' };
    },

    /**
     * The return parcel's scans as its tracking service has them now (a poll, when no push came
     * for a while). Never fails the case: a parcel no service follows, or a service that errs,
     * answers `events: null` with why, and the case reads it again later.
     */
    async readReturnTracking(input: { caseId: string }): Promise<ReturnRoute> {
      const route = await caseReturnRoute(input.caseId);
      if (!route.ok) return { events: null, why: route.reason };
      let snapshot;
      try {
        snapshot = await route.provider.query({
          carrier: route.carrier,
          trackingNumber: route.trackingNo,
        });
      } catch (err) {
        return { events: null, why: (err as Error).message.slice(0, 300) };
      }
      // Kept for the case's page (its route); the case itself takes the scans from the answer.
      await keepReturnScans(db, input.caseId, snapshot.events, { source: snapshot.source, via: 'poll' });
      return { events: snapshot.events };
    },

    /** Keeps where tracking last saw the return parcel on its row (`tracking_status`, `tracked_at`). */
    async noteReturnTracking(input: { caseId: string; status: string }): Promise<void> {
      if (!(TRACKING_STATUSES as readonly string[]).includes(input.status)) return;
      await db
        .updateTable('after_sale_returns')
        .set({ tracking_status: input.status, tracked_at: new Date() })
        .where('case_id', '=', input.caseId)
        .execute();
    },

    /**
     * The return parcel needs a person: no new scan for `seconds` (`stalled`), reported delivered
     * (back, refused) `seconds` ago and not received at the warehouse (`unreceived`), or — a parcel
     * no tracking service follows — sent back `seconds` ago and not at the warehouse (`overdue`). An
     * alert for the shop's ops about the case (`caseId`: one open per case and kind, resolved by the
     * case — `settleReturnAlerts`); cases that began following before that name no case, and
     * theirs is one open per shop and kind (a repeat bumps it with this message).
     */
    async escalateReturnParcel(input: {
      shopId: string;
      platformCaseId: string;
      caseId?: string;
      kind: 'stalled' | 'unreceived' | 'overdue';
      carrier: string | null;
      trackingNo: string | null;
      seconds: number;
      tracking?: string | null;
    }): Promise<void> {
      const parcel = `return parcel ${input.carrier ?? ''} ${input.trackingNo ?? ''} of after-sales case ${input.platformCaseId}`;
      await raiseAlert(db, {
        shopId: input.shopId,
        ...(input.caseId ? { subject: input.caseId } : {}),
        ...(input.kind === 'stalled'
          ? {
              kind: 'return_parcel_stalled' as const,
              message: `${parcel} has had no new scan for ${spanText(input.seconds)}: ask the carrier (or the buyer) where it is; the warehouse's receipt still ends the wait`,
            }
          : input.kind === 'unreceived'
            ? {
                kind: 'return_not_received' as const,
                message: `${parcel} was ${input.tracking ?? 'delivered'} ${spanText(input.seconds)} ago and is not received at the warehouse: look for it at the warehouse, or ask the carrier; the warehouse's receipt still ends the wait`,
              }
            : {
                kind: 'return_parcel_overdue' as const,
                message: `${parcel} was sent back ${spanText(input.seconds)} ago and has not reached the warehouse; no tracking service follows it: look for it at the warehouse, or ask the buyer (or the platform) where it is; the warehouse's receipt still ends the wait`,
              }),
      });
    },

    /**
     * Resolves the case's own return-parcel alerts of these kinds: the parcel moved again, or the
     * warehouse received it. Resolving what is already resolved changes nothing (a retried activity).
     */
    async settleReturnAlerts(input: {
      caseId: string;
      kinds: ReadonlyArray<'return_parcel_stalled' | 'return_not_received' | 'return_parcel_overdue'>;
    }): Promise<void> {
      await resolveSubjectAlerts(db, { subject: input.caseId, kinds: input.kinds });
    },

    /** Records that the case waits for a parcel back, with the buyer's own waybill when given. */
    async openReturn(input: {
      caseId: string;
      orderId: string;
      waybill: ReturnWaybill | null;
    }): Promise<ReturnParcelView> {
      await db
        .insertInto('after_sale_returns')
        .values({
          case_id: input.caseId,
          order_id: input.orderId,
          waybill_source: input.waybill ? 'buyer' : null,
          carrier_code: input.waybill?.carrierCode ?? null,
          tracking_no: input.waybill?.trackingNo ?? null,
          status: input.waybill ? 'in_transit' : 'awaiting_parcel',
        })
        .onConflict((c) => c.column('case_id').doNothing())
        .execute();
      return caseParcel(input.caseId);
    },

    /**
     * The buyer's waybill the platform reported after the return was agreed (the buyer filled in
     * company and number on the platform when sending the goods): written on the return's row that
     * waited without one, so the warehouse's scan of the number, the tracking webhooks and the
     * case's page find it. A row that has a waybill already, or whose parcel was received
     * meanwhile, keeps what it has (a retried activity writes nothing twice).
     */
    async noteBuyerReturnWaybill(input: {
      caseId: string;
      waybill: ReturnWaybill;
    }): Promise<ReturnParcelView> {
      await db
        .updateTable('after_sale_returns')
        .set({
          waybill_source: 'buyer',
          carrier_code: input.waybill.carrierCode,
          tracking_no: input.waybill.trackingNo,
          status: 'in_transit',
          tracking_status: 'pending',
        })
        .where('case_id', '=', input.caseId)
        .where('tracking_no', 'is', null)
        .where('status', '=', 'awaiting_parcel')
        .execute();
      return caseParcel(input.caseId);
    },

    /**
     * Inspects the case's receipt line by line: the resaleable units the case covers go back to
     * available stock through the ledger (one `return_restock` operation keyed by the case; bundle
     * lines as their components), damaged units are written off with their reason (they left
     * stock when shipped and never re-enter it), wrong items and extra units are held for a person.
     */
    async shelveReturn(input: {
      caseId: string;
      orderId: string;
      lines: CaseLine[];
    }): Promise<ReturnInspection> {
      const receipt = await db
        .selectFrom('after_sale_return_receipts')
        .selectAll()
        .where('case_id', '=', input.caseId)
        .executeTakeFirstOrThrow();
      // What earlier returns on the same order lines took back: a line never comes back twice.
      const earlier = await db
        .selectFrom('after_sale_return_lines as l')
        .innerJoin('after_sale_returns as r', 'r.case_id', 'l.case_id')
        .select([
          'l.line_id',
          (eb) => eb.fn.sum<string>(eb('l.restocked_qty', '+', eb.ref('l.written_off_qty'))).as('back'),
        ])
        .where('r.order_id', '=', input.orderId)
        .where('l.case_id', '!=', input.caseId)
        .groupBy('l.line_id')
        .execute();
      const order = await db
        .selectFrom('orders')
        .select(['platform', 'shop_id'])
        .where('id', '=', input.orderId)
        .executeTakeFirstOrThrow();
      const orderLines = await db
        .selectFrom('order_lines')
        .select(['line_id', 'sku_code', 'platform_sku_id', 'title', 'quantity'])
        .where('order_id', '=', input.orderId)
        .execute();
      const skuOf = new Map(orderLines.map((line) => [line.line_id, line.sku_code]));
      const back = new Map(earlier.map((row) => [row.line_id, Number(row.back)]));
      const room = new Map(
        orderLines.map((line) => [line.line_id, line.quantity - (back.get(line.line_id) ?? 0)]),
      );
      const inspection = inspectReturn(input.lines, receipt.lines, room);
      const toShelve = inspection.lines.filter((line) => line.restock > 0);
      if (toShelve.length > 0) {
        const resolved = await resolveOrderLines(db, {
          platform: order.platform as Platform,
          shopId: order.shop_id,
          lines: toShelve.map((line) => {
            const ordered = orderLines.find((l) => l.line_id === line.lineId)!;
            return {
              lineId: line.lineId,
              skuCode: ordered.sku_code,
              platformSkuId: ordered.platform_sku_id,
              title: ordered.title,
              quantity: line.restock,
              unitPriceFen: 0,
              discountFen: 0,
            };
          }),
        });
        await asActivity(() =>
          returnRestock(db, {
            key: `return-restock:${input.caseId}`,
            warehouse: receipt.warehouse_code,
            orderId: input.orderId,
            reference: input.caseId,
            lines: resolved.lines.map((line) => ({ sku: line.sku, qty: line.qty })),
            reason: 'return inspected resaleable',
            actor: receipt.actor,
          }),
        );
      }
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('after_sale_return_lines')
          .values(
            inspection.lines.map((line) => ({
              case_id: input.caseId,
              line_id: line.lineId,
              sku_code: skuOf.get(line.lineId) ?? '',
              expected_qty: line.expected,
              restocked_qty: line.restock,
              written_off_qty: line.writeOff,
              held_qty: line.held,
              notes: line.notes.length ? line.notes.join('; ') : null,
            })),
          )
          .onConflict((c) => c.columns(['case_id', 'line_id']).doNothing())
          .execute();
        await trx
          .updateTable('after_sale_returns')
          .set({ status: 'inspected' })
          .where('case_id', '=', input.caseId)
          .execute();
      });
      return inspection;
    },
  };
}

function parcelView(row: {
  waybill_source: string | null;
  carrier_code: string | null;
  tracking_no: string | null;
  status: string;
}): ReturnParcelView {
  return {
    source: row.waybill_source as ReturnParcelView['source'],
    carrierCode: row.carrier_code,
    trackingNo: row.tracking_no,
    status: row.status,
  };
}

function sortCodeOf(waybill: Record<string, unknown> | null): string | null {
  return typeof waybill?.['sortCode'] === 'string' ? waybill['sortCode'] : null;
}

/** The service that follows a return parcel: SF's routes for an SF return order, the aggregator otherwise. */
function returnRouteOf(
  row: { carrier_code: string | null; tracking_no: string | null; waybill_source: string | null },
  carriers: CarrierServices | undefined,
):
  | { ok: true; provider: TrackingProvider; carrier: CarrierCode; trackingNo: string }
  | { ok: false; reason: string } {
  const carrier = CarrierCodeSchema.safeParse(row.carrier_code);
  if (!row.tracking_no || !carrier.success) {
    return { ok: false, reason: `no carrier we follow: ${row.carrier_code}` };
  }
  const issuer =
    row.waybill_source === 'sf' || row.waybill_source === 'cainiao' ? row.waybill_source : undefined;
  const route = trackingRouteFor(carrier.data, issuer, {
    aggregator: carriers?.tracking,
    sfRoutes: carriers?.sfRoutes,
  });
  if (!route.ok) return route;
  return { ok: true, provider: route.provider, carrier: carrier.data, trackingNo: row.tracking_no };
}
