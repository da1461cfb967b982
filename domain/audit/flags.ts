import { z } from 'zod';

/** Labels a rule can put on an order without holding it; pick lists and screens show them. */
export const ORDER_FLAGS = [
  'urgent',
  'gift',
  'vip',
  'fragile',
  'cold_chain',
  'custom_made',
  'invoice',
  'cross_border',
  'large_order',
  'remark',
] as const;
export const OrderFlagSchema = z.enum(ORDER_FLAGS);
export type OrderFlag = z.infer<typeof OrderFlagSchema>;

/**
 * SKU flags as stored in `skus.flags`. Compared case-insensitively with "-" and "_" treated alike,
 * so "cold-chain" in master data matches "cold_chain" in a rule.
 */
export function normalizeSkuFlag(flag: string): string {
  return flag.trim().toLowerCase().replace(/-/g, '_');
}
