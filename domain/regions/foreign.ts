import { personProblems } from './person.js';
import type { AddressInput, AddressProblem, AddressValidation } from './types.js';

/**
 * Cross-border receivers: we hold no region list for other countries, so only what a carrier
 * refuses a label without is checked — a real ISO 3166-1 country code, name, phone, street
 * address, city (except city-states) and a postal code where the country uses one.
 */

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** Countries where carriers reject a label without a city field. */
const CITY_STATES = new Set(['SG', 'HK', 'MO', 'MC', 'VA', 'GI']);

/** Postal code formats of the markets Shopee, Amazon and own sites ship to most. */
const POSTAL_CODES: Record<string, RegExp> = {
  US: /^\d{5}(-\d{4})?$/,
  CA: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/i,
  GB: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i,
  DE: /^\d{5}$/,
  FR: /^\d{5}$/,
  IT: /^\d{5}$/,
  ES: /^\d{5}$/,
  NL: /^\d{4} ?[A-Z]{2}$/i,
  JP: /^\d{3}-?\d{4}$/,
  KR: /^\d{5}$/,
  AU: /^\d{4}$/,
  NZ: /^\d{4}$/,
  SG: /^\d{6}$/,
  MY: /^\d{5}$/,
  TH: /^\d{5}$/,
  PH: /^\d{4}$/,
  VN: /^\d{5,6}$/,
  ID: /^\d{5}$/,
  TW: /^\d{3}(\d{2,3})?$/,
  BR: /^\d{5}-?\d{3}$/,
  MX: /^\d{5}$/,
};

// CLDR names these too, but they are groupings or private-use codes, not countries.
const NOT_COUNTRIES = /^(AA|Q[M-Z]|X[A-JL-Z]|ZZ|EU|EZ|UN)$/;

export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.test(code)) return false;
  try {
    return regionNames.of(code) !== undefined;
  } catch {
    return false;
  }
}

export function validateForeignAddress(receiver: AddressInput & { country: string }): AddressValidation {
  const country = receiver.country;
  const problems: AddressProblem[] = [];
  if (!isCountryCode(country)) {
    problems.push({
      field: 'country',
      code: 'unknown',
      problem: `is not an ISO 3166-1 alpha-2 country code: "${country}"`,
    });
  }
  problems.push(...personProblems(receiver));
  const city = (receiver.city ?? '').trim();
  const detail = (receiver.detail ?? '').trim();
  const postalCode = (receiver.postalCode ?? '').trim();
  if (!city && !CITY_STATES.has(country))
    problems.push({ field: 'city', code: 'missing', problem: 'is missing' });
  if (!detail) problems.push({ field: 'detail', code: 'missing', problem: 'is missing' });
  const format = POSTAL_CODES[country];
  if (format) {
    if (!postalCode) {
      problems.push({
        field: 'postalCode',
        code: 'missing',
        problem: `is missing (required for ${country})`,
      });
    } else if (!format.test(postalCode)) {
      problems.push({
        field: 'postalCode',
        code: 'format',
        problem: `is not a ${country} postal code: "${postalCode}"`,
      });
    }
  }
  return {
    ok: problems.length === 0,
    normalized: {
      country,
      province: (receiver.province ?? '').trim(),
      city,
      district: (receiver.district ?? '').trim(),
      ...(receiver.town ? { town: receiver.town.trim() } : {}),
      detail,
    },
    codes: {},
    problems,
  };
}
