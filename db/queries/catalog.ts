import { sql } from 'kysely';
import {
  BundleError,
  expandBundles,
  type ResolvedLine,
  type SkuFacts,
} from '../../domain/allocation/order-lines.js';
import type { NormalizedOrder } from '../../domain/order.js';
import { StockError } from '../../domain/stock/errors.js';
import type { Executor } from './stock.js';

export interface SkuInput {
  code: string;
  name: string;
  weightG: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
  flags: string[];
  /** Set for a bundle: what one unit contains. An empty list turns a bundle back into a plain SKU. */
  components?: { code: string; qty: number }[];
}

export interface SkuView {
  code: string;
  name: string;
  weightG: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
  flags: string[];
  components: { code: string; qty: number }[];
}

export async function listSkus(
  db: Executor,
  filter: { search?: string; flag?: string; limit: number; offset?: number },
): Promise<SkuView[]> {
  let query = db
    .selectFrom('skus')
    .selectAll()
    .orderBy('code')
    .limit(filter.limit)
    .offset(filter.offset ?? 0);
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('code', 'ilike', pattern), eb('name', 'ilike', pattern)]));
  }
  if (filter.flag) query = query.where(sql<boolean>`${filter.flag} = any(flags)`);
  const rows = await query.execute();
  const components = await componentsOf(
    db,
    rows.map((r) => r.code),
  );
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    weightG: r.weight_g,
    lengthMm: r.length_mm,
    widthMm: r.width_mm,
    heightMm: r.height_mm,
    flags: r.flags,
    components: components.get(r.code) ?? [],
  }));
}

export async function findSku(db: Executor, code: string): Promise<SkuView | undefined> {
  const [row] = await listSkusByCode(db, [code]);
  return row;
}

async function listSkusByCode(db: Executor, codes: string[]): Promise<SkuView[]> {
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('skus').selectAll().where('code', 'in', codes).execute();
  const components = await componentsOf(db, codes);
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    weightG: r.weight_g,
    lengthMm: r.length_mm,
    widthMm: r.width_mm,
    heightMm: r.height_mm,
    flags: r.flags,
    components: components.get(r.code) ?? [],
  }));
}

async function componentsOf(db: Executor, codes: string[]) {
  const map = new Map<string, { code: string; qty: number }[]>();
  if (codes.length === 0) return map;
  const rows = await db
    .selectFrom('sku_components')
    .selectAll()
    .where('bundle_code', 'in', codes)
    .orderBy('bundle_code')
    .orderBy('component_code')
    .execute();
  for (const r of rows) {
    const list = map.get(r.bundle_code) ?? [];
    list.push({ code: r.component_code, qty: r.qty });
    map.set(r.bundle_code, list);
  }
  return map;
}

/** Creates or replaces a SKU (and its bundle components) in the caller's transaction. */
export async function saveSku(db: Executor, input: SkuInput, mode: 'create' | 'update'): Promise<SkuView> {
  const values = {
    name: input.name,
    weight_g: input.weightG,
    length_mm: input.lengthMm,
    width_mm: input.widthMm,
    height_mm: input.heightMm,
    flags: [...new Set(input.flags)],
  };
  if (mode === 'create') {
    const created = await db
      .insertInto('skus')
      .values({ code: input.code, ...values })
      .onConflict((oc) => oc.column('code').doNothing())
      .returning('code')
      .executeTakeFirst();
    if (!created) throw new StockError('conflict', `SKU "${input.code}" already exists`, 'code');
  } else {
    const updated = await db
      .updateTable('skus')
      .set(values)
      .where('code', '=', input.code)
      .returning('code')
      .executeTakeFirst();
    if (!updated) throw new StockError('unknown_sku', `unknown SKU "${input.code}"`, 'code');
  }
  if (input.components) await setComponents(db, input.code, input.components);
  return (await findSku(db, input.code))!;
}

async function setComponents(db: Executor, bundle: string, components: { code: string; qty: number }[]) {
  const codes = components.map((c) => c.code);
  components.forEach((c, i) => {
    if (c.code === bundle)
      throw new StockError('invalid', `a bundle cannot contain itself`, `components.${i}.code`);
    if (codes.indexOf(c.code) !== i)
      throw new StockError('invalid', `component "${c.code}" is listed twice`, `components.${i}.code`);
  });
  if (codes.length) {
    const known = new Set(
      (await db.selectFrom('skus').select('code').where('code', 'in', codes).execute()).map((r) => r.code),
    );
    components.forEach((c, i) => {
      if (!known.has(c.code))
        throw new StockError('unknown_sku', `unknown component SKU "${c.code}"`, `components.${i}.code`);
    });
    // A component that is itself a bundle containing this one would loop forever when expanded.
    const { rows } = await sql<{ code: string }>`
      with recursive reach(code) as (
        select component_code from sku_components where bundle_code in (${sql.join(codes)})
        union select sc.component_code from sku_components sc join reach r on sc.bundle_code = r.code
      ) select code from reach where code = ${bundle} limit 1`.execute(db);
    if (rows.length) throw new StockError('invalid', `bundle "${bundle}" would contain itself`, 'components');
  }
  await db.deleteFrom('sku_components').where('bundle_code', '=', bundle).execute();
  if (components.length) {
    await db
      .insertInto('sku_components')
      .values(components.map((c) => ({ bundle_code: bundle, component_code: c.code, qty: c.qty })))
      .execute();
  }
}

// ---------------------------------------------------------------------------------------------
// Platform SKU mappings

export interface MappingInput {
  platform: string;
  shopId?: string | null;
  platformSkuId?: string | null;
  outerCode?: string | null;
  skuCode: string;
}

export async function createMapping(db: Executor, input: MappingInput) {
  const sku = await db.selectFrom('skus').select('code').where('code', '=', input.skuCode).executeTakeFirst();
  if (!sku) throw new StockError('unknown_sku', `unknown SKU "${input.skuCode}"`, 'skuCode');
  if (input.shopId) {
    const shop = await db.selectFrom('shops').select('id').where('id', '=', input.shopId).executeTakeFirst();
    if (!shop) throw new StockError('not_found', `unknown shop "${input.shopId}"`, 'shopId');
  }
  try {
    return await db
      .insertInto('platform_sku_mappings')
      .values({
        platform: input.platform,
        shop_id: input.shopId ?? null,
        platform_sku_id: input.platformSkuId ?? null,
        outer_code: input.outerCode ?? null,
        sku_code: input.skuCode,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw new StockError(
        'conflict',
        `a mapping for this ${input.platformSkuId ? 'platform SKU id' : 'outer code'} already exists` +
          (input.shopId ? ` in shop ${input.shopId}` : ' for all shops'),
        input.platformSkuId ? 'platformSkuId' : 'outerCode',
      );
    }
    throw err;
  }
}

export async function deleteMapping(db: Executor, id: number): Promise<boolean> {
  const result = await db.deleteFrom('platform_sku_mappings').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function listMappings(
  db: Executor,
  filter: { platform?: string; shopId?: string; skuCode?: string; limit: number; offset?: number },
) {
  let query = db
    .selectFrom('platform_sku_mappings')
    .selectAll()
    .orderBy('id')
    .limit(filter.limit)
    .offset(filter.offset ?? 0);
  if (filter.platform) query = query.where('platform', '=', filter.platform);
  if (filter.shopId) query = query.where('shop_id', '=', filter.shopId);
  if (filter.skuCode) query = query.where('sku_code', '=', filter.skuCode);
  return query.execute();
}

// ---------------------------------------------------------------------------------------------
// Order lines → internal SKUs

export interface UnmappedLine {
  lineId: string;
  skuCode: string;
  platformSkuId: string;
  problem: string;
}

export interface ResolvedOrderLines {
  lines: ResolvedLine[];
  /** Lines no mapping or SKU matches: the order is held until someone maps them. */
  unmapped: UnmappedLine[];
  /** How each order line was matched, for the timeline. */
  matches: { lineId: string; sku: string; via: 'platform_sku_id' | 'outer_code' | 'sku_code' }[];
}

/**
 * Maps a platform order's lines to internal SKUs and expands bundles into components. A shop's own
 * mapping beats a platform-wide one; a platform SKU id beats the seller's outer code; an outer code
 * that is itself an internal SKU code needs no mapping.
 */
export async function resolveOrderLines(
  db: Executor,
  order: Pick<NormalizedOrder, 'platform' | 'shopId' | 'lines'>,
): Promise<ResolvedOrderLines> {
  const ids = [...new Set(order.lines.map((l) => l.platformSkuId).filter(Boolean))];
  const outer = [...new Set(order.lines.map((l) => l.skuCode))];
  const mappings = await db
    .selectFrom('platform_sku_mappings')
    .select(['shop_id', 'platform_sku_id', 'outer_code', 'sku_code'])
    .where('platform', '=', order.platform)
    .where((eb) => eb.or([eb('shop_id', '=', order.shopId), eb('shop_id', 'is', null)]))
    .where((eb) =>
      eb.or([...(ids.length ? [eb('platform_sku_id', 'in', ids)] : []), eb('outer_code', 'in', outer)]),
    )
    .execute();
  const direct = new Set(
    (await db.selectFrom('skus').select('code').where('code', 'in', outer).execute()).map((r) => r.code),
  );

  const find = (field: 'platform_sku_id' | 'outer_code', value: string, shop: boolean) =>
    mappings.find((m) => m[field] === value && (shop ? m.shop_id === order.shopId : m.shop_id === null));

  const matches: ResolvedOrderLines['matches'] = [];
  const unmapped: UnmappedLine[] = [];
  for (const line of order.lines) {
    const byId = line.platformSkuId
      ? (find('platform_sku_id', line.platformSkuId, true) ??
        find('platform_sku_id', line.platformSkuId, false))
      : undefined;
    const byOuter = find('outer_code', line.skuCode, true) ?? find('outer_code', line.skuCode, false);
    if (byId) matches.push({ lineId: line.lineId, sku: byId.sku_code, via: 'platform_sku_id' });
    else if (byOuter) matches.push({ lineId: line.lineId, sku: byOuter.sku_code, via: 'outer_code' });
    else if (direct.has(line.skuCode))
      matches.push({ lineId: line.lineId, sku: line.skuCode, via: 'sku_code' });
    else
      unmapped.push({
        lineId: line.lineId,
        skuCode: line.skuCode,
        platformSkuId: line.platformSkuId,
        problem:
          `no SKU mapping for outer code "${line.skuCode}"` +
          (line.platformSkuId ? ` or ${order.platform} SKU id "${line.platformSkuId}"` : '') +
          ` in shop ${order.shopId}`,
      });
  }

  const catalog = await loadSkuFacts(
    db,
    matches.map((m) => m.sku),
  );
  const quantities = new Map(order.lines.map((l) => [l.lineId, l.quantity]));
  try {
    const lines = expandBundles(
      matches.map((m) => ({ lineId: m.lineId, sku: m.sku, qty: quantities.get(m.lineId)! })),
      catalog,
    );
    return { lines, unmapped, matches };
  } catch (err) {
    if (err instanceof BundleError) throw new StockError('invalid', err.message);
    throw err;
  }
}

/** The SKUs and, transitively, their bundle components, with what allocation and packing need. */
export async function loadSkuFacts(db: Executor, codes: readonly string[]): Promise<Map<string, SkuFacts>> {
  const facts = new Map<string, SkuFacts>();
  let pending = [...new Set(codes)];
  while (pending.length) {
    const rows = await listSkusByCode(db, pending);
    for (const r of rows) {
      facts.set(r.code, {
        code: r.code,
        weightG: r.weightG,
        lengthMm: r.lengthMm,
        widthMm: r.widthMm,
        heightMm: r.heightMm,
        flags: r.flags,
        ...(r.components.length ? { components: r.components } : {}),
      });
    }
    pending = [...new Set(rows.flatMap((r) => r.components.map((c) => c.code)).filter((c) => !facts.has(c)))];
  }
  return facts;
}
