import { PROVINCES } from './division.js';
import { matchName } from './names.js';
import { validateChineseAddress } from './address.js';
import type { AddressInput, RegionCodes } from './types.js';

/**
 * GB/T 2260 code of a province written any common way ("浙江", "浙江省", "广西壮族自治区" →
 * 330000 / 450000), for carrier and warehouse coverage tables. Undefined when it names none.
 */
export function provinceCode(name: string): string | undefined {
  return matchName(name, PROVINCES)?.code;
}

/** The province of a 6-digit (or longer NBS) region code: 330106 → 浙江省. */
export function provinceOfCode(code: string): { code: string; name: string } | undefined {
  const prefix = code.slice(0, 2);
  const province = PROVINCES.find((p) => p.code.startsWith(prefix));
  return province ? { code: province.code, name: province.name } : undefined;
}

/** Province/city/district codes of a Chinese receiver, as far as its names resolve. */
export function regionCodes(receiver: AddressInput): RegionCodes {
  return validateChineseAddress(receiver).codes;
}
