export { validateChineseAddress } from './address.js';
export { regionFromAddressLines, type AddressLines, type ChineseRegion } from './address-lines.js';
export { provinceCode, provinceOfCode, regionCodes } from './codes.js';
export { isCountryCode } from './foreign.js';
export { latinProvince, resolveProvince } from './latin.js';
export { PROVINCES, type RegionCity, type RegionDistrict, type RegionProvince } from './division.js';
export type {
  AddressField,
  AddressInput,
  AddressProblem,
  AddressProblemCode,
  AddressValidation,
  NormalizedAddress,
  RegionCodes,
} from './types.js';
