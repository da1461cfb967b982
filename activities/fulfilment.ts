import { activityInfo, heartbeat } from '@temporalio/activity';
import { keepAlive } from './keep-alive.js';
import { loadWarehouseRow } from './warehouses.js';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { sql, type Transaction } from 'kysely';
import { shipmentTaskQueue, waveTaskQueue, type Config } from '../config/index.js';
import { isExchangeOrderId, isReshipOrderId } from '../domain/after-sales.js';
import type { Db } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import type { CarrierCode } from '../domain/carriers/codes.js';
import type { EventFence } from '../domain/event-fence.js';
import type { TrackingSnapshot } from '../domain/carriers/tracking.js';
import type { NormalizedOrder, Receiver } from '../domain/order.js';
import {
  DEFAULT_MERGE_POLICY,
  type CarrierLimits,
  type MergePolicy,
  type Parcel,
} from '../domain/parcels/types.js';
import {
  parcelsAssignedSignal,
  shipmentCancelOrderSignal,
  waveCandidateSignal,
  waveOrderWithdrawnSignal,
  type ShipmentOrderRef,
  type ShipmentWorkflowInput,
  type WaveCandidate,
  type WaveEntry,
  type WaveWorkflowInput,
} from '../workflows/messages.js';
import { raiseAlert, resolveAlerts } from '../db/queries/alerts.js';
import { parcelShipmentLines, recordedParcelEvents } from '../db/queries/wms.js';
import type { WmsEvent } from '../domain/wms/adapter.js';
import { listCarrierAccounts } from '../db/queries/carriers.js';
import { listWaybillAccounts } from '../db/queries/waybill-accounts.js';
import { platformIssues, type WaybillService } from '../domain/carriers/waybill-account.js';
import { saveLabel } from '../db/queries/labels.js';
import { dataKeyring } from '../db/crypto/data-keys.js';
import { appendOrderEvents, type OrderEventInput } from '../db/queries/orders.js';
import {
  FENCE_ANSWER,
  lastEventColumns,
  SHIPMENT_TIMELINE,
  timelineWrite,
  writeOnTimeline,
} from '../db/queries/timeline-fence.js';
import {
  addWaveCandidate,
  claimWave,
  loadWaveContents,
  withdrawWaveCandidates,
  type CandidateKey,
} from '../db/queries/waves.js';
import { formParcels } from '../domain/parcels/form.js';
import { mapLimit } from '../domain/map-limit.js';
import type { Waybill, WaybillContact, WaybillReceiver } from '../integrations/carriers/types.js';
import { labelFromWaybill, type LabelLine } from '../integrations/carriers/labels/model.js';
import { checkLabel } from '../integrations/carriers/labels/render.js';
import type { PlatformGateway } from '../integrations/platforms/gateway.js';
import { AuthError, RequestRejectedError } from '../integrations/platforms/errors.js';
import { RECEIVER_WITHHELD_FAILURE, type ReceiverWithheld } from '../domain/receiver-withheld.js';
import { classifyUploadRejection } from '../integrations/platforms/upload-rejection.js';
import { UPLOAD_REJECTED_FAILURE, type UploadRejection } from '../domain/upload-rejection.js';

export interface FulfilmentDeps {
  db: Db;
  client: Client;
  config: Config;
  platforms: PlatformGateway;
}

export interface WavePolicy {
  windowSeconds: number;
  sizeCap: number;
  merge: MergePolicy;
  carrierLimits: CarrierLimits;
  /** WORKFLOW_HISTORY_LIMIT (absent in older histories). */
  historyLimit?: number;
}

/** One event of a shipment's timeline, with what it moves on the shipment's row. */
export interface ShipmentEventInput {
  shipment: {
    id: string;
    waveId: string;
    warehouse: string;
    handling: string;
    urgent: boolean;
    orders: { orderId: string; lineIds: string[] }[];
  };
  seq: number;
  /** Where in the workflow's history the event was emitted; absent from older workers. */
  fence?: EventFence;
  stage: string;
  actor: string;
  detail: Record<string, unknown>;
  at: string;
  patch: ShipmentPatch;
}

export interface ShipmentPolicy {
  trackingPollSeconds: number;
  noScanSeconds: number;
  /** PARCEL_LOST_AFTER_SECONDS: silence that declares a shipped parcel lost (absent in older histories). */
  lostAfterSeconds?: number;
  trackingCallbackUrl: string | null;
  /** Try the next eligible carrier when one refuses the waybill (absent in older histories: true). */
  carrierFallback?: boolean;
  /** WORKFLOW_HISTORY_LIMIT: the shipment continues as new past it (absent in older histories). */
  historyLimit?: number;
  /**
   * PLATFORM_DELIVERY_HORIZON_SECONDS: a platform-carried parcel not reported delivered this long
   * after handover is closed as delivered, unconfirmed (absent in older histories: the default).
   */
  platformDeliveryHorizonSeconds?: number;
}

export interface ShipmentPatch {
  stage?: string;
  carrier?: CarrierCode | null;
  carrierReason?: string | null;
  costFen?: number | null;
  trackingNumber?: string | null;
  trackingStatus?: string | null;
  waybill?: Record<string, unknown> | null;
  weightG?: number;
  lengthMm?: number;
  widthMm?: number;
  heightMm?: number;
  exceptionKind?: string | null;
  exceptionDetail?: string | null;
  pickedAt?: string;
  packedAt?: string;
  labelledAt?: string;
  shippedAt?: string;
  firstScanAt?: string;
  deliveredAt?: string;
  exceptionAt?: string | null;
}

const COLUMN_OF: Record<keyof ShipmentPatch, string> = {
  stage: 'stage',
  carrier: 'carrier',
  carrierReason: 'carrier_reason',
  costFen: 'cost_fen',
  trackingNumber: 'tracking_number',
  trackingStatus: 'tracking_status',
  waybill: 'waybill',
  weightG: 'weight_g',
  lengthMm: 'length_mm',
  widthMm: 'width_mm',
  heightMm: 'height_mm',
  exceptionKind: 'exception_kind',
  exceptionDetail: 'exception_detail',
  pickedAt: 'picked_at',
  packedAt: 'packed_at',
  labelledAt: 'labelled_at',
  shippedAt: 'shipped_at',
  firstScanAt: 'first_scan_at',
  deliveredAt: 'delivered_at',
  exceptionAt: 'exception_at',
};

/**
 * The event and the shipment's row in one statement (one round trip), after the timeline is
 * locked (timelineWrite): the event, and the row moved forward if this is its newest event.
 */
async function writeShipmentEvent(
  trx: Transaction<Database>,
  input: ShipmentEventInput,
): Promise<{ stale: boolean; lost: boolean }> {
  const set: Record<string, unknown> = {
    ...lastEventColumns(input.seq, input.fence),
    updated_at: input.at,
  };
  for (const [key, value] of Object.entries(input.patch)) {
    const column = COLUMN_OF[key as keyof ShipmentPatch];
    set[column] = key === 'waybill' && value ? JSON.stringify(value) : value;
  }
  return timelineWrite(trx, SHIPMENT_TIMELINE, {
    id: input.shipment.id,
    seq: input.seq,
    fence: input.fence,
    columns: [
      ['stage', input.stage, 'text'],
      ['actor', input.actor, 'text'],
      ['detail', JSON.stringify(input.detail), 'jsonb'],
      ['at', input.at, 'timestamptz'],
    ],
    set,
  })
    .selectNoFrom(FENCE_ANSWER)
    .executeTakeFirstOrThrow();
}

/** How far a dispatch got: the first `shipments` parcels have their workflow, the first `orders` their signal. */
interface DispatchProgress {
  shipments: number;
  orders: number;
}

const DISPATCH_BATCH = 100;

/**
 * Runs `fn` over `items` a batch at a time from where an earlier attempt of this activity reported
 * it had got to, heartbeating the new mark after each batch. A big wave's dispatch on a busy server
 * can outlast one attempt; the retry then carries on instead of starting every shipment again.
 */
async function resumably<T>(
  items: readonly T[],
  progress: DispatchProgress,
  phase: keyof DispatchProgress,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  for (let from = progress[phase]; from < items.length; from += DISPATCH_BATCH) {
    await mapLimit(items.slice(from, from + DISPATCH_BATCH), 16, async (item) => {
      await fn(item);
      heartbeat(progress);
    });
    progress[phase] = Math.min(items.length, from + DISPATCH_BATCH);
    heartbeat(progress);
  }
}

function dispatchProgress(): DispatchProgress {
  const details: unknown = activityInfo().heartbeatDetails;
  const d = (details ?? {}) as Partial<DispatchProgress>;
  return { shipments: Number(d.shipments) || 0, orders: Number(d.orders) || 0 };
}

/**
 * Activities that move orders through waves into shipments and keep the shipment projection:
 * joining a warehouse's wave, starting a shipment per parcel, tracking uploads to platforms.
 */
export function createFulfilmentActivities({ db, client, config, platforms }: FulfilmentDeps) {
  const ring = dataKeyring(config);
  // Shipments wait for no order task: a queue of their own (a shipment started before runs on, and
  // continues as new on, the orders queue).
  const shipmentQueue = shipmentTaskQueue(config);
  const decrypt = async (order: ShipmentOrderRef): Promise<Receiver> =>
    order.receiver.protected
      ? platforms.decryptReceiver(order.shopId, {
          platform: order.platform as NormalizedOrder['platform'],
          shopId: order.shopId,
          platformOrderId: order.platformOrderId,
          receiver: order.receiver,
        })
      : order.receiver;
  /**
   * The receiver for a waybill: an authorization the platform refuses (or a request it refuses for
   * good) is answered the same on every retry, so it fails the activity for good, typed, and the
   * shipment stops for a person (re-authorize the shop, then resume) instead of retrying forever.
   */
  const decryptForWaybill = (order: ShipmentOrderRef): Promise<Receiver> =>
    withheldIfRefused(order, () => decrypt(order));
  const withheldIfRefused = async <T>(order: ShipmentOrderRef, ask: () => Promise<T>): Promise<T> => {
    try {
      return await ask();
    } catch (err) {
      if (!(err instanceof AuthError) && !(err instanceof RequestRejectedError)) throw err;
      const withheld: ReceiverWithheld = {
        kind: err instanceof AuthError ? 'unauthorized' : 'refused',
        platform: err.platform,
        reason: err.message,
        code: err.code ?? null,
      };
      throw ApplicationFailure.create({
        type: RECEIVER_WITHHELD_FAILURE,
        message: `${withheld.platform} would not give the receiver of ${order.platformOrderId}: ${withheld.reason}`,
        nonRetryable: true,
        details: [withheld],
      });
    }
  };
  const activities = {
    async loadWavePolicy(_input: { warehouse: string }): Promise<WavePolicy> {
      return {
        windowSeconds: config.WAVE_WINDOW_SECONDS,
        sizeCap: config.WAVE_SIZE_CAP,
        merge: { ...DEFAULT_MERGE_POLICY, crossShop: config.MERGE_CROSS_SHOP },
        carrierLimits: { maxWeightG: config.PARCEL_MAX_WEIGHT_G },
        historyLimit: config.WORKFLOW_HISTORY_LIMIT,
      };
    },

    async loadShipmentPolicy(): Promise<ShipmentPolicy> {
      const base = config.API_PUBLIC_URL?.replace(/\/$/, '');
      return {
        trackingPollSeconds: config.TRACKING_POLL_SECONDS,
        noScanSeconds: config.TRACKING_NO_SCAN_SECONDS,
        lostAfterSeconds: config.PARCEL_LOST_AFTER_SECONDS,
        trackingCallbackUrl: base ? `${base}/webhooks/tracking/kuaidi100` : null,
        carrierFallback: config.CARRIER_FALLBACK,
        historyLimit: config.WORKFLOW_HISTORY_LIMIT,
        platformDeliveryHorizonSeconds: config.PLATFORM_DELIVERY_HORIZON_SECONDS,
      };
    },

    /**
     * Hands an order's share at one warehouse to that warehouse's wave (starting it if needed): the
     * entry is kept as a candidate row, the wave is told only its key. Safe to retry: a join whose
     * key is stored is not added again, and one a wave already took (or the order withdrew) is not
     * offered to the wave again, so a workflow task that ran it and was retried leaves the order in
     * one wave.
     */
    async joinWave(input: {
      warehouse: string;
      entry: WaveEntry;
      joinKey?: string;
      /** The order's stage events written first (order-combined-stage-writes: its `allocated`). */
      orderEvents?: OrderEventInput[];
    }): Promise<void> {
      await appendOrderEvents(db, ring, input.orderEvents);
      const joined = await addWaveCandidate(db, ring, input.warehouse, input.entry, input.joinKey);
      if (!joined.waiting) return;
      const candidate: WaveCandidate = {
        orderId: joined.orderId,
        joinKey: joined.joinKey,
        urgent: joined.urgent,
        readyAt: joined.readyAt,
      };
      await client.workflow.signalWithStart('waveWorkflow', {
        workflowId: `wave:${input.warehouse}`,
        // A queue of its own: started here, it never waits behind a burst's order tasks. A wave
        // workflow started before runs on (and continues as new on) the orders queue.
        taskQueue: waveTaskQueue(config),
        args: [{ warehouse: input.warehouse, seq: 0, pending: [] } satisfies WaveWorkflowInput],
        signal: waveCandidateSignal,
        signalArgs: [candidate],
      });
    },

    /** `withdrawn` is false when the wave had already taken the order (its parcels are on their way). */
    async withdrawFromWave(input: {
      warehouse: string;
      orderId: string;
      reason: string;
    }): Promise<{ withdrawn: boolean }> {
      const withdrawn = (await withdrawWaveCandidates(db, input.warehouse, input.orderId)) > 0;
      try {
        await client.workflow
          .getHandle(`wave:${input.warehouse}`)
          .signal(waveOrderWithdrawnSignal, { orderId: input.orderId, reason: input.reason });
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
      return { withdrawn };
    },

    /**
     * Starts one shipment workflow per parcel and tells every order in the wave which parcels
     * carry it. Safe to retry: shipments start once (existing ones are kept), orders ignore a
     * repeated assignment. An order that closed meanwhile has its part cancelled in the shipment.
     */
    /**
     * Forms a wave from the candidates the wave workflow names: claims those still waiting, merges
     * and splits them into parcels and stores those, once per wave id. Returns only the counts.
     */
    async formWave(input: {
      waveId: string;
      warehouse: string;
      candidates: CandidateKey[];
      carrierLimits: CarrierLimits;
      merge: MergePolicy;
    }): Promise<{ parcels: number; orders: number }> {
      // A big wave on a busy database takes a while: heartbeats tell a slow attempt from a lost one.
      const wave = await keepAlive(() =>
        claimWave<WaveEntry>(db, ring, {
          waveId: input.waveId,
          warehouse: input.warehouse,
          candidates: input.candidates,
          form: (orders) =>
            formParcels(orders, {
              carrierLimits: input.carrierLimits,
              policy: input.merge,
              idPrefix: input.waveId,
            }),
        }),
      );
      return { parcels: wave.parcels.length, orders: wave.entries.length };
    },

    async dispatchWave(input: { waveId: string; warehouse: string }) {
      const { parcels, entries } = await loadWaveContents<WaveEntry>(db, ring, input.waveId);
      const refs = new Map(entries.map((e) => [e.ready.orderId, e]));
      const progress = dispatchProgress();
      await resumably(parcels, progress, 'shipments', async (parcel) => {
        const orders: ShipmentOrderRef[] = parcel.orderIds.map((orderId) => ({
          ...refs.get(orderId)!.ref,
          lineIds: [...new Set(parcel.contents.filter((c) => c.orderId === orderId).map((c) => c.lineId))],
        }));
        const args: ShipmentWorkflowInput = {
          shipmentId: parcel.id,
          waveId: input.waveId,
          warehouse: input.warehouse,
          parcel,
          orders,
        };
        await client.workflow.start('shipmentWorkflow', {
          workflowId: `shipment:${parcel.id}`,
          taskQueue: shipmentQueue,
          args: [args],
          workflowIdConflictPolicy: 'USE_EXISTING',
        });
      });
      const byOrder = new Map<string, Parcel[]>();
      for (const p of parcels) for (const id of p.orderIds) byOrder.set(id, [...(byOrder.get(id) ?? []), p]);
      await resumably(entries, progress, 'orders', async (entry) => {
        const orderId = entry.ready.orderId;
        const mine = byOrder.get(orderId) ?? [];
        try {
          await client.workflow.getHandle(orderId).signal(parcelsAssignedSignal, {
            warehouse: input.warehouse,
            waveId: input.waveId,
            allocationId: entry.ready.allocationId,
            parcels: mine.map((p) => ({
              parcelId: p.id,
              shipmentId: p.id,
              contents: p.contents.filter((c) => c.orderId === orderId),
              mergedWith: p.orderIds.filter((id) => id !== orderId),
              reason: p.reason,
            })),
          });
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
          for (const p of mine) {
            await client.workflow.getHandle(`shipment:${p.id}`).signal(shipmentCancelOrderSignal, {
              orderId,
              reason: 'the order closed before its parcel was formed',
            });
          }
        }
      });
      return { shipments: parcels.length, orders: entries.length };
    },

    /**
     * A shipment's start in one activity (shipment-combined-start): its `created` event written,
     * what the warehouse confirmed before it started read (when asked), and the policy it runs
     * under — before, three local activities in a row with nothing decided between them.
     */
    async startShipment(input: {
      created: ShipmentEventInput;
      recorded?: { parcelId: string; waveId: string };
    }): Promise<{ policy: ShipmentPolicy; recorded: WmsEvent[] | null }> {
      await activities.recordShipmentEvent(input.created);
      const recorded = input.recorded ? await recordedParcelEvents(db, input.recorded) : null;
      return { policy: await activities.loadShipmentPolicy(), recorded };
    },

    /**
     * Appends to the shipment's timeline and moves its row forward; an older event never overwrites
     * a newer one, and a lost workflow task's event gives way to the real one (db/queries/timeline-fence.ts).
     */
    async recordShipmentEvent(input: ShipmentEventInput): Promise<void> {
      const s = input.shipment;
      await db.transaction().execute(async (trx) => {
        // The shipment's row and its orders exist before its timeline is locked: one statement.
        await trx
          .with('shipment', (qb) =>
            qb
              .insertInto('shipments')
              .values({
                id: s.id,
                wave_id: s.waveId,
                warehouse_code: s.warehouse,
                stage: 'picking',
                handling: s.handling,
                urgent: s.urgent,
                order_ids: s.orders.map((o) => o.orderId),
                updated_at: input.at,
              })
              .onConflict((oc) => oc.column('id').doNothing()),
          )
          .insertInto('shipment_orders')
          .values(s.orders.map((o) => ({ shipment_id: s.id, order_id: o.orderId, line_ids: o.lineIds })))
          .onConflict((oc) => oc.columns(['shipment_id', 'order_id']).doNothing())
          .execute();
        const place = { id: s.id, seq: input.seq, fence: input.fence };
        await writeOnTimeline(trx, SHIPMENT_TIMELINE, place, () => writeShipmentEvent(trx, input));
      });
    },

    /** Stores the carrier's route events once each (pushes and polls overlap). */
    async recordTracking(input: {
      shipmentId: string;
      snapshot: TrackingSnapshot;
    }): Promise<{ added: number }> {
      const { snapshot } = input;
      if (snapshot.events.length === 0) return { added: 0 };
      const inserted = await db
        .insertInto('tracking_events')
        .values(
          snapshot.events.map((e) => ({
            shipment_id: input.shipmentId,
            at: e.at,
            status: e.status,
            description: e.description,
            location: e.location ?? null,
            source: snapshot.source,
          })),
        )
        .onConflict((oc) => oc.columns(['shipment_id', 'at', 'description']).doNothing())
        .returning('at')
        .execute();
      return { added: inserted.length };
    },

    /**
     * Uploads the tracking number to one order's platform, retried (by Temporal) until the platform
     * accepts it. Recorded once per order and parcel; attempts are counted for ops.
     */
    async uploadTracking(input: {
      shipmentId: string;
      orderId: string;
      shopId: string;
      platformOrderId: string;
      carrier: CarrierCode;
      trackingNumber: string;
      lineIds: string[];
      shippedAt: string;
      /** Whole order in this parcel: the platform gets no line list. */
      wholeOrder: boolean;
    }): Promise<{ outcome: 'confirmed' | 'unsupported' | 'already'; reason?: string }> {
      const row = await db
        .updateTable('shipment_orders')
        .set({ upload_attempts: sql`upload_attempts + 1` })
        .where('shipment_id', '=', input.shipmentId)
        .where('order_id', '=', input.orderId)
        .returning(['tracking_uploaded_at', 'upload_skipped'])
        .executeTakeFirst();
      if (row?.tracking_uploaded_at || row?.upload_skipped) return { outcome: 'already' };
      // A marketplace exchange's replacement (or a reship's parcel) is no order of the platform's:
      // its after-sales case tells the platform the tracking number (Tmall
      // tmall.exchange.consigngoods), or shows it for a person to enter (a reship).
      if (isExchangeOrderId(input.platformOrderId)) {
        const shop = await db
          .selectFrom('shops')
          .select('platform')
          .where('id', '=', input.shopId)
          .executeTakeFirst();
        if (shop && shop.platform !== 'own') {
          const reason = isReshipOrderId(input.platformOrderId)
            ? "a reship: a person enters its waybill in the platform's back office (the after-sales case shows it)"
            : 'an exchange replacement: the after-sales case tells the platform';
          await db
            .updateTable('shipment_orders')
            .set({ upload_skipped: reason })
            .where('shipment_id', '=', input.shipmentId)
            .where('order_id', '=', input.orderId)
            .execute();
          return { outcome: 'unsupported', reason };
        }
      }
      // The parcel's own units of each line, for platforms that confirm quantities: a line the wave
      // split by weight leaves in two parcels though each names it (so `wholeOrder` cannot tell).
      const carried = await parcelShipmentLines(db, { orderId: input.orderId, parcelId: input.shipmentId });
      let result: Awaited<ReturnType<PlatformGateway['confirmShipment']>>;
      try {
        result = await platforms.confirmShipment(input.shopId, {
          platformOrderId: input.platformOrderId,
          carrier: input.carrier,
          trackingNumber: input.trackingNumber,
          shippedAt: new Date(input.shippedAt),
          ...(input.wholeOrder ? {} : { lineIds: input.lineIds }),
          ...(carried && !carried.whole ? { lines: carried.lines } : {}),
        });
      } catch (err) {
        // A refusal the platform will repeat on every retry stops here, typed, with its kind.
        if (!(err instanceof RequestRejectedError)) throw err;
        const rejection: UploadRejection = {
          kind: classifyUploadRejection({ code: err.code ?? null, message: err.message }),
          platform: err.platform,
          reason: err.message,
          code: err.code ?? null,
        };
        await db
          .updateTable('shipment_orders')
          .set({ upload_skipped: `rejected (${rejection.kind}): ${rejection.reason}`.slice(0, 500) })
          .where('shipment_id', '=', input.shipmentId)
          .where('order_id', '=', input.orderId)
          .execute();
        await raiseAlert(db, {
          shopId: input.shopId,
          kind: 'shipment_exception',
          message: `${input.shipmentId}: ${input.platformOrderId} refused tracking ${input.trackingNumber} (${rejection.kind}): ${rejection.reason}`,
        });
        throw ApplicationFailure.create({
          type: UPLOAD_REJECTED_FAILURE,
          message: `${rejection.platform} refused the tracking upload: ${rejection.reason}`,
          nonRetryable: true,
          details: [rejection],
        });
      }
      await db
        .updateTable('shipment_orders')
        .set(
          result.outcome === 'confirmed'
            ? { tracking_uploaded_at: new Date() }
            : { upload_skipped: result.reason },
        )
        .where('shipment_id', '=', input.shipmentId)
        .where('order_id', '=', input.orderId)
        .execute();
      return result;
    },

    /** A receiver the carrier can print: plaintext, or the platform's decrypted one. */
    async decryptReceiver(input: { order: ShipmentOrderRef }): Promise<Receiver> {
      return decrypt(input.order);
    },

    /**
     * The receiver as the waybill service can take it: Taobao/Tmall orders through Cainiao travel as
     * OAID + order id (Cainiao decrypts inside the waybill service); everything else in plaintext,
     * decrypted through the platform when it is protected. The label's receiver is always the
     * deliverable one; it is printed as a privacy waybill (name and phone masked).
     */
    async waybillReceiverFor(input: {
      carrier: CarrierCode;
      order: ShipmentOrderRef;
      /** The warehouse shipping the parcel: its waybill accounts decide whether PDD's own issues. */
      warehouse?: string;
    }): Promise<{ waybill: WaybillReceiver; label: WaybillContact }> {
      const { order } = input;
      const region = {
        province: order.receiver.province,
        city: order.receiver.city,
        district: order.receiver.district,
        ...(order.receiver.town ? { town: order.receiver.town } : {}),
      };
      const asLabel = (r: Receiver): WaybillContact => ({
        name: r.name,
        phone: r.phone,
        address: { ...region, detail: r.detail },
      });
      // A PDD or Douyin order whose shop has the platform's own e-waybill account for the carrier:
      // the ciphertext goes to the platform as it is and nothing is decrypted. The label keeps the
      // order's masks; the deliverable label is printed by the platform's print component from the
      // sealed print data.
      const sealing = order.platform === 'pdd' || order.platform === 'douyin' ? order.platform : null;
      if (
        sealing &&
        order.receiver.protected &&
        (await issuesThroughPlatform(db, order.shopId, input.carrier, input.warehouse ?? null, sealing))
      ) {
        const sealed = await withheldIfRefused(order, () =>
          platforms.receiverCiphertext(order.shopId, { ...order, platform: sealing }),
        );
        if (sealed) {
          return {
            waybill: {
              protected: 'ciphertext',
              // Recorded PDD runs carry no platform: absent means PDD.
              ...(sealing === 'douyin' ? { platform: sealing } : {}),
              orderSn: order.platformOrderId,
              ...sealed,
              address: region,
            },
            label: asLabel(order.receiver),
          };
        }
      }
      if (
        order.receiver.protected &&
        order.receiver.addressHandle &&
        (order.platform === 'taobao' || order.platform === 'tmall')
      ) {
        const account = (await listCarrierAccounts(db, order.shopId)).find(
          (a) => a.carrier === input.carrier,
        );
        if (account?.waybillChannel === 'cainiao') {
          return {
            waybill: {
              protected: true,
              oaid: order.receiver.addressHandle,
              tid: order.platformOrderId,
              address: region,
            },
            // The waybill service decrypts for itself; the label we print needs the real address
            // (a courier cannot deliver to 文三路*******), read from the platform now and kept
            // only encrypted (histories by the payload codec, the stored label by field encryption).
            label: asLabel(await decryptForWaybill(order)),
          };
        }
      }
      const receiver = await decryptForWaybill(order);
      return { waybill: { protected: false, ...asLabel(receiver) }, label: asLabel(receiver) };
    },

    /**
     * Draws the 100×150 mm label and keeps it for printing (one by one, or a wave at once): a
     * label that cannot be drawn fails the step, not the packer's print. The print renders it in
     * full from what is kept; writing the PDF out here as well (its fonts subset, its streams
     * compressed) cost about 50 ms of CPU per parcel for bytes nobody read (docs/benchmarks.md).
     */
    async printLabel(input: {
      shipmentId: string;
      shopId: string;
      warehouse: string;
      waybill: Waybill;
      receiver: WaybillContact;
      lines: LabelLine[];
      orderRefs: string[];
      weightG: number;
    }): Promise<{ drawn: true }> {
      const account = (await listCarrierAccounts(db, input.shopId)).find(
        (a) => a.carrier === input.waybill.carrier,
      );
      const warehouse = await db
        .selectFrom('warehouses')
        .select(['name', 'province'])
        .where('code', '=', input.warehouse)
        .executeTakeFirst();
      const sender: WaybillContact = account?.sender
        ? {
            ...account.sender,
            address: { ...account.sender.address, district: account.sender.address.district ?? '' },
          }
        : {
            name: warehouse?.name ?? input.warehouse,
            phone: '',
            address: { province: warehouse?.province ?? '', city: '', district: '', detail: '' },
          };
      const label = labelFromWaybill(input.waybill, {
        sender,
        receiver: input.receiver,
        lines: input.lines,
        orderRefs: input.orderRefs,
        weightG: input.weightG,
        printedAt: new Date(),
      });
      await checkLabel(label);
      await saveLabel(db, ring, {
        shipmentId: input.shipmentId,
        trackingNumber: input.waybill.trackingNumber,
        label,
      });
      return { drawn: true };
    },

    /**
     * Keeps the shop's "parcels need a person" alert in step with its shipments: raised (or bumped)
     * when one goes into exception, resolved when none is left in exception. A parcel closed as
     * lost is no longer the shipments' business: its order asks for 补发 / 退款 (alert parcel_lost).
     */
    async syncShipmentAlert(input: {
      shopId: string;
      shipmentId: string;
      message: string | null;
    }): Promise<void> {
      if (input.message) {
        await raiseAlert(db, {
          shopId: input.shopId,
          kind: 'shipment_exception',
          message: `${input.shipmentId}: ${input.message}`,
        });
        return;
      }
      const open = await db
        .selectFrom('shipments as s')
        .innerJoin('shipment_orders as so', 'so.shipment_id', 's.id')
        .innerJoin('orders as o', 'o.id', 'so.order_id')
        .select('s.id')
        .where('s.stage', '=', 'exception')
        .where('s.exception_kind', 'is not', null)
        .where('s.exception_kind', '<>', 'lost')
        .where('o.shop_id', '=', input.shopId)
        .where('s.id', '<>', input.shipmentId)
        .executeTakeFirst();
      if (!open) await resolveAlerts(db, { shopId: input.shopId, kinds: ['shipment_exception'] });
    },

    /** Where a warehouse ships from: the carrier quote's origin and the label's sender fallback. */
    async loadWarehouse(input: { warehouse: string }) {
      return loadWarehouseRow(db, input.warehouse);
    },
  };
  return activities;
}

export type FulfilmentActivities = ReturnType<typeof createFulfilmentActivities>;

/** Whether the shop's waybill accounts would have the platform's own service issue this waybill. */
async function issuesThroughPlatform(
  db: Db,
  shopId: string,
  carrier: CarrierCode,
  warehouse: string | null,
  service: WaybillService,
): Promise<boolean> {
  return platformIssues(await listWaybillAccounts(db, shopId), carrier, warehouse, service);
}
