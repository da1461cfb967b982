import { z } from 'zod';
import type { Platform } from '../../domain/platforms.js';
import { RequestRejectedError } from './errors.js';

/**
 * The shop's return address, where a platform wants it spelt out when a return is agreed (JD
 * `asc.audit.send`, Taobao `taobao.rp.returngoods.agree`): the shop's `credentials.extra.returnAddress`,
 * JSON.
 */
export const ReturnAddressSchema = z.object({
  contactName: z.string().min(1),
  mobile: z.string().min(1),
  tel: z.string().optional(),
  zipcode: z.string().optional(),
  province: z.string().min(1),
  city: z.string().min(1),
  county: z.string().min(1),
  village: z.string().optional(),
  detail: z.string().min(1),
  /** ❓ JD `returnAddressType` (no value list in the facts). */
  addressType: z.string().optional(),
});
export type ReturnAddress = z.infer<typeof ReturnAddressSchema>;

/** The shop's return address from its credentials' `extra.returnAddress`; absent: undefined. */
export function shopReturnAddress(
  extra: Record<string, string> | undefined,
  platform: Platform,
): ReturnAddress | undefined {
  const raw = extra?.['returnAddress'];
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new RequestRejectedError(
      `${platform}: the shop's extra.returnAddress is not JSON`,
      platform,
      'bad_settings',
    );
  }
  return ReturnAddressSchema.parse(parsed);
}
