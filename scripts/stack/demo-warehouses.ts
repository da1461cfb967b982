import type { Db } from '../../db/connect.js';
import { createWarehouse, findWarehouse, receiveStock } from '../../db/queries/stock.js';
import { assignBin } from '../../db/queries/wms.js';
import type { HandlingCapability } from '../../domain/allocation/capabilities.js';
import { PROVINCES } from '../../domain/regions/index.js';
import { CATALOGUE, type CatalogueSku } from '../../sandbox/orders/catalogue.js';

/**
 * The demo seller's three warehouses: Hangzhou serves the east, Guangzhou the south (and, with the
 * only cold store, every cold-chain order), Beijing the north and west. Together they cover every
 * province; each has a bin for every SKU it can hold and an opening stock large enough for a day
 * of the sandbox's order stream (the warehouse robot restocks what runs low).
 */
export interface DemoWarehouse {
  code: string;
  name: string;
  province: string;
  regionCode: string;
  capabilities: HandlingCapability[];
  /** Provinces served first from here, as GB province codes (two digits). */
  provinces: string[];
}

export const DEMO_WAREHOUSES: readonly DemoWarehouse[] = [
  {
    code: 'HZ01',
    name: '杭州仓',
    province: '浙江省',
    regionCode: '330110',
    capabilities: ['fragile'],
    // 上海 江苏 浙江 安徽 福建 江西 湖北
    provinces: ['31', '32', '33', '34', '35', '36', '42'],
  },
  {
    code: 'GZ01',
    name: '广州仓（冷链）',
    province: '广东省',
    regionCode: '440113',
    capabilities: ['fragile', 'cold_chain'],
    // 湖南 广东 广西 海南 重庆 四川 贵州 云南 西藏 台湾 香港 澳门
    provinces: ['43', '44', '45', '46', '50', '51', '52', '53', '54', '71', '81', '82'],
  },
  {
    code: 'BJ01',
    name: '北京仓',
    province: '北京市',
    regionCode: '110115',
    capabilities: ['fragile'],
    // 北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 山东 河南 陕西 甘肃 青海 宁夏 新疆
    provinces: ['11', '12', '13', '14', '15', '21', '22', '23', '37', '41', '61', '62', '63', '64', '65'],
  },
];

/** Units of each SKU a warehouse opens with. */
export const OPENING_STOCK = 400;

/** Whether a warehouse can hold a SKU at all (cold-chain goods need a cold store). */
export function stocks(warehouse: Pick<DemoWarehouse, 'capabilities'>, sku: CatalogueSku): boolean {
  return !sku.coldChain || warehouse.capabilities.includes('cold_chain');
}

function provinceName(code: string): string {
  const province = PROVINCES.find((p) => p.code.startsWith(code));
  if (!province) throw new Error(`no province with code ${code}`);
  return province.name;
}

/** Bins in walking order: zone A for ambient goods, C for the cold store; four shelves per aisle. */
function binOf(index: number, sku: CatalogueSku): string {
  const aisle = String(Math.floor(index / 4) + 1).padStart(2, '0');
  const shelf = String((index % 4) + 1).padStart(2, '0');
  return `${sku.coldChain ? 'C' : 'A'}-${aisle}-${shelf}-1`;
}

/**
 * Creates the warehouses that do not exist yet (one a person has since changed is left as it is),
 * puts every SKU it can hold in a bin, and receives the opening stock once (the receipt's key makes
 * a second run a replay).
 */
export async function seedWarehouses(db: Db): Promise<void> {
  for (const warehouse of DEMO_WAREHOUSES) {
    if (!(await findWarehouse(db, warehouse.code))) {
      await createWarehouse(db, {
        code: warehouse.code,
        name: warehouse.name,
        province: warehouse.province,
        regionCode: warehouse.regionCode,
        coverage: warehouse.provinces.map((code) => ({ province: provinceName(code), priority: 10 })),
        capabilities: warehouse.capabilities,
      });
    }
    const held = CATALOGUE.filter((sku) => stocks(warehouse, sku));
    for (const [index, sku] of held.entries()) {
      await assignBin(db, { warehouse: warehouse.code, bin: binOf(index, sku), sku: sku.code });
    }
    await receiveStock(db, {
      key: `demo-opening-stock:${warehouse.code}`,
      warehouse: warehouse.code,
      kind: 'purchase',
      reference: 'opening stock',
      lines: held.map((sku) => ({ sku: sku.code, qty: OPENING_STOCK })),
      actor: 'dev-stack',
    });
  }
}
