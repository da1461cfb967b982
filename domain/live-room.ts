import { z } from 'zod';
import { builtOnce } from './lazy/built-once.js';
import type { NormalizedOrder } from './order.js';

/**
 * Shop rules that make an order a livestream order where the platform does not say so (Taobao,
 * JD, PDD, Shopee… carry no live-room field we could confirm): the whole shop is a live room, or a
 * campaign — a live session with its time window and, optionally, the SKUs sold in it — is.
 * Set in `shops.settings.liveRoom`.
 */
export const liveSessionSchema = builtOnce(() =>
  z.object({
    name: z.string().trim().min(1, 'must not be empty').max(100),
    from: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset' }),
    to: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset' }),
    /** Only orders with one of these seller SKU codes; empty or absent: every order in the window. */
    skuCodes: z.array(z.string().trim().min(1).max(64)).max(500).optional(),
  }),
);
export type LiveSession = z.infer<ReturnType<typeof liveSessionSchema>>;

export const liveRoomRuleSchema = builtOnce(() =>
  z
    .object({
      /** Every order of the shop is a livestream order (a shop that only sells in its live room). */
      wholeShop: z.boolean().default(false),
      sessions: z.array(liveSessionSchema()).max(200).default([]),
    })
    .nullable(),
);
export type LiveRoomRule = z.infer<ReturnType<typeof liveRoomRuleSchema>>;

/**
 * Why the shop's rule makes this order a livestream order, or null. Presale and group-buy orders
 * keep their type: what gates their shipping matters more than urgency.
 */
export function liveRoomReason(
  order: Pick<NormalizedOrder, 'type' | 'createdAt' | 'lines'>,
  rule: LiveRoomRule | undefined,
): string | null {
  if (!rule || order.type !== 'normal') return null;
  if (rule.wholeShop) return 'the shop is a live room';
  const placed = Date.parse(order.createdAt);
  const skus = new Set(order.lines.map((l) => l.skuCode));
  const session = rule.sessions.find(
    (s) =>
      Date.parse(s.from) <= placed &&
      placed < Date.parse(s.to) &&
      (!s.skuCodes?.length || s.skuCodes.some((code) => skus.has(code))),
  );
  return session ? `placed during live session ${session.name}` : null;
}
