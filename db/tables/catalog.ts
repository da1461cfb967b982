import type { ColumnType, Generated } from 'kysely';

export interface SkuComponentsTable {
  bundle_code: string;
  component_code: string;
  qty: number;
}

export interface PlatformSkuMappingsTable {
  id: Generated<number>;
  platform: string;
  /** Null: the mapping applies to every shop of the platform. */
  shop_id: string | null;
  platform_sku_id: string | null;
  outer_code: string | null;
  sku_code: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface CatalogTables {
  sku_components: SkuComponentsTable;
  platform_sku_mappings: PlatformSkuMappingsTable;
}
