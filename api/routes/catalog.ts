import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createMapping,
  deleteMapping,
  findSku,
  listMappings,
  listSkus,
  saveSku,
} from '../../db/queries/catalog.js';
import { PlatformSchema } from '../../domain/platforms.js';
import { HttpProblem } from '../errors.js';
import type { ApiDeps } from '../deps.js';
import { problems, ROLES } from './stock.js';

const code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, "_", "." or "-"');
const millimetres = z.number().int('must be whole millimetres').min(0).max(10_000);
const limit = z.coerce.number().int().min(1).max(500).default(100);

const Component = z.object({ code, qty: z.number().int('must be a whole number').min(1).max(10_000) });
const flag = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,31}$/, 'must be a lower-case word such as fragile or cold_chain');
// No defaults here: a PATCH must leave out what it does not change.
const SkuFields = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  weightG: z.number().int('must be whole grams').min(0).max(1_000_000),
  lengthMm: millimetres,
  widthMm: millimetres,
  heightMm: millimetres,
  /** e.g. fragile, cold_chain, custom. */
  flags: z.array(flag).max(20),
  /** Makes this SKU a bundle of these components; `[]` makes it a plain SKU again. */
  components: z.array(Component).max(50),
});
const SkuBody = SkuFields.extend({
  code,
  lengthMm: millimetres.default(0),
  widthMm: millimetres.default(0),
  heightMm: millimetres.default(0),
  flags: z.array(flag).max(20).default([]),
  components: z.array(Component).max(50).optional(),
});
const SkuPatch = SkuFields.partial();

const MappingBody = z
  .object({
    platform: PlatformSchema,
    /** Omit (or null) for a mapping that applies to every shop of the platform. */
    shopId: z.string().trim().min(1).max(64).nullable().optional(),
    platformSkuId: z.string().trim().min(1).max(64).optional(),
    outerCode: z.string().trim().min(1).max(64).optional(),
    skuCode: code,
  })
  .refine((m) => m.platformSkuId || m.outerCode, {
    message: 'give platformSkuId, outerCode or both',
    path: ['platformSkuId'],
  });

export const catalogRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db }) => {
  app.get(
    '/skus',
    {
      config: { roles: ROLES.read },
      schema: {
        tags: ['catalog'],
        summary: 'SKUs with weight, dimensions, handling flags and bundle components',
        querystring: z.object({
          search: z.string().trim().max(100).optional(),
          flag: z.string().max(32).optional(),
          limit,
          offset: z.coerce.number().int().min(0).default(0),
        }),
      },
    },
    async (request) => ({ skus: await listSkus(db, request.query) }),
  );

  app.get(
    '/skus/:code',
    {
      config: { roles: ROLES.read },
      schema: { tags: ['catalog'], summary: 'One SKU', params: z.object({ code }) },
    },
    async (request) => {
      const sku = await findSku(db, request.params.code);
      if (!sku) throw new HttpProblem(404, `no SKU "${request.params.code}"`);
      return sku;
    },
  );

  app.post(
    '/skus',
    {
      config: { roles: ROLES.masterData },
      schema: { tags: ['catalog'], summary: 'Create a SKU or bundle', body: SkuBody },
    },
    async (request, reply) => {
      const sku = await problems('body', () =>
        db.transaction().execute((trx) => saveSku(trx, request.body, 'create')),
      );
      return reply.code(201).send(sku);
    },
  );

  app.patch(
    '/skus/:code',
    {
      config: { roles: ROLES.masterData },
      schema: {
        tags: ['catalog'],
        summary: 'Change a SKU, or set its bundle components',
        params: z.object({ code }),
        body: SkuPatch,
      },
    },
    async (request) => {
      const { code: skuCode } = request.params;
      return problems('body', () =>
        db.transaction().execute(async (trx) => {
          const current = await findSku(trx, skuCode);
          if (!current) throw new HttpProblem(404, `no SKU "${skuCode}"`);
          const { components: _current, ...fields } = current;
          return saveSku(trx, { ...fields, ...request.body, code: skuCode }, 'update');
        }),
      );
    },
  );

  app.get(
    '/sku-mappings',
    {
      config: { roles: ROLES.read },
      schema: {
        tags: ['catalog'],
        summary: 'Platform SKU ids and outer codes mapped to internal SKUs',
        querystring: z.object({
          platform: PlatformSchema.optional(),
          shopId: z.string().max(64).optional(),
          skuCode: code.optional(),
          limit,
          offset: z.coerce.number().int().min(0).default(0),
        }),
      },
    },
    async (request) => {
      const rows = await listMappings(db, request.query);
      return { mappings: rows.map(mappingView) };
    },
  );

  app.post(
    '/sku-mappings',
    {
      config: { roles: ROLES.masterData },
      schema: { tags: ['catalog'], summary: 'Map a platform SKU to an internal SKU', body: MappingBody },
    },
    async (request, reply) => {
      const row = await problems('body', () => createMapping(db, request.body));
      return reply.code(201).send(mappingView(row));
    },
  );

  app.delete(
    '/sku-mappings/:id',
    {
      config: { roles: ROLES.masterData },
      schema: {
        tags: ['catalog'],
        summary: 'Remove a mapping',
        params: z.object({ id: z.coerce.number().int().min(1) }),
      },
    },
    async (request, reply) => {
      if (!(await deleteMapping(db, request.params.id))) {
        throw new HttpProblem(404, `no SKU mapping ${request.params.id}`);
      }
      return reply.code(204).send();
    },
  );
};

function mappingView(row: Awaited<ReturnType<typeof listMappings>>[number]) {
  return {
    id: row.id,
    platform: row.platform,
    shopId: row.shop_id,
    platformSkuId: row.platform_sku_id,
    outerCode: row.outer_code,
    skuCode: row.sku_code,
    createdAt: row.created_at.toISOString(),
  };
}
