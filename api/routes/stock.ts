import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  adjustStock,
  createWarehouse,
  findWarehouse,
  listLedger,
  listReplenishmentRequests,
  listStock,
  listWarehouses,
  receiveStock,
  updateWarehouse,
  verifyLedger,
} from '../../db/queries/stock.js';
import { HANDLING_CAPABILITIES } from '../../domain/allocation/capabilities.js';
import { isStockError, type StockErrorCode } from '../../domain/stock/errors.js';
import { LEDGER_KINDS, RECEIPT_KINDS, REPLENISHMENT_STATUSES } from '../../domain/stock/ledger.js';
import { HttpProblem } from '../errors.js';
import type { ApiDeps } from '../deps.js';
import {
  LedgerResponse,
  StockListResponse,
  WarehouseListResponse,
  WarehouseView,
} from '../responses/fulfilment.js';

/** Who may call what; the auth plugin enforces `config.roles`. */
export const ROLES = {
  read: ['reviewer', 'customer-service', 'warehouse', 'ops', 'admin'],
  warehouse: ['warehouse', 'admin'],
  masterData: ['ops', 'admin'],
} as const;

/** Stock facts that just changed; the integrator resumes orders waiting for these SKUs. */
export interface StockReceivedEvent {
  type: 'stock_received';
  warehouse: string;
  skus: string[];
  /** The receipt's idempotency key: the same receipt replayed carries the same key. */
  receiptKey: string;
  replayed: boolean;
}
export type StockEvent = StockReceivedEvent;

export interface StockRouteOptions extends ApiDeps {
  /** Called after a receipt is recorded. Errors are logged, never turned into a failed receipt. */
  onStockEvent?: (event: StockEvent) => Promise<void> | void;
}

const STATUS: Record<StockErrorCode, number> = {
  unknown_warehouse: 422,
  unknown_sku: 422,
  inactive_warehouse: 409,
  insufficient_stock: 409,
  not_found: 404,
  conflict: 409,
  invalid: 400,
};

/** Runs a stock/WMS operation and turns its business failures into 4xx naming the field. */
export async function problems<T>(prefix: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!isStockError(err)) throw err;
    const field = err.field ? `${prefix}.${err.field}` : undefined;
    throw new HttpProblem(
      STATUS[err.code],
      field ? `${field}: ${err.message}` : err.message,
      field ? [{ field, problem: err.message }] : [],
      err.code.toUpperCase(),
    );
  }
}

/** The caller's identity as the auth plugin records it, for the ledger's `actor`. */
export function actorOf(request: FastifyRequest): string {
  const user = (request as unknown as { user?: { id?: unknown; name?: unknown } }).user;
  const id = user?.id ?? user?.name;
  return typeof id === 'string' && id ? id : 'api';
}

/**
 * The request's idempotency key: `key` in the body, else the `Idempotency-Key` header. Without either
 * the request is applied once as sent and a retry would apply it again.
 */
export function keyOf(request: FastifyRequest, bodyKey: string | undefined, scope: string): string {
  const header = request.headers['idempotency-key'];
  const key = bodyKey ?? (typeof header === 'string' && header ? header : undefined);
  return key ? `${scope}:${key}` : `${scope}:${randomUUID()}`;
}

const code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, "_", "." or "-"');
const qty = z.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000);
const idempotencyKey = z.string().trim().min(1).max(200).optional();
const limit = z.coerce.number().int().min(1).max(500).default(100);

const Coverage = z.object({
  province: z.string().trim().min(1, 'must not be empty').max(50),
  priority: z.number().int().min(0).max(1000),
});
const WarehouseBody = z.object({
  code,
  name: z.string().trim().min(1, 'must not be empty').max(100),
  province: z.string().trim().min(1, 'must not be empty').max(50),
  regionCode: z
    .string()
    .trim()
    .regex(/^\d{2,12}$/, 'must be a GB region code such as 330100')
    .nullable()
    .optional(),
  coverage: z.array(Coverage).max(100).default([]),
  capabilities: z.array(z.enum(HANDLING_CAPABILITIES)).max(10).default([]),
  active: z.boolean().default(true),
});
const WarehousePatch = WarehouseBody.omit({ code: true }).partial();

function warehouseView(row: Awaited<ReturnType<typeof findWarehouse>> & object) {
  return {
    code: row.code,
    name: row.name,
    province: row.province,
    regionCode: row.region_code,
    coverage: row.coverage,
    capabilities: row.capabilities,
    active: row.active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const ReceiptBody = z.object({
  key: idempotencyKey,
  warehouse: code,
  kind: z.enum(RECEIPT_KINDS).default('purchase'),
  reference: z.string().trim().max(100).optional(),
  note: z.string().trim().max(500).optional(),
  lines: z
    .array(z.object({ sku: code, qty }))
    .min(1, 'must contain at least one line')
    .max(1000),
});

const AdjustmentBody = z.object({
  key: idempotencyKey,
  warehouse: code,
  reason: z.string().trim().min(1, 'is required: say why the count changes').max(500),
  lines: z
    .array(
      z.object({
        sku: code,
        delta: z
          .number()
          .int('must be a whole number')
          .min(-1_000_000)
          .max(1_000_000)
          .refine((d) => d !== 0, 'must not be zero'),
      }),
    )
    .min(1, 'must contain at least one line')
    .max(1000),
});

export const stockRoutes: FastifyPluginAsyncZod<StockRouteOptions> = async (app, { db, onStockEvent }) => {
  // Warehouses ------------------------------------------------------------------------------
  app.get(
    '/warehouses',
    {
      config: { roles: ROLES.read },
      schema: {
        tags: ['stock'],
        summary: 'Warehouses with coverage and capabilities',
        querystring: z.object({ active: z.enum(['true', 'false']).optional() }),
        response: { 200: WarehouseListResponse },
      },
    },
    async (request) => {
      const rows = await listWarehouses(db, { activeOnly: request.query.active === 'true' });
      return {
        warehouses: rows
          .filter((w) => request.query.active !== 'false' || !w.active)
          .map((w) => warehouseView(w)),
      };
    },
  );

  app.get(
    '/warehouses/:code',
    {
      config: { roles: ROLES.read },
      schema: {
        tags: ['stock'],
        summary: 'One warehouse',
        params: z.object({ code }),
        response: { 200: WarehouseView },
      },
    },
    async (request) => {
      const row = await findWarehouse(db, request.params.code);
      if (!row) throw new HttpProblem(404, `no warehouse "${request.params.code}"`);
      return warehouseView(row);
    },
  );

  app.post(
    '/warehouses',
    {
      config: { roles: ROLES.masterData },
      schema: { tags: ['stock'], summary: 'Create a warehouse', body: WarehouseBody },
    },
    async (request, reply) => {
      const row = await problems('body', () => createWarehouse(db, request.body));
      return reply.code(201).send(warehouseView(row));
    },
  );

  app.patch(
    '/warehouses/:code',
    {
      config: { roles: ROLES.masterData },
      schema: {
        tags: ['stock'],
        summary: 'Change a warehouse (coverage, capabilities, deactivate)',
        params: z.object({ code }),
        body: WarehousePatch,
      },
    },
    async (request) => {
      const row = await problems('params', () => updateWarehouse(db, request.params.code, request.body));
      return warehouseView(row);
    },
  );

  // Stock ---------------------------------------------------------------------------------------
  app.get(
    '/stock',
    {
      config: { roles: ROLES.read },
      schema: {
        tags: ['stock'],
        summary: 'On hand, reserved and available per warehouse × SKU',
        querystring: z.object({
          warehouse: code.optional(),
          sku: code.optional(),
          maxAvailable: z.coerce.number().int().min(0).optional(),
          limit,
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: StockListResponse },
      },
    },
    async (request) => {
      const rows = await listStock(db, request.query);
      return {
        stock: rows.map((r) => ({
          warehouse: r.warehouse_code,
          sku: r.sku_code,
          onHand: r.on_hand,
          reserved: r.reserved,
          available: r.available,
          updatedAt: r.updated_at.toISOString(),
        })),
      };
    },
  );

  app.get(
    '/stock/ledger',
    {
      config: { roles: ROLES.read },
      schema: {
        tags: ['stock'],
        summary: 'Stock movements, newest first',
        querystring: z.object({
          warehouse: code.optional(),
          sku: code.optional(),
          orderId: z.string().max(200).optional(),
          kind: z.enum(LEDGER_KINDS).optional(),
          before: z.coerce.number().int().min(1).optional(),
          limit,
        }),
        response: { 200: LedgerResponse },
      },
    },
    async (request) => {
      const { before, ...filter } = request.query;
      const rows = await listLedger(db, { ...filter, ...(before ? { beforeId: before } : {}) });
      return {
        movements: rows.map((r) => ({
          id: r.id,
          warehouse: r.warehouse_code,
          sku: r.sku_code,
          kind: r.kind,
          qty: r.qty,
          onHandDelta: r.on_hand_delta,
          reservedDelta: r.reserved_delta,
          orderId: r.order_id,
          allocationId: r.allocation_id,
          reference: r.reference,
          actor: r.actor,
          reason: r.reason,
          at: r.at.toISOString(),
        })),
        nextBefore: rows.length === request.query.limit ? rows.at(-1)!.id : null,
      };
    },
  );

  app.get(
    '/stock/consistency',
    {
      config: { roles: ROLES.masterData },
      schema: { tags: ['stock'], summary: 'Check that every stock row equals the sum of its ledger' },
    },
    async () => verifyLedger(db),
  );

  app.post(
    '/stock/receipts',
    {
      config: { roles: ROLES.warehouse },
      schema: {
        tags: ['stock'],
        summary: 'Receive stock (purchase, transfer or return); orders waiting for it are resumed',
        body: ReceiptBody,
      },
    },
    async (request, reply) => {
      const { key, ...body } = request.body;
      const receiptKey = keyOf(request, key, 'receipt');
      const result = await problems('body', () =>
        receiveStock(db, {
          ...body,
          key: receiptKey,
          actor: actorOf(request),
          ...(body.reference ? { reference: body.reference } : {}),
        }),
      );
      if (onStockEvent) {
        try {
          await onStockEvent({
            type: 'stock_received',
            warehouse: body.warehouse,
            skus: [...new Set(body.lines.map((l) => l.sku))],
            receiptKey,
            replayed: result.replayed,
          });
        } catch (err) {
          request.log.error({ err, receiptKey }, 'stock receipt recorded but resuming waiting orders failed');
        }
      }
      return reply
        .code(result.replayed ? 200 : 201)
        .send({ key: receiptKey, replayed: result.replayed, ...result.outcome });
    },
  );

  app.post(
    '/stock/adjustments',
    {
      config: { roles: ROLES.warehouse },
      schema: {
        tags: ['stock'],
        summary: 'Correct on-hand counts; a reason is required',
        body: AdjustmentBody,
      },
    },
    async (request, reply) => {
      const { key, ...body } = request.body;
      const adjustmentKey = keyOf(request, key, 'adjust');
      const result = await problems('body', () =>
        adjustStock(db, { ...body, key: adjustmentKey, actor: actorOf(request) }),
      );
      return reply
        .code(result.replayed ? 200 : 201)
        .send({ key: adjustmentKey, replayed: result.replayed, ...result.outcome });
    },
  );

  app.get(
    '/replenishment-requests',
    {
      config: { roles: ROLES.read },
      schema: {
        tags: ['stock'],
        summary: 'What to buy or transfer, and which orders wait for it',
        querystring: z.object({
          status: z.enum(REPLENISHMENT_STATUSES).optional(),
          warehouse: code.optional(),
          sku: code.optional(),
          limit,
        }),
      },
    },
    async (request) => {
      const rows = await listReplenishmentRequests(db, request.query);
      return {
        requests: rows.map((r) => ({
          id: r.id,
          warehouse: r.warehouse_code,
          sku: r.sku_code,
          qtyShort: r.qty_short,
          qtyReceived: r.qty_received,
          status: r.status,
          orderIds: r.order_ids,
          reasons: r.reasons,
          createdAt: r.created_at.toISOString(),
          updatedAt: r.updated_at.toISOString(),
        })),
      };
    },
  );
};
