import { z } from 'zod';
import type { Platform } from './platforms.js';

/**
 * Identifiers that become parts of workflow ids. Colons separate the parts of a workflow id, so
 * they are not allowed inside a part; the character set covers every platform's order ids
 * (digits, Amazon's 3-7-7 dashes, PDD's `yymmdd-…`, Shopee's alphanumerics).
 */
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const ShopIdSchema = z
  .string()
  .regex(
    KEY_PATTERN,
    'must be 1-64 characters of letters, digits, "_", "." or "-", starting with a letter or digit',
  );

export const PlatformOrderIdSchema = z
  .string()
  .regex(
    KEY_PATTERN,
    'must be 1-64 characters of letters, digits, "_", "." or "-", starting with a letter or digit',
  );

/** The business key of an order: the same platform order always maps to the same workflow. */
export function orderWorkflowId(platform: Platform, shopId: string, platformOrderId: string): string {
  return `order:${platform}:${shopId}:${platformOrderId}`;
}

export interface OrderKey {
  platform: string;
  shopId: string;
  platformOrderId: string;
}

export function parseOrderWorkflowId(id: string): OrderKey | undefined {
  const parts = id.split(':');
  if (parts.length !== 4 || parts[0] !== 'order') return undefined;
  const [, platform, shopId, platformOrderId] = parts as [string, string, string, string];
  return { platform, shopId, platformOrderId };
}
