import { z } from 'zod';
import { LABEL_SIZES } from '../../domain/carriers/label-size.js';
import { WAYBILL_ACCOUNT_STATES, WAYBILL_SERVICES } from '../../domain/carriers/waybill-account.js';

/** What the waybill account routes answer (OpenAPI and the web UI's types). */
export const WaybillAccountView = z.object({
  id: z.string(),
  shopId: z.string(),
  warehouseCode: z.string().nullable(),
  carrier: z.string(),
  service: z.enum(WAYBILL_SERVICES),
  name: z.string(),
  branchCode: z.string().nullable(),
  branchName: z.string().nullable(),
  monthlyAccount: z.string().nullable(),
  productType: z.string().nullable(),
  priority: z.number(),
  enabled: z.boolean(),
  /** Waybills left as the service last reported (counted down since); null when it reports none. */
  balance: z.number().nullable(),
  balanceCheckedAt: z.string().nullable(),
  lowBalanceAt: z.number(),
  state: z.enum(WAYBILL_ACCOUNT_STATES),
  stateReason: z.string().nullable(),
  /** The account's rate table by province (`*`: every other province); null: none. */
  rateTable: z
    .array(
      z.object({
        provinceCode: z.string(),
        province: z.string(),
        /** A city of the province priced apart from the rest of it. */
        city: z.string().optional(),
        /** The origin province (the warehouse's) the row is for; absent: any. */
        originProvinceCode: z.string().optional(),
        originProvince: z.string().optional(),
        firstWeightG: z.number(),
        firstFen: z.number(),
        additionalUnitG: z.number(),
        additionalFen: z.number(),
        /** Weight bands: up to `upToG` costs `fen`; beyond the last, the additional unit's price. */
        bands: z.array(z.object({ upToG: z.number(), fen: z.number() })).optional(),
        /** Added per parcel on top of the row's price (偏远附加费). */
        surchargeFen: z.number().optional(),
      }),
    )
    .nullable(),
  /** The label stock the account's printer is loaded with. */
  labelSize: z.enum(LABEL_SIZES),
  /** Secrets are write-only: only whether some are stored. */
  hasCredentials: z.boolean(),
});

export const WaybillAccountListResponse = z.object({ accounts: z.array(WaybillAccountView) });

/** A carrier's price in a quote. */
const QuotedCarrier = z.object({ carrier: z.string(), costFen: z.number(), chargeableWeightG: z.number() });

/** What carrier selection would choose for a parcel now, and the account that would issue it. */
export const WaybillQuoteResponse = z.object({
  ok: z.boolean(),
  /** The chosen carrier (absent: no carrier can take it, `reason` says why). */
  chosen: QuotedCarrier.optional(),
  /** The account that would issue the chosen carrier's waybill; null: the deployment's service. */
  account: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** The selection's reason, every price with where it comes from. */
  reason: z.string(),
  /** Every other carrier that could take it, cheapest first. */
  alternatives: z.array(QuotedCarrier),
  rejected: z.array(
    z.object({
      carrier: z.string(),
      reasons: z.array(
        z.object({
          code: z.string(),
          /** The reason in English. */
          message: z.string(),
          /** What `message` says, as a finer code and its particulars (domain/carriers/quote.ts `RejectionWhy`). */
          why: z
            .object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })
            .optional(),
        }),
      ),
    }),
  ),
});
