import { z } from 'zod';
import { CarrierCodeSchema } from './codes.js';
import { DOMESTIC_ZONES, INTERNATIONAL_ZONES, OVERSEAS_DOMESTIC_ZONE } from './zones.js';

/**
 * A seller's account with one carrier, as the API accepts it and `carrier_accounts` stores it:
 * whether it is enabled, how waybills are issued, the monthly account, the sender printed on
 * labels, and the contract rates that replace the registry's list prices zone by zone.
 */

const ZoneSchema = z.enum([...DOMESTIC_ZONES, ...INTERNATIONAL_ZONES, OVERSEAS_DOMESTIC_ZONE]);

const grams = z.number().int('must be whole grams').positive('must be positive');
const fen = z.number().int('must be whole fen').min(0, 'must not be negative');

export const RateSchema = z.object({
  firstWeightG: grams,
  firstFen: fen,
  additionalUnitG: grams,
  additionalFen: fen,
});

export const RateOverridesSchema = z.partialRecord(ZoneSchema, RateSchema);

export const LimitOverridesSchema = z
  .object({
    maxWeightG: grams,
    maxSideMm: z.number().int().positive(),
    maxSumOfSidesMm: z.number().int().positive(),
    maxLengthPlusGirthMm: z.number().int().positive(),
  })
  .partial();

const required = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

export const SenderSchema = z.object({
  name: required(100),
  phone: required(32),
  company: z.string().trim().max(100).optional(),
  address: z.object({
    province: required(50),
    city: required(50),
    district: z.string().trim().max(50).default(''),
    town: z.string().trim().max(50).optional(),
    detail: required(300),
  }),
});
export type Sender = z.infer<typeof SenderSchema>;

/** How this account's waybills are issued: SF's own API, or Cainiao for the carriers it serves. */
export const WaybillChannelSchema = z.enum(['sf', 'cainiao']);
export type WaybillChannel = z.infer<typeof WaybillChannelSchema>;

export const CarrierAccountInputSchema = z.object({
  carrier: CarrierCodeSchema,
  enabled: z.boolean().default(true),
  waybillChannel: WaybillChannelSchema.optional(),
  /** 月结卡号 / customer code. */
  monthlyAccount: z.string().trim().max(64).optional(),
  /** SF expressTypeId, Cainiao product_code. */
  serviceType: z.string().trim().max(32).optional(),
  sender: SenderSchema.optional(),
  rateOverrides: RateOverridesSchema.default({}),
  limitOverrides: LimitOverridesSchema.default({}),
  /** Lower first: breaks price ties in the seller's favour order. */
  priority: z.number().int().min(0).max(10_000).default(100),
});
export type CarrierAccountInput = z.input<typeof CarrierAccountInputSchema>;
export type CarrierAccount = z.infer<typeof CarrierAccountInputSchema>;
