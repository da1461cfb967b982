import { findProvince, normalizeCityName } from '../../domain/carriers/regions.js';

/**
 * Where each simulated carrier does not deliver (超区), as a test or the demo scripts it: a whole
 * province or one city in it. SF's screening (订单筛选) answers 不可收派 there and its order call
 * refuses the address, the way a real network's service area shows up before and at the waybill.
 */
export class ServiceAreas {
  private readonly excluded = new Map<string, Set<string>>();

  /** `carrier` (network key, `SF`) stops delivering to the province, or to one city in it. */
  exclude(carrier: string, province: string, city?: string): void {
    const set = this.excluded.get(carrier) ?? new Set<string>();
    set.add(key(province, city));
    this.excluded.set(carrier, set);
  }

  /** Delivers everywhere again. */
  reset(carrier: string): void {
    this.excluded.delete(carrier);
  }

  serves(carrier: string, place: { province: string; city?: string }): boolean {
    const set = this.excluded.get(carrier);
    if (!set) return true;
    return !set.has(key(place.province)) && !set.has(key(place.province, place.city));
  }
}

function key(province: string, city?: string): string {
  const p = findProvince(province)?.code ?? province.trim();
  return city === undefined ? p : `${p}/${normalizeCityName(city)}`;
}
