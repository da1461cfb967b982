/** The receiver fields an address check reads; a `Receiver` from domain/order.ts fits. */
export interface AddressInput {
  name?: string | undefined;
  phone?: string | undefined;
  country?: string | undefined;
  province?: string | undefined;
  city?: string | undefined;
  district?: string | undefined;
  town?: string | undefined;
  detail?: string | undefined;
  postalCode?: string | undefined;
  /** Masked/encrypted name, phone and detail (Taobao OAID, PDD, Douyin): their format is not checked. */
  protected?: boolean | undefined;
}

export type AddressField =
  'name' | 'phone' | 'country' | 'province' | 'city' | 'district' | 'detail' | 'postalCode';

export type AddressProblemCode = 'missing' | 'unknown' | 'format' | 'too_short';

export interface AddressProblem {
  field: AddressField;
  code: AddressProblemCode;
  /** Human-readable, safe to show an operator. */
  problem: string;
}

export interface RegionCodes {
  /** GB/T 2260 6-digit codes of what could be resolved. */
  province?: string;
  city?: string;
  district?: string;
}

export interface NormalizedAddress {
  country: string;
  province: string;
  city: string;
  district: string;
  town?: string;
  detail: string;
}

export interface AddressValidation {
  ok: boolean;
  /** Canonical names ("浙江" → "浙江省"); fields that could not be resolved are kept as given. */
  normalized: NormalizedAddress;
  codes: RegionCodes;
  problems: AddressProblem[];
}
