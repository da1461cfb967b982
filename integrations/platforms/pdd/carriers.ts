import type { CarrierCode } from '../../../domain/carriers/codes.js';

/**
 * Our carrier codes → PDD numeric `logistics_id` (`pdd.logistics.companies.get`), for
 * `pdd.logistics.online.send`. ⚠️ Ids as commonly used by ERPs, not from an official source: the
 * shop's own `pdd.logistics.companies.get` is authoritative; pass `carrierCodes` to the adapter to
 * add or correct entries. Carriers missing here are refused rather than guessed.
 */
export const PDD_LOGISTICS_IDS: Partial<Record<CarrierCode, string>> = {
  STO: '1',
  HTKY: '3',
  SF: '44',
  YTO: '85',
  ZTO: '115',
  EMS: '118',
  JD: '120',
  YUNDA: '121',
  POSTB: '132',
};
