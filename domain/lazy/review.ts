import { z } from 'zod';
import { OrderFlagSchema } from '../audit/flags.js';
import { RoleSchema, type Role } from '../audit/roles.js';
import { CarrierCodeSchema } from '../carriers/codes.js';
import { builtOnce } from './built-once.js';
import { orderLineSchema, receiverSchema } from './order.js';

/**
 * Human decisions on an order, as the API receives them and as the order workflow validates them
 * (the same schemas on both sides, so a bad payload is refused with the same words either way).
 */

export const actorSchema = builtOnce(() =>
  z.object({
    id: z.string().min(1, 'must not be empty').max(128),
    name: z.string().max(128).optional(),
    roles: z.array(RoleSchema).min(1, 'must name at least one role'),
  }),
);
export type Actor = z.infer<ReturnType<typeof actorSchema>>;

const note = () => z.string().trim().max(500, 'must be at most 500 characters');

/**
 * Receiver fields a reviewer may change. Unlike `ReceiverSchema` nothing has a default: a field
 * left out keeps the order's value instead of being reset (an edit of the street alone must not
 * blank the city).
 */
export const receiverEditSchema = builtOnce(() => {
  const receiver = receiverSchema().shape;
  return z.object({
    name: receiver.name.optional(),
    phone: receiver.phone.optional(),
    country: receiver.country.unwrap().optional(),
    province: receiver.province.optional(),
    city: receiver.city.unwrap().optional(),
    district: receiver.district.unwrap().optional(),
    town: receiver.town,
    detail: receiver.detail.optional(),
    postalCode: receiver.postalCode,
    protected: receiver.protected.unwrap().optional(),
    addressHandle: receiver.addressHandle,
  });
});

/** The edits' fields other than the carrier, whose code the API checks itself (422, not 400). */
export const orderEditFields = builtOnce(() => ({
  receiver: receiverEditSchema().optional(),
  lines: z.array(orderLineSchema()).min(1, 'must keep at least one line').max(500).optional(),
  sellerMemo: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
}));

export const changesSomething = [
  (e: Record<string, unknown>) => Object.values(e).some((v) => v !== undefined),
  { message: 'must change at least one field' },
] as const;

export const orderEditsSchema = builtOnce(() =>
  z
    .object({ ...orderEditFields(), carrierPreference: CarrierCodeSchema.nullable().optional() })
    .refine(...changesSomething),
);
export type OrderEdits = z.infer<ReturnType<typeof orderEditsSchema>>;

export const reviewDecisionSchema = builtOnce(() =>
  z.discriminatedUnion(
    'decision',
    [
      z.object({
        decision: z.literal('approve'),
        actor: actorSchema(),
        note: note().optional(),
        /**
         * For a packed parcel holding a line whose refund was requested: take it apart and pack the
         * other lines again (the default), or ship it as packed and leave the refund to after-sales.
         */
        packedParcel: z.enum(['repack', 'ship']).optional(),
        /**
         * For an order held because it needs several parcels and its shop does not split on its own:
         * wait until one warehouse can ship it together (the default; resumes when stock arrives), or
         * split it now (refused again while the shop's split-shipment mode is `never`).
         */
        split: z.enum(['wait', 'split']).optional(),
      }),
      z.object({
        decision: z.literal('reject'),
        actor: actorSchema(),
        reason: note().min(1, 'a reason is required to reject an order'),
      }),
      z.object({
        decision: z.literal('edit'),
        actor: actorSchema(),
        edits: orderEditsSchema(),
        note: note().optional(),
      }),
    ],
    { error: () => 'must have a "decision" of approve, reject or edit' },
  ),
);
export type ReviewDecision = z.infer<ReturnType<typeof reviewDecisionSchema>>;

export const serviceActionSchema = builtOnce(() =>
  z.discriminatedUnion(
    'action',
    [
      z.object({
        action: z.literal('lock'),
        actor: actorSchema(),
        reason: note().min(1, 'say why the order is locked'),
      }),
      z.object({ action: z.literal('unlock'), actor: actorSchema(), note: note().optional() }),
      z.object({ action: z.literal('flag'), actor: actorSchema(), flag: OrderFlagSchema }),
      z.object({ action: z.literal('unflag'), actor: actorSchema(), flag: OrderFlagSchema }),
      z.object({ action: z.literal('memo'), actor: actorSchema(), memo: note().min(1, 'must not be empty') }),
    ],
    { error: () => 'must have an "action" of lock, unlock, flag, unflag or memo' },
  ),
);
export type ServiceAction = z.infer<ReturnType<typeof serviceActionSchema>>;

/** Roles allowed to take each customer-service action (admin always may). */
export const SERVICE_ACTION_ROLES: Record<ServiceAction['action'], Role[]> = {
  lock: ['customer-service'],
  unlock: ['customer-service'],
  flag: ['customer-service', 'reviewer'],
  unflag: ['customer-service', 'reviewer'],
  memo: ['customer-service', 'reviewer', 'finance', 'warehouse'],
};

/** Formats zod issues as `field: problem; …` for Update rejections and HTTP 422 bodies. */
export function describeZodIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(payload)'}: ${i.message}`)
    .join('; ');
}
