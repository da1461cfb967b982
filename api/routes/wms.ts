import { WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { renderPickListPdf } from '../../integrations/wms/pick-list-pdf.js';
import { createWmsRegistry, qimenCredentials } from '../../services/wms/registry.js';
import { findWarehouse } from '../../db/queries/stock.js';
import { findWarehouseWms, openWavesByWms, saveWarehouseWms } from '../../db/queries/wms-external.js';
import {
  assignBin,
  listBins,
  listExceptions,
  listWaves,
  removeBin,
  resolveException,
} from '../../db/queries/wms.js';
import {
  PICK_OUTCOMES,
  type ConfirmationResult,
  type WmsAdapter,
  type WmsEvent,
} from '../../domain/wms/adapter.js';
import { isBinCode } from '../../domain/wms/bins.js';
import { WarehouseSystemSchema } from '../../domain/wms/systems.js';
import { shipmentHandoverSignal, waveFlushSignal, waveStateQuery } from '../../workflows/messages.js';
import { mapLimit } from '../../domain/map-limit.js';
import { HttpProblem } from '../errors.js';
import { busyProblem, isBusy, withAnswerDeadline } from '../workflow-answers.js';
import type { ApiDeps } from '../deps.js';
import { actorOf, keyOf, problems, ROLES } from './stock.js';
import {
  ExceptionResolved,
  PickListResponse,
  WaveDetailResponse,
  WaveFlushAccepted,
  WaveListResponse,
  WmsExceptionListResponse,
} from '../responses/fulfilment.js';

export type { WmsEvent } from '../../domain/wms/adapter.js';

export interface WmsRouteOptions extends ApiDeps {
  /**
   * Called with every event a confirmation produced, after it is recorded (the integrator signals
   * the shipment workflow). If it throws, the caller gets 503 and may resend the same key: the
   * recorded events are delivered again, each with the same `eventKey`. An external WMS's
   * shipping confirmation is not passed here: it is the shipment's handover signal.
   */
  onWmsEvent?: (event: WmsEvent) => Promise<void> | void;
  /** Outgoing calls to external WMSs (tests point it at a simulator in-process). */
  fetch?: typeof fetch;
}

const code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, "_", "." or "-"');
const waveId = z.string().trim().min(1).max(200);
const idempotencyKey = z.string().trim().min(1).max(200).optional();
const limit = z.coerce.number().int().min(1).max(500).default(50);
const bin = z
  .string()
  .trim()
  .refine(isBinCode, 'must be a bin code zone-aisle-shelf-level such as A-03-02-1');

const PickConfirmationBody = z.object({
  key: idempotencyKey,
  waveId,
  /** The pick line's `seq` on the list. */
  line: z.number().int().min(1),
  outcome: z.enum(PICK_OUTCOMES),
  qty: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000),
  note: z.string().trim().max(500).optional(),
});

const PackConfirmationBody = z.object({
  key: idempotencyKey,
  parcelId: z.string().trim().min(1).max(200),
  weightG: z.number().int('must be whole grams').min(1, 'must be at least 1 g').max(1_000_000),
  lengthMm: z.number().int().min(1).max(10_000),
  widthMm: z.number().int().min(1).max(10_000),
  heightMm: z.number().int().min(1).max(10_000),
});

const NOTIFY_CONCURRENCY = 8;

export const wmsRoutes: FastifyPluginAsyncZod<WmsRouteOptions> = async (app, options) => {
  const { db, temporal, config, onWmsEvent } = options;
  const registry = createWmsRegistry({ db, config, ...(options.fetch ? { fetch: options.fetch } : {}) });

  /** The same signals whichever WMS reported: WMS events to the shipment, a shipping confirmation as its handover. */
  async function notify(event: WmsEvent) {
    if (event.type !== 'parcel_handed_over') return onWmsEvent?.(event);
    try {
      await temporal.workflow
        .getHandle(`shipment:${event.parcelId}`)
        .signal(shipmentHandoverSignal, { actor: event.actor, at: event.at });
    } catch (err) {
      // Finished, or not started yet: a shipment reads its recorded handover when it starts.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }

  /**
   * One pick line of a big wave touches dozens of parcels: their shipments are told side by side,
   * each shipment's own events still in the order the WMS produced them.
   */
  async function deliver(result: ConfirmationResult, log: { error: (o: object, m: string) => void }) {
    const byTarget = new Map<string, WmsEvent[]>();
    for (const event of result.events) {
      const target = 'parcelId' in event ? event.parcelId : '';
      const queue = byTarget.get(target);
      if (queue) queue.push(event);
      else byTarget.set(target, [event]);
    }
    await mapLimit([...byTarget.values()], NOTIFY_CONCURRENCY, async (queue) => {
      for (const event of queue) await notifyOrFail(event, log);
    });
  }

  async function notifyOrFail(event: WmsEvent, log: { error: (o: object, m: string) => void }) {
    try {
      await notify(event);
    } catch (err) {
      log.error({ err, eventKey: event.eventKey }, 'WMS confirmation recorded but notifying failed');
      throw new HttpProblem(
        503,
        'the confirmation was recorded but the order could not be notified; send it again with the same key',
        [],
        'NOTIFY_FAILED',
      );
    }
  }

  /** Our handhelds confirm only for warehouses the built-in WMS runs. */
  function handheldOf(wms: WmsAdapter | undefined, what: string, field: string) {
    if (!wms) throw new HttpProblem(404, `${field}: no ${what}`, [{ field, problem: `no ${what}` }]);
    if (!wms.handheld) {
      throw new HttpProblem(
        409,
        `${field}: ${what} is in a warehouse run by the ${wms.kind} WMS; its confirmations come from that system`,
        [{ field, problem: `run by the ${wms.kind} WMS` }],
        'EXTERNAL_WMS',
      );
    }
    return wms.handheld;
  }

  async function waveView(id: string) {
    const wave = await (await registry.forWave(id))?.loadWave(id);
    if (!wave) throw new HttpProblem(404, `no wave "${id}"`);
    return wave;
  }

  app.get(
    '/wms/waves',
    {
      config: { roles: ROLES.read },
      schema: {
        tags: ['wms'],
        summary: 'Waves, newest first',
        querystring: z.object({
          warehouse: code.optional(),
          status: z.enum(['picking', 'picked', 'done', 'cancelled']).optional(),
          limit,
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: WaveListResponse },
      },
    },
    async (request) => {
      const rows = await listWaves(db, request.query);
      return {
        waves: rows.map((w) => ({
          waveId: w.id,
          warehouse: w.warehouse_code,
          status: w.status,
          parcels: w.parcel_count,
          units: w.unit_count,
          createdAt: w.created_at.toISOString(),
          updatedAt: w.updated_at.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/wms/waves/flush',
    {
      config: { roles: ROLES.warehouse },
      schema: {
        tags: ['wms'],
        summary: 'Form the warehouse’s next wave now, without waiting out its window (立即生成波次)',
        body: z.object({ warehouse: code }),
        response: { 202: WaveFlushAccepted },
      },
    },
    async (request, reply) => {
      const { warehouse } = request.body;
      if (!(await findWarehouse(db, warehouse))) {
        throw new HttpProblem(
          404,
          `warehouse: no warehouse "${warehouse}"`,
          [{ field: 'warehouse', problem: 'no such warehouse' }],
          'UNKNOWN_WAREHOUSE',
          {},
          { warehouse },
        );
      }
      const handle = temporal.workflow.getHandle(`wave:${warehouse}`);
      const nothingWaits = () =>
        new HttpProblem(
          409,
          `warehouse: no order of "${warehouse}" is waiting for a wave`,
          [{ field: 'warehouse', problem: 'no order waiting for a wave' }],
          'NOTHING_WAITING_FOR_WAVE',
          {},
          { warehouse },
        );
      const waveCall = async <T>(call: () => Promise<T>): Promise<T> => {
        try {
          return await withAnswerDeadline({ temporal, db, config }, call);
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) throw nothingWaits();
          if (isBusy(err)) throw busyProblem(config, `the wave of "${warehouse}"`);
          throw err;
        }
      };
      const waiting = (await waveCall(() => handle.query(waveStateQuery))).pending.length;
      if (waiting === 0) throw nothingWaits();
      await waveCall(() => handle.signal(waveFlushSignal, { actor: actorOf(request) }));
      return reply.code(202).send({ warehouse, orders: waiting });
    },
  );

  app.get(
    '/wms/waves/:id',
    {
      config: { roles: ROLES.read },
      schema: {
        tags: ['wms'],
        summary: 'A wave with its pick list and pack tasks',
        params: z.object({ id: waveId }),
        response: { 200: WaveDetailResponse },
      },
    },
    async (request) => {
      const wave = await waveView(request.params.id);
      return { ...wave, createdAt: wave.createdAt.toISOString() };
    },
  );

  app.get(
    '/wms/waves/:id/pick-list',
    {
      config: { roles: ROLES.read },
      schema: {
        tags: ['wms'],
        summary: 'The pick list in walking order (zone, serpentine aisles, shelf, level)',
        params: z.object({ id: waveId }),
        response: { 200: PickListResponse },
      },
    },
    async (request) => {
      const wave = await waveView(request.params.id);
      return { waveId: wave.waveId, warehouse: wave.warehouse, status: wave.status, lines: wave.pickList };
    },
  );

  app.get(
    '/wms/waves/:id/pick-list.pdf',
    {
      config: { roles: ROLES.read },
      schema: {
        tags: ['wms'],
        summary: 'The pick list as a printable PDF',
        params: z.object({ id: waveId }),
      },
    },
    async (request, reply) => {
      const wave = await waveView(request.params.id);
      const skus = [...new Set(wave.pickList.map((l) => l.sku))];
      const [names, warehouse] = await Promise.all([
        skus.length
          ? db.selectFrom('skus').select(['code', 'name']).where('code', 'in', skus).execute()
          : Promise.resolve([]),
        findWarehouse(db, wave.warehouse),
      ]);
      const pdf = await renderPickListPdf({
        waveId: wave.waveId,
        warehouse: wave.warehouse,
        ...(warehouse ? { warehouseName: warehouse.name } : {}),
        createdAt: wave.createdAt,
        parcelCount: wave.packTasks.length,
        lines: wave.pickList,
        skuNames: new Map(names.map((n) => [n.code, n.name])),
      });
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="pick-list-${encodeURIComponent(wave.waveId)}.pdf"`)
        .send(pdf);
    },
  );

  app.post(
    '/wms/pick-confirmations',
    {
      config: { roles: ROLES.warehouse },
      schema: {
        tags: ['wms'],
        summary: 'Units picked, short-picked (missing from the bin) or found damaged on a pick line',
        body: PickConfirmationBody,
      },
    },
    async (request) => {
      const { key, ...body } = request.body;
      const confirmationKey = keyOf(request, key, 'pick');
      const wms = handheldOf(await registry.forWave(body.waveId), `wave "${body.waveId}"`, 'body.waveId');
      const result = await problems('body', () =>
        wms.confirmPick({
          ...body,
          key: confirmationKey,
          actor: actorOf(request),
          ...(body.note ? { note: body.note } : {}),
        }),
      );
      await deliver(result, request.log);
      return { key: confirmationKey, ...result };
    },
  );

  app.post(
    '/wms/pack-confirmations',
    {
      config: { roles: ROLES.warehouse },
      schema: {
        tags: ['wms'],
        summary: 'A parcel packed, with its measured weight and dimensions',
        body: PackConfirmationBody,
      },
    },
    async (request) => {
      const { key, ...body } = request.body;
      const confirmationKey = keyOf(request, key, 'pack');
      const wms = handheldOf(
        await registry.forParcel(body.parcelId),
        `parcel "${body.parcelId}"`,
        'body.parcelId',
      );
      const result = await problems('body', () =>
        wms.confirmPack({ ...body, key: confirmationKey, actor: actorOf(request) }),
      );
      await deliver(result, request.log);
      return { key: confirmationKey, ...result };
    },
  );

  app.get(
    '/wms/exceptions',
    {
      config: { roles: ROLES.read },
      schema: {
        tags: ['wms'],
        summary: 'Short picks and damaged items',
        querystring: z.object({
          status: z.enum(['open', 'resolved']).optional(),
          warehouse: code.optional(),
          orderId: z.string().max(200).optional(),
          limit,
        }),
        response: { 200: WmsExceptionListResponse },
      },
    },
    async (request) => {
      const rows = await listExceptions(db, request.query);
      return {
        exceptions: rows.map((r) => ({
          id: r.id,
          kind: r.kind,
          waveId: r.wave_id,
          parcelId: r.parcel_id,
          orderId: r.order_id,
          allocationId: r.allocation_id,
          warehouse: r.warehouse_code,
          sku: r.sku_code,
          bin: r.bin_code,
          qty: r.qty,
          replenishmentRequestId: r.replenishment_request_id,
          status: r.status,
          resolution: r.resolution,
          createdAt: r.created_at.toISOString(),
          resolvedAt: r.resolved_at?.toISOString() ?? null,
        })),
      };
    },
  );

  app.post(
    '/wms/exceptions/:id/resolve',
    {
      config: { roles: ROLES.warehouse },
      schema: {
        tags: ['wms'],
        summary: 'Close an exception with what was done',
        params: z.object({ id: z.coerce.number().int().min(1) }),
        body: z.object({ resolution: z.string().trim().min(1, 'must say what was done').max(500) }),
        response: { 200: ExceptionResolved },
      },
    },
    async (request) => {
      const row = await resolveException(db, request.params.id, request.body.resolution);
      if (!row) throw new HttpProblem(404, `no open exception ${request.params.id}`);
      return { id: row.id, status: row.status, resolution: row.resolution };
    },
  );

  app.get(
    '/wms/bins',
    {
      config: { roles: ROLES.read },
      schema: {
        tags: ['wms'],
        summary: 'Which bins hold which SKUs',
        querystring: z.object({ warehouse: code.optional(), sku: code.optional(), limit }),
      },
    },
    async (request) => {
      const rows = await listBins(db, request.query);
      return { bins: rows.map((r) => ({ warehouse: r.warehouse_code, bin: r.bin_code, sku: r.sku_code })) };
    },
  );

  const BinBody = z.object({ warehouse: code, bin, sku: code });

  app.put(
    '/wms/bins',
    {
      config: { roles: ROLES.warehouse },
      schema: { tags: ['wms'], summary: 'Put a SKU in a bin', body: BinBody },
    },
    async (request, reply) => {
      const { warehouse, sku } = request.body;
      const [knownWarehouse, knownSku] = await Promise.all([
        findWarehouse(db, warehouse),
        db.selectFrom('skus').select('code').where('code', '=', sku).executeTakeFirst(),
      ]);
      if (!knownWarehouse) {
        throw new HttpProblem(422, `body.warehouse: unknown warehouse "${warehouse}"`, [
          { field: 'body.warehouse', problem: `unknown warehouse "${warehouse}"` },
        ]);
      }
      if (!knownSku) {
        throw new HttpProblem(422, `body.sku: unknown SKU "${sku}"`, [
          { field: 'body.sku', problem: `unknown SKU "${sku}"` },
        ]);
      }
      await assignBin(db, request.body);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/wms/bins',
    {
      config: { roles: ROLES.warehouse },
      schema: { tags: ['wms'], summary: 'Take a SKU out of a bin', body: BinBody },
    },
    async (request, reply) => {
      if (!(await removeBin(db, request.body))) {
        throw new HttpProblem(404, `${request.body.sku} is not in bin ${request.body.bin}`);
      }
      return reply.code(204).send();
    },
  );

  app.get(
    '/wms/warehouses/:code/system',
    {
      config: { roles: ROLES.read },
      schema: {
        tags: ['wms'],
        summary: 'Which WMS runs the warehouse (built-in unless set)',
        params: z.object({ code }),
      },
    },
    async (request) => {
      const { code: warehouse } = request.params;
      if (!(await findWarehouse(db, warehouse))) throw new HttpProblem(404, `no warehouse "${warehouse}"`);
      const row = await findWarehouseWms(db, warehouse);
      return row
        ? {
            warehouse,
            kind: row.kind,
            settings: row.settings,
            updatedBy: row.updatedBy,
            updatedAt: row.updatedAt.toISOString(),
          }
        : { warehouse, kind: 'built_in' as const, settings: {}, updatedBy: null, updatedAt: null };
    },
  );

  app.put(
    '/wms/warehouses/:code/system',
    {
      config: { roles: ROLES.masterData },
      schema: {
        tags: ['wms'],
        summary: 'Run the warehouse with the built-in WMS or an external one (Qimen)',
        description:
          'Takes effect for the next wave. Refused (409) while the warehouse has waves open in the other system.',
        params: z.object({ code }),
        body: WarehouseSystemSchema,
      },
    },
    async (request) => {
      const { code: warehouse } = request.params;
      if (!(await findWarehouse(db, warehouse))) throw new HttpProblem(404, `no warehouse "${warehouse}"`);
      const body = request.body;
      if (body.kind === 'qimen' && !qimenCredentials(config)) {
        throw new HttpProblem(
          409,
          'body.kind: Qimen is not configured on this server (QIMEN_BASE_URL, QIMEN_APP_KEY, QIMEN_APP_SECRET)',
          [{ field: 'body.kind', problem: 'Qimen is not configured' }],
          'QIMEN_NOT_CONFIGURED',
        );
      }
      const open = (await openWavesByWms(db, warehouse)).filter((w) => w.wms_kind !== body.kind);
      if (open.length > 0) {
        const count = open.reduce((n, w) => n + w.n, 0);
        throw new HttpProblem(
          409,
          `body.kind: warehouse ${warehouse} has ${count} wave(s) open in the ${open.map((w) => w.wms_kind).join(', ')} WMS; finish them first`,
          [{ field: 'body.kind', problem: 'waves are open in the other WMS' }],
          'WAVES_OPEN',
        );
      }
      try {
        await saveWarehouseWms(db, {
          warehouse,
          kind: body.kind,
          settings: body.kind === 'qimen' ? body.settings : {},
          actor: actorOf(request),
        });
      } catch (err) {
        if ((err as { code?: string }).code === '23505') {
          throw new HttpProblem(
            409,
            'body.settings: another warehouse already uses this customerId and warehouseCode',
            [{ field: 'body.settings.customerId', problem: 'already used by another warehouse' }],
          );
        }
        throw err;
      }
      return { warehouse, kind: body.kind, settings: body.kind === 'qimen' ? body.settings : {} };
    },
  );

  // Qimen posts XML documents; the signature covers the exact text, so it is kept as received.
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    done(null, (body as Buffer).toString('utf8'));
  });

  app.post(
    '/webhooks/wms/qimen',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Reports from Qimen WMSs (shipped, picked, packed, units missing), signed',
        // Qimen signs every query parameter, so all of them are kept, not only the ones named here.
        querystring: z.looseObject({
          method: z.string().optional(),
          app_key: z.string().optional(),
          customerId: z.string().optional(),
          timestamp: z.string().optional(),
          format: z.string().optional(),
          v: z.string().optional(),
          sign_method: z.string().optional(),
          sign: z.string().optional(),
        }),
      },
    },
    async (request, reply) => {
      const receiver = registry.qimenReceiver();
      if (!receiver) throw new HttpProblem(404, 'Qimen is not configured');
      const body =
        request.rawBody?.toString('utf8') ?? (typeof request.body === 'string' ? request.body : '');
      // A repeated parameter (an array) cannot be what Qimen signed: left out, the signature fails.
      const query = Object.fromEntries(
        Object.entries(request.query).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
      const receipt = await receiver.receive({ query, body });
      let xml = receipt.xml;
      try {
        for (const event of receipt.events) await notify(event);
      } catch (err) {
        request.log.error({ err }, 'Qimen report recorded but notifying the shipment failed');
        // The WMS sends the report again; it is recognised and its events are delivered again.
        xml =
          '<?xml version="1.0" encoding="utf-8"?><response><flag>failure</flag><code>notify-failed</code>' +
          '<message>recorded, but the shipment could not be told; send it again</message></response>';
      }
      return reply.type('application/xml; charset=utf-8').send(xml);
    },
  );
};
