import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { renderPickListPdf } from '../../activities/wms/pick-list-pdf.js';
import { findWarehouse } from '../../db/queries/stock.js';
import {
  assignBin,
  confirmPack,
  confirmPick,
  listBins,
  listExceptions,
  listWaves,
  loadWave,
  removeBin,
  resolveException,
} from '../../db/queries/wms.js';
import { PICK_OUTCOMES, type ConfirmationResult, type WmsEvent } from '../../domain/wms/adapter.js';
import { isBinCode } from '../../domain/wms/bins.js';
import { HttpProblem } from '../errors.js';
import type { ApiDeps } from '../server.js';
import { actorOf, keyOf, problems, ROLES } from './stock.js';

export type { WmsEvent } from '../../domain/wms/adapter.js';

export interface WmsRouteOptions extends ApiDeps {
  /**
   * Called with every event a confirmation produced, after it is recorded (the integrator signals
   * the shipment workflow). If it throws, the caller gets 503 and may resend the same key: the
   * recorded events are delivered again, each with the same `eventKey`.
   */
  onWmsEvent?: (event: WmsEvent) => Promise<void> | void;
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

export const wmsRoutes: FastifyPluginAsyncZod<WmsRouteOptions> = async (app, { db, onWmsEvent }) => {
  async function deliver(result: ConfirmationResult, log: { error: (o: object, m: string) => void }) {
    if (!onWmsEvent) return;
    for (const event of result.events) {
      try {
        await onWmsEvent(event);
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

  app.get(
    '/wms/waves/:id',
    {
      config: { roles: ROLES.read },
      schema: {
        tags: ['wms'],
        summary: 'A wave with its pick list and pack tasks',
        params: z.object({ id: waveId }),
      },
    },
    async (request) => {
      const wave = await loadWave(db, request.params.id);
      if (!wave) throw new HttpProblem(404, `no wave "${request.params.id}"`);
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
      },
    },
    async (request) => {
      const wave = await loadWave(db, request.params.id);
      if (!wave) throw new HttpProblem(404, `no wave "${request.params.id}"`);
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
      const wave = await loadWave(db, request.params.id);
      if (!wave) throw new HttpProblem(404, `no wave "${request.params.id}"`);
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
      const result = await problems('body', () =>
        confirmPick(db, {
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
      const result = await problems('body', () =>
        confirmPack(db, { ...body, key: confirmationKey, actor: actorOf(request) }),
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
};
