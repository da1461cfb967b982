import { z } from 'zod';
import { CarrierCodeSchema, type CarrierCode } from './carriers/codes.js';

/**
 * A shop's `settings.platformCarrierCodes`: the code its platform knows each of our carriers by,
 * where the platform takes a carrier code from a list of its own (Amazon MFN `carrierCode` in
 * confirmShipment). A carrier named here is sent with this code; `Other` sends the carrier's name
 * (`carrierName`) instead. Carriers not named keep the adapter's built-in code, else `Other`.
 * Amazon's list is not in our facts: the built-in codes are assumed, and a seller whose
 * marketplace spells a carrier differently corrects it here.
 */
export const PlatformCarrierCodesSchema = z.partialRecord(
  CarrierCodeSchema,
  z.string().trim().min(1, 'must not be empty').max(100),
);
export type PlatformCarrierCodes = Partial<Record<CarrierCode, string>>;

/** The shop's carrier codes; a setting that does not parse is ignored (the shops API refuses it). */
export function platformCarrierCodes(
  settings: Record<string, unknown> | null | undefined,
): PlatformCarrierCodes | undefined {
  const parsed = PlatformCarrierCodesSchema.safeParse(settings?.platformCarrierCodes);
  return parsed.success ? parsed.data : undefined;
}
