import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes that let ops filter orders in Temporal Web
 * (e.g. `OrderStatus = "held" AND Platform = "taobao"`). Never put buyer data here.
 */
export const OrderStatusKey = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
export const PlatformKey = defineSearchAttributeKey('Platform', SearchAttributeType.KEYWORD);
export const ShopIdKey = defineSearchAttributeKey('ShopId', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [OrderStatusKey, PlatformKey, ShopIdKey];

/** `--search-attribute` arguments for `temporal server start-dev`. */
export function searchAttributeCliArgs(): string[] {
  return SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]);
}
