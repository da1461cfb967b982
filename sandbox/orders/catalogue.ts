/**
 * The simulated sellers' catalogue. Generated orders only use these SKU codes, and the dev stack
 * seeds its `skus` table from this list so every simulated order maps to a real SKU.
 */
export interface CatalogueSku {
  /** Seller's outer SKU code (Taobao outer_sku_id, PDD outer_id, JD outerSkuId). */
  code: string;
  /** Item-level code shared by the SKU's variants (Taobao outer_iid, PDD outer_goods_id). */
  spu: string;
  title: string;
  /** Variant text as platforms show it, "颜色:红色;尺码:M". */
  spec: string;
  /** Price in fen (CNY). */
  priceFen: number;
  weightGrams: number;
  volumeCm3: number;
  fragile: boolean;
  coldChain: boolean;
  /** Products pushed in livestreams. */
  livestream: boolean;
}

const sku = (
  code: string,
  title: string,
  spec: string,
  priceFen: number,
  weightGrams: number,
  volumeCm3: number,
  flags: { fragile?: boolean; coldChain?: boolean; livestream?: boolean } = {},
): CatalogueSku => ({
  code,
  spu: code.split('-').slice(0, 2).join('-'),
  title,
  spec,
  priceFen,
  weightGrams,
  volumeCm3,
  fragile: flags.fragile ?? false,
  coldChain: flags.coldChain ?? false,
  livestream: flags.livestream ?? false,
});

export const CATALOGUE: readonly CatalogueSku[] = [
  sku('TS-001-RED-M', '纯棉T恤', '颜色:红色;尺码:M', 9_900, 220, 1_500),
  sku('TS-001-RED-L', '纯棉T恤', '颜色:红色;尺码:L', 9_900, 240, 1_600),
  sku('TS-001-BLK-M', '纯棉T恤', '颜色:黑色;尺码:M', 9_900, 220, 1_500),
  sku('TS-001-BLK-L', '纯棉T恤', '颜色:黑色;尺码:L', 9_900, 240, 1_600),
  sku('MUG-002-WHT', '陶瓷马克杯', '颜色:白色', 3_900, 450, 2_400, { fragile: true }),
  sku('TEA-003-250G', '西湖龙井', '规格:250g', 16_800, 300, 2_000),
  sku('NUT-004-MIX', '坚果礼盒', '规格:混合装', 12_800, 1_200, 6_000),
  sku('ICE-005-VAN', '冰淇淋', '口味:香草;规格:6支装', 6_900, 900, 4_000, { coldChain: true }),
  sku('CASE-006-IP15', '手机壳', '型号:iPhone 15', 2_900, 60, 300),
  sku('LIP-007-01', '丝绒口红', '色号:01 正红', 19_900, 50, 120, { livestream: true }),
  sku('MASK-008-5P', '补水面膜', '规格:5片装', 8_900, 180, 600, { livestream: true }),
  sku('BEEF-009-500G', '风干牛肉干', '规格:500g', 5_900, 550, 1_800, { livestream: true }),
  sku('GLS-010-SET', '玻璃杯套装', '规格:4只装', 15_900, 1_600, 5_500, { fragile: true }),
  sku('USB-011-C1M', '快充数据线', '接口:Type-C;长度:1m', 1_900, 40, 150),
];

export function catalogueSku(code: string): CatalogueSku | undefined {
  return CATALOGUE.find((s) => s.code === code);
}
