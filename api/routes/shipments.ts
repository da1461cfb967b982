import { WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { handleTrackingPush } from '../../integrations/carriers/push.js';
import type { CarrierServices } from '../../integrations/carriers/services.js';
import type { LabelData } from '../../integrations/carriers/labels/model.js';
import { LABEL_SIZES, renderLabels, type LabelSize } from '../../integrations/carriers/labels/render.js';
import {
  SHIPMENT_STAGES,
  resolveShipmentUpdate,
  shipmentHandoverSignal,
  shipmentStateQuery,
  shipmentTrackingSignal,
  returnTrackingSignal,
} from '../../workflows/messages.js';
import { actorOf } from '../auth/plugin.js';
import { HttpProblem } from '../errors.js';
import { dataKeyring } from '../../db/crypto/data-keys.js';
import { issuingAccountLabelSizes, loadLabel, loadWaveLabels } from '../../db/queries/labels.js';
import {
  loadReprints,
  recordReprint,
  REPRINT_STAGE,
  reprintDetail,
  withReprints,
} from '../../db/queries/label-reprints.js';
import { signedActor } from '../signed-actor.js';
import { answerHumanAction, ANSWERS_LATER, AsyncActionHeaders, PendingAction } from '../human-actions.js';
import { busyProblem, executeWorkflowUpdate, isBusy, withAnswerDeadline } from '../workflow-answers.js';
import { timelinePosition } from '../../db/queries/human-actions.js';
import { keepReturnScans } from '../../db/queries/return-scans.js';
import type { ApiDeps } from '../deps.js';
import {
  HandoverAccepted,
  LabelReprinted,
  ShipmentDetailResponse,
  ShipmentListResponse,
  ShipmentStateAnswer,
} from '../responses/fulfilment.js';

export interface ShipmentRouteOptions extends ApiDeps {
  /** Verifies tracking pushes; without it the push routes answer 404. */
  carriers?: CarrierServices;
}

const PUSH_SUMMARIES = {
  kuaidi100: 'Tracking updates pushed by Kuaidi100 (signed with our salt)',
  kdniao: 'Tracking updates pushed by KDNiao (DataSign)',
  sf: 'SF route pushes for SF direct waybills (json method; the URL carries ?token=SF_PUSH_TOKEN)',
} as const;

const READ = ['reviewer', 'customer-service', 'warehouse', 'ops', 'finance'] as const;
const ShipmentParams = z.object({ id: z.string().min(1).max(200) });

/**
 * Parcels: the shipment list and detail (timeline, tracking, live state), labels one by one or for
 * a whole wave, handover to the carrier, resolving exceptions, and the tracking services' pushes.
 */
/** Stored label data as the renderer takes it (dates come back from JSON as strings). */
function asLabelData(stored: Record<string, unknown>): LabelData {
  const data = stored as unknown as LabelData & { printedAt?: string };
  return { ...data, ...(data.printedAt ? { printedAt: new Date(data.printedAt) } : {}) } as LabelData;
}

/** The label to print: the platform's own shipping document when it gave one, else ours. */
/** The platform's own shipping document when it gave one (its stock is the platform's), else ours. */
async function labelPdf(label: LabelData, size: LabelSize): Promise<Buffer> {
  const document = label.platformDocument;
  return document ? Buffer.from(document.pdfBase64, 'base64') : renderLabels([label], size);
}

const LabelQuery = z.object({
  size: z
    .enum(LABEL_SIZES)
    .optional()
    .describe(
      'The label stock: 100×150 mm (standard) or 76×130 mm (the small one-part waybill); by default the stock of ' +
        'the waybill account that issued the label (100×150 mm when none did)',
    ),
});

const WaveReprinted = z.object({
  waveId: z.string(),
  reason: z.string(),
  actor: z.string(),
  /** One reprint per label, in the batch's order, each on its shipment's and orders' timelines. */
  reprints: z.array(
    z.object({
      shipmentId: z.string(),
      trackingNumber: z.string(),
      printCount: z.number(),
      /** A sealed e-waybill prints through the platform's component: its task, else null. */
      printTask: z.string().nullable(),
    }),
  ),
  /** The batch to print: the wave's labels as one PDF. */
  print: z.string(),
});

const PrintTask = z.object({
  service: z.string(),
  cmd: z.literal('print'),
  requestID: z.string(),
  version: z.string(),
  task: z.object({
    taskID: z.string(),
    preview: z.boolean(),
    printer: z.string(),
    documents: z.array(
      z.object({ documentID: z.string(), contents: z.array(z.record(z.string(), z.unknown())) }),
    ),
  }),
});

/**
 * The print component's task for one sealed waybill: the Cainiao-style print protocol (`cmd`,
 * `task.documents[].contents[]`) that PDD's component is taken to share (❓, docs/carriers.md).
 */
function printTask(
  shipmentId: string,
  trackingNumber: string,
  sealed: NonNullable<LabelData['sealedPrint']>,
): z.infer<typeof PrintTask> {
  let content: Record<string, unknown>;
  try {
    content = JSON.parse(sealed.printData) as Record<string, unknown>;
  } catch {
    content = { encryptedData: sealed.printData };
  }
  return {
    service: sealed.service,
    cmd: 'print',
    requestID: `${shipmentId}:${trackingNumber}`,
    version: '1.0',
    task: {
      taskID: `${shipmentId}:${trackingNumber}`,
      preview: false,
      printer: '',
      documents: [
        {
          documentID: trackingNumber,
          contents: [{ ...content, ...(sealed.templateUrl ? { templateURL: sealed.templateUrl } : {}) }],
        },
      ],
    },
  };
}

export const shipmentRoutes: FastifyPluginAsyncZod<ShipmentRouteOptions> = async (app, deps) => {
  const { db, temporal, carriers, config } = deps;

  app.get(
    '/shipments',
    {
      config: { roles: [...READ] },
      schema: {
        tags: ['shipments'],
        summary: 'Shipments, newest first',
        querystring: z.object({
          orderId: z.string().max(200).optional(),
          waveId: z.string().max(200).optional(),
          stage: z.enum(SHIPMENT_STAGES).optional(),
          trackingNumber: z.string().trim().min(1).max(64).optional(),
          warehouse: z.string().trim().min(1).max(64).optional(),
          exception: z
            .enum(['open', 'lost'])
            .optional()
            .describe(
              'open: parcels in an exception a person resolves (resume or mark lost); lost: parcels closed as lost, whose orders decide 补发 / 退款',
            ),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
        response: { 200: ShipmentListResponse },
      },
    },
    async (request) => {
      const q = request.query;
      let query = db.selectFrom('shipments').selectAll().orderBy('created_at', 'desc').limit(q.limit);
      if (q.waveId) query = query.where('wave_id', '=', q.waveId);
      if (q.stage) query = query.where('stage', '=', q.stage);
      if (q.trackingNumber) query = query.where('tracking_number', '=', q.trackingNumber);
      if (q.warehouse) query = query.where('warehouse_code', '=', q.warehouse);
      if (q.orderId) query = query.where((eb) => eb(eb.val(q.orderId!), '=', eb.fn.any('order_ids')));
      if (q.exception === 'open') {
        query = query
          .where('stage', '=', 'exception')
          .where('exception_kind', 'is not', null)
          .where('exception_kind', '<>', 'lost');
      }
      if (q.exception === 'lost') query = query.where('exception_kind', '=', 'lost');
      return { shipments: await query.execute() };
    },
  );

  app.get(
    '/shipments/:id',
    {
      config: { roles: [...READ] },
      schema: {
        tags: ['shipments'],
        summary: 'One shipment with its timeline, tracking and live state',
        params: ShipmentParams,
        response: { 200: ShipmentDetailResponse },
      },
    },
    async (request) => {
      const { id } = request.params;
      const shipment = await db.selectFrom('shipments').selectAll().where('id', '=', id).executeTakeFirst();
      if (!shipment) throw new HttpProblem(404, `no shipment with id "${id}"`);
      const [orders, events, tracking, reprints] = await Promise.all([
        db.selectFrom('shipment_orders').selectAll().where('shipment_id', '=', id).execute(),
        db.selectFrom('shipment_events').selectAll().where('shipment_id', '=', id).orderBy('seq').execute(),
        db.selectFrom('tracking_events').selectAll().where('shipment_id', '=', id).orderBy('at').execute(),
        loadReprints(db, { shipmentId: id }),
      ]);
      // The live state is a bonus: a finished or unreachable workflow still leaves the projection.
      const state = await temporal
        .withAbortSignal(AbortSignal.timeout(3_000), () =>
          temporal.workflow.getHandle(`shipment:${id}`).query(shipmentStateQuery),
        )
        .catch(() => null);
      const timeline = withReprints(
        events.map(({ shipment_id, seq, stage, actor, detail, at }) => ({
          shipment_id,
          seq,
          stage,
          actor,
          detail,
          at,
        })),
        reprints,
        (r, after) => ({
          shipment_id: id,
          seq: after?.seq ?? 0,
          stage: REPRINT_STAGE,
          actor: r.actor,
          detail: reprintDetail(r),
          at: r.at,
        }),
      );
      return { shipment, orders, timeline, tracking, state };
    },
  );

  /** The stock of the account that issued the shipment's waybill (100×150 mm when none did). */
  async function accountLabelSize(shipmentId: string): Promise<LabelSize> {
    return (await issuingAccountLabelSizes(db, [shipmentId])).get(shipmentId) ?? '100x150';
  }

  app.get(
    '/shipments/:id/label.pdf',
    {
      config: { roles: ['warehouse', 'ops'] },
      schema: {
        tags: ['shipments'],
        summary: 'The waybill label, 100×150 mm or 76×130 mm',
        params: ShipmentParams,
        querystring: LabelQuery,
      },
    },
    async (request, reply) => {
      const label = await loadLabel(db, dataKeyring(config), request.params.id);
      if (!label) throw new HttpProblem(404, `shipment "${request.params.id}" has no label yet`);
      const size = request.query.size ?? (await accountLabelSize(request.params.id));
      const kept = size === '100x150' ? label.pdf : null;
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${label.trackingNumber}.pdf"`)
        .send(kept ?? (await labelPdf(asLabelData(label.label), size)));
    },
  );

  app.post(
    '/shipments/:id/label/reprint',
    {
      config: { roles: ['warehouse', 'ops'] },
      schema: {
        tags: ['shipments'],
        summary: 'Print a label again, saying why',
        description:
          'Records the reprint (who, why, how many times the label has now been printed) on the timeline of the ' +
          'shipment and of each of its orders, and answers where to fetch what to print: `label.pdf` in the size ' +
          'asked, or the print component’s task for a sealed e-waybill. Fetching `label.pdf` alone records nothing ' +
          '(the first print). 404 for an unknown shipment, 409 when it has no label yet.',
        params: ShipmentParams,
        body: z.object({
          reason: z
            .string()
            .trim()
            .min(2)
            .max(200)
            .describe('Why the label is printed again (torn, smudged, printer jam, relabelled parcel, …)'),
          size: LabelQuery.shape.size,
        }),
        response: { 200: LabelReprinted },
      },
    },
    async (request) => {
      const { id } = request.params;
      const shipment = await db
        .selectFrom('shipments')
        .select(['id', 'order_ids'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!shipment) throw new HttpProblem(404, `no shipment with id "${id}"`);
      const label = await loadLabel(db, dataKeyring(config), id);
      if (!label) throw new HttpProblem(409, `shipment "${id}" has no label yet: nothing to reprint`);
      const reprint = await recordReprint(db, {
        shipmentId: id,
        trackingNumber: label.trackingNumber,
        orderIds: shipment.order_ids,
        actor: actorOf(request).name,
        reason: request.body.reason,
      });
      const path = `/shipments/${encodeURIComponent(id)}`;
      const size = request.body.size ?? (await accountLabelSize(id));
      return {
        ...reprintDetail(reprint),
        actor: reprint.actor,
        at: reprint.at,
        print: asLabelData(label.label).sealedPrint ? `${path}/print-task` : `${path}/label.pdf?size=${size}`,
      };
    },
  );

  app.get(
    '/shipments/:id/print-task',
    {
      config: { roles: ['warehouse', 'ops'] },
      schema: {
        tags: ['shipments'],
        summary: 'The print task for the platform’s print component (sealed e-waybill print data)',
        description:
          'A waybill issued for a receiver the platform encrypted (PDD 电子面单, 抖音电子面单) comes with print data only the ' +
          'platform’s print component can open: this is the task to send it (`cmd: print`, one document with the ' +
          'service’s print data as its content). 409 when the label is ours to print (`label.pdf`).',
        params: ShipmentParams,
        response: { 200: PrintTask },
      },
    },
    async (request) => {
      const label = await loadLabel(db, dataKeyring(config), request.params.id);
      if (!label) throw new HttpProblem(404, `shipment "${request.params.id}" has no label yet`);
      const sealed = asLabelData(label.label).sealedPrint;
      if (!sealed)
        throw new HttpProblem(409, `shipment "${request.params.id}" prints its own label: GET label.pdf`);
      return printTask(request.params.id, label.trackingNumber, sealed);
    },
  );

  app.get(
    '/wms/waves/:id/labels.pdf',
    {
      config: { roles: ['warehouse', 'ops'] },
      schema: {
        tags: ['shipments'],
        summary: 'Every label of a wave, in pick order, as one PDF (100×150 mm or 76×130 mm)',
        params: ShipmentParams,
        querystring: LabelQuery,
      },
    },
    async (request, reply) => {
      const rows = await loadWaveLabels(db, dataKeyring(config), request.params.id);
      if (rows.length === 0) throw new HttpProblem(404, `wave "${request.params.id}" has no labels yet`);
      // Each label on its issuing account's stock unless one stock is asked for the batch.
      const sizes =
        request.query.size ??
        (await issuingAccountLabelSizes(
          db,
          rows.map((r) => r.shipmentId),
        ).then((by) => rows.map((r) => by.get(r.shipmentId) ?? '100x150')));
      const pdf = await renderLabels(
        rows.map((r) => asLabelData(r.label)),
        sizes,
      );
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="wave-${request.params.id}-labels.pdf"`)
        .send(pdf);
    },
  );

  app.post(
    '/wms/waves/:id/labels/reprint',
    {
      config: { roles: ['warehouse', 'ops'] },
      schema: {
        tags: ['shipments'],
        summary: 'Print a wave’s labels again as one batch, saying why',
        description:
          'Records a reprint of every label of the wave (cancelled parcels left out), each like ' +
          '`POST /shipments/:id/label/reprint` (who, why, the print count, on the timeline of the shipment and of each ' +
          'of its orders), and answers the batch to print: the wave’s `labels.pdf` (one PDF, in the same order), and ' +
          'the print component’s task for each sealed e-waybill. 404 when the wave has no labels yet.',
        params: ShipmentParams,
        body: z.object({
          reason: z
            .string()
            .trim()
            .min(2)
            .max(200)
            .describe('Why the batch is printed again (printer ran out of labels, wrong stock loaded, …)'),
          size: LabelQuery.shape.size,
        }),
        response: { 200: WaveReprinted },
      },
    },
    async (request) => {
      const waveId = request.params.id;
      const labels = await loadWaveLabels(db, dataKeyring(config), waveId);
      if (labels.length === 0) throw new HttpProblem(404, `wave "${waveId}" has no labels yet`);
      const shipments = await db
        .selectFrom('shipments')
        .select(['id', 'order_ids'])
        .where(
          'id',
          'in',
          labels.map((l) => l.shipmentId),
        )
        .execute();
      const ordersOf = new Map(shipments.map((s) => [s.id, s.order_ids]));
      const actor = actorOf(request).name;
      const reprints = [];
      for (const label of labels) {
        const reprint = await recordReprint(db, {
          shipmentId: label.shipmentId,
          trackingNumber: label.trackingNumber,
          orderIds: ordersOf.get(label.shipmentId) ?? [],
          actor,
          reason: request.body.reason,
        });
        reprints.push({
          shipmentId: label.shipmentId,
          trackingNumber: label.trackingNumber,
          printCount: reprint.printCount,
          printTask: asLabelData(label.label).sealedPrint
            ? `/shipments/${encodeURIComponent(label.shipmentId)}/print-task`
            : null,
        });
      }
      const path = `/wms/waves/${encodeURIComponent(waveId)}/labels.pdf`;
      return {
        waveId,
        reason: request.body.reason,
        actor,
        reprints,
        print: request.body.size ? `${path}?size=${request.body.size}` : path,
      };
    },
  );

  app.post(
    '/wms/handovers',
    {
      config: { roles: ['warehouse'] },
      schema: {
        tags: ['shipments'],
        summary: 'The carrier took the parcel',
        description:
          'Without this, the carrier’s first scan counts as the handover. 409 while an order in the parcel is locked by customer service: keep the parcel back.',
        body: z.object({ parcelId: z.string().min(1).max(200) }),
        response: { 202: HandoverAccepted },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      let asked = false;
      try {
        const handle = temporal.workflow.getHandle(`shipment:${request.body.parcelId}`);
        // A parcel whose order customer service locked stays on the dock: say so at the scan. The
        // scan is recorded only after the shipment answered, so a 503 here means nothing was done.
        const { lockedOrders } = await withAnswerDeadline(deps, () => handle.query(shipmentStateQuery));
        if (lockedOrders?.length) {
          throw new HttpProblem(
            409,
            `keep parcel "${request.body.parcelId}" back: ${lockedOrders
              .map(
                (l) => `order ${l.orderId} is locked by customer service (${l.reason ?? 'no reason given'})`,
              )
              .join('; ')}`,
          );
        }
        asked = true;
        await withAnswerDeadline(deps, () =>
          handle.signal(shipmentHandoverSignal, { actor: actor.name, at: new Date().toISOString() }),
        );
      } catch (err) {
        if (err instanceof WorkflowNotFoundError)
          throw new HttpProblem(404, `no open shipment for parcel "${request.body.parcelId}"`);
        if (isBusy(err))
          throw busyProblem(
            deps.config,
            'the shipment',
            undefined,
            asked
              ? 'the handover may have been recorded — scan again (a repeated scan is harmless)'
              : undefined,
          );
        throw err;
      }
      return reply.code(202).send({ accepted: true });
    },
  );

  app.post(
    '/shipments/:id/resolve',
    {
      config: { roles: ['ops', 'warehouse', 'customer-service'] },
      schema: {
        tags: ['shipments'],
        summary: 'Resolve a shipment exception: keep following the parcel, or close it as lost',
        description: `Answers once the shipment’s workflow has taken the action (200, or 403/409/422 with why). ${ANSWERS_LATER}`,
        params: ShipmentParams,
        headers: AsyncActionHeaders,
        body: z.object({ action: z.enum(['resume', 'lost']), note: z.string().trim().max(500).optional() }),
        response: { 200: ShipmentStateAnswer, 202: PendingAction },
      },
    },
    async (request, reply) => {
      const workflowId = `shipment:${request.params.id}`;
      const resolution = {
        action: request.body.action,
        actor: signedActor(deps.config, request, { workflowId, update: resolveShipmentUpdate }),
        ...(request.body.note ? { note: request.body.note } : {}),
      };
      return answerHumanAction(deps, request, reply, {
        what: 'the shipment',
        version: () => timelinePosition(deps.db, 'shipments', request.params.id),
        // The shipment records one timeline entry per event: its length is its position.
        positionAfter: (answer: { state: { timeline?: unknown[] } }) => answer.state.timeline?.length ?? null,
        mayAnswerLater: true,
        perform: async (updateId, waitMs) => ({
          state: await executeWorkflowUpdate(
            deps,
            workflowId,
            resolveShipmentUpdate,
            [resolution],
            updateId,
            waitMs,
          ),
        }),
      });
    },
  );

  for (const service of ['kuaidi100', 'kdniao', 'sf'] as const) {
    app.post(
      `/webhooks/tracking/${service}`,
      {
        schema: {
          tags: ['webhooks'],
          summary: PUSH_SUMMARIES[service],
          querystring: z.object({ token: z.string().max(200).optional() }),
        },
      },
      async (request, reply) => {
        const provider = carriers?.pushReceiver(service);
        if (!provider) throw new HttpProblem(404, `${service} tracking pushes are not configured`);
        const outcome = handleTrackingPush(provider, (request.rawBody ?? Buffer.alloc(0)).toString('utf8'), {
          query: request.query,
          ...(request.headers['content-type'] ? { contentType: request.headers['content-type'] } : {}),
        });
        for (const snapshot of outcome.snapshots) {
          const shipments = await db
            .selectFrom('shipments')
            .select('id')
            .where('carrier', '=', snapshot.carrier)
            .where('tracking_number', '=', snapshot.trackingNumber)
            .execute();
          for (const { id } of shipments) {
            try {
              await temporal.workflow.getHandle(`shipment:${id}`).signal(shipmentTrackingSignal, snapshot);
            } catch (err) {
              if (!(err instanceof WorkflowNotFoundError)) throw err;
            }
          }
          // After-sales return parcels on their way back (docs/after-sales.md): the case takes the scans.
          const returns = await db
            .selectFrom('after_sale_returns')
            .select('case_id')
            .where('carrier_code', '=', snapshot.carrier)
            .where('tracking_no', '=', snapshot.trackingNumber)
            .where('status', 'not in', ['received', 'inspected'])
            .execute();
          for (const { case_id } of returns) {
            // Kept for the case's page before the case is told (it takes the scans from the signal).
            await keepReturnScans(db, case_id, snapshot.events, { source: snapshot.source, via: 'push' });
            try {
              await temporal.workflow.getHandle(case_id).signal(returnTrackingSignal, snapshot);
            } catch (err) {
              if (!(err instanceof WorkflowNotFoundError)) throw err;
            }
          }
        }
        return reply.code(outcome.status).type('application/json').send(outcome.body);
      },
    );
  }
};
