export { validateChineseAddress } from './address.js';
export { provinceCode, provinceOfCode, regionCodes } from './codes.js';
export { isCountryCode } from './foreign.js';
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
