import type { SimInventory } from '../../kit/inventory.js';
import { TemuAfterSalesFailure as TemuProductFailure } from './after-sales.js';

/**
 * The simulator's Temu stock calls of local goods (docs/platforms/temu.md §Stock), written from the
 * partner docs' pages as copied, not from the adapter: `bg.local.goods.stock.edit` — `goodsId`
 * required, exactly one of `skuStockTargetList` (set) and `skuStockChangeList` (add) (150013003
 * otherwise), no SKU twice (150013001), quantities 0–1,000,000 (150013002), `stockType` 0 or 1, a
 * `requestUniqueKey` used before refused — answering each SKU's `stockEditStatus`; and
 * `temu.local.goods.sku.stock.query` by `goodsId` and / or `skuIdList`, answering
 * `selfOrdinaryStock{stock, stockType}` per SKU. A listing is `<goodsId>:<skuId>` in the
 * inventory; an unknown or delisted SKU is refused in its own entry (the codes and words there are
 * the simulator's own: the docs list none for it).
 */
export function temuStockApis(options: { inventory?: SimInventory; shopKey: string; now: () => Date }) {
  const { shopKey, now } = options;
  const used = new Set<string>();
  const fail = (code: number, message: string): never => {
    throw new TemuProductFailure(code, message);
  };
  const inventory = () => {
    options.inventory?.countCall(shopKey);
    return options.inventory;
  };
  const longOf = (v: unknown, name: string): string => {
    if (typeof v === 'bigint') return String(v);
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) return String(v);
    return fail(150010003, `Invalid Request Parameters: ${name}`);
  };
  const rows = (v: unknown, name: string): Record<string, unknown>[] | undefined => {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.length === 0) return fail(150010003, `Invalid Request Parameters: ${name}`);
    return v as Record<string, unknown>[];
  };

  return {
    'bg.local.goods.stock.edit': (b: Record<string, unknown>) => {
      const stock = inventory();
      const goodsId = longOf(b.goodsId, 'goodsId');
      const targets = rows(b.skuStockTargetList, 'skuStockTargetList');
      const changes = rows(b.skuStockChangeList, 'skuStockChangeList');
      if ((targets === undefined) === (changes === undefined))
        fail(150013003, 'Only one stock adjustment method can be active at a time');
      if (b.stockType !== undefined && b.stockType !== 0 && b.stockType !== 1)
        fail(150010003, 'Invalid Request Parameters: stockType');
      const key = b.requestUniqueKey === undefined ? undefined : String(b.requestUniqueKey);
      if (key !== undefined && used.has(key)) fail(150010003, `Duplicate request: ${key}`);
      const entries = (targets ?? changes)!.map((r) => ({
        skuId: longOf(r.skuId, 'skuId'),
        value: targets ? r.stockTarget : r.stockDiff,
      }));
      if (new Set(entries.map((e) => e.skuId)).size !== entries.length)
        fail(150013001, 'Duplicate SKUs detected. Please remove them and try again');
      for (const e of entries) {
        if (typeof e.value !== 'number' || !Number.isInteger(e.value))
          fail(150010003, `Invalid Request Parameters: ${targets ? 'stockTarget' : 'stockDiff'}`);
      }
      if (key !== undefined) used.add(key);
      const at = now();
      const statuses = entries.map((e) => {
        const listing = stock?.get(shopKey, `${goodsId}:${e.skuId}`);
        if (!listing)
          return {
            skuId: Number(e.skuId),
            stockEditStatus: false,
            errorCode: 150010189,
            errorMsg: 'The sku and goods not match',
          };
        if (listing.status === 'delisted')
          return {
            skuId: Number(e.skuId),
            stockEditStatus: false,
            errorCode: 150010099,
            errorMsg: 'Product blocked',
          };
        const next = targets ? (e.value as number) : listing.quantity + (e.value as number);
        if (next < 0 || next > 1_000_000)
          return {
            skuId: Number(e.skuId),
            stockEditStatus: false,
            errorCode: 150013002,
            errorMsg: 'Quantity must be between 0 and 1000000',
          };
        stock!.set(shopKey, `${goodsId}:${e.skuId}`, next, at);
        return { skuId: Number(e.skuId), stockEditStatus: true, errorCode: null, errorMsg: null };
      });
      const all = statuses.every((s) => s.stockEditStatus);
      return {
        goodsId: Number(goodsId),
        operateResult: all,
        msg: all ? 'success' : 'some SKUs were not changed',
        skuStockEditStatusInfoList: statuses,
      };
    },

    'temu.local.goods.sku.stock.query': (b: Record<string, unknown>) => {
      const stock = inventory();
      const goodsId = b.goodsId === undefined ? undefined : longOf(b.goodsId, 'goodsId');
      const skuIds = rows(b.skuIdList, 'skuIdList')?.map((s) => longOf(s, 'skuIdList'));
      if (goodsId === undefined && skuIds === undefined) fail(150010003, 'Invalid Request Parameters');
      const found = (stock?.under(shopKey, goodsId === undefined ? '' : `${goodsId}:`) ?? [])
        .map(([key, listing]) => ({ goods: key.split(':')[0]!, sku: key.split(':')[1]!, listing }))
        .filter((l) => l.sku !== undefined && (skuIds === undefined || skuIds.includes(l.sku)));
      const byGoods = new Map<string, typeof found>();
      for (const l of found) byGoods.set(l.goods, [...(byGoods.get(l.goods) ?? []), l]);
      return {
        stockList: [...byGoods.entries()].map(([goods, skus]) => ({
          goodsId: Number(goods),
          skuStockInfoList: skus.map((l) => ({
            skuId: Number(l.sku),
            outSkuSn: '',
            selfOrdinaryStock: { stock: l.listing.quantity, stockType: 0 },
          })),
        })),
      };
    },
  };
}
