import { z } from 'zod';
import { CarrierCodeSchema } from './carriers/codes.js';
import { liveRoomRuleSchema } from './live-room.js';

/**
 * The durations and tolerances one shop's orders live by. Shops set any of them in
 * `shops.settings`; the rest come from configuration defaults. All durations are seconds.
 */
export const OrderPolicySchema = z.object({
  /**
   * Own store / mini-program only: an unpaid order is cancelled this long after it was placed (and
   * the store is told). Marketplaces close unpaid orders themselves (domain/payment-window.ts).
   */
  unpaidCancelSeconds: z.number().positive(),
  /**
   * Marketplaces: an order still unpaid this long after it was placed (and a presale whose deposit
   * or balance is late) is flagged `unpaid_overdue` and raises an alert; it keeps waiting for the
   * platform to report it paid or closed. null: no reminder.
   */
  unpaidReminderSeconds: z.number().positive().nullable(),
  /** Presale: how long after the order is placed the buyer has to pay the deposit (定金). */
  presaleDepositSeconds: z.number().positive(),
  /**
   * Presale: how long the buyer has to pay the balance (尾款) once its window opens, when the
   * platform does not say when the window closes.
   */
  presaleBalanceSeconds: z.number().positive(),
  /** Paid amount may differ from amount due by at most this many fen before a finance hold. */
  paymentToleranceFen: z.number().int().min(0),
  /** A hold older than this is escalated (flagged, listed as overdue). */
  holdSlaSeconds: z.number().positive(),
  /** Ship-by promise counted from payment, when the platform does not state one. */
  shipBySeconds: z.number().positive(),
  /** Orders are flagged at risk this long before the ship-by deadline. */
  shipByWarningSeconds: z.number().min(0),
  /** Orders the shop counts as livestream orders where the platform does not say (domain/live-room.ts). */
  liveRoom: liveRoomRuleSchema(),
  /** Urgent (livestream) parcels go with this carrier when the platform asks for none; null: by price. */
  urgentCarrier: CarrierCodeSchema.nullable(),
});
export type OrderPolicy = z.infer<typeof OrderPolicySchema>;

export const DEFAULT_ORDER_POLICY: OrderPolicy = {
  unpaidCancelSeconds: 30 * 60,
  unpaidReminderSeconds: null,
  presaleDepositSeconds: 60 * 60,
  presaleBalanceSeconds: 3 * 24 * 3600,
  paymentToleranceFen: 0,
  holdSlaSeconds: 4 * 3600,
  shipBySeconds: 48 * 3600,
  shipByWarningSeconds: 6 * 3600,
  liveRoom: null,
  urgentCarrier: null,
};

/** Shop settings override defaults field by field; a bad value is ignored and reported. */
export function resolveOrderPolicy(
  defaults: OrderPolicy,
  settings: Record<string, unknown>,
): { policy: OrderPolicy; ignored: string[] } {
  const policy: Record<string, unknown> = { ...defaults };
  const ignored: string[] = [];
  for (const key of Object.keys(defaults) as Array<keyof OrderPolicy>) {
    if (!(key in settings)) continue;
    const parsed = OrderPolicySchema.shape[key].safeParse(settings[key]);
    if (parsed.success) policy[key] = parsed.data;
    else ignored.push(`${key}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  return { policy: policy as OrderPolicy, ignored };
}
