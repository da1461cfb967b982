import { randomInt } from 'node:crypto';
import { findProvince } from '../../domain/carriers/regions.js';
import { carrierName } from './codes.js';

/**
 * The simulated parcel network behind every carrier simulator: waybills issued by SF or Cainiao
 * become parcels here, move along a realistic route (揽收 → 运输中 → 派件 → 签收) and are
 * reported by the tracking simulators (Kuaidi100, KDNiao, SF routes) in their own formats.
 *
 * Time: each parcel has a planned route with offsets from its creation; `sync()` releases the
 * scans whose time has come on the injected clock, and `advance()` releases the next scan now,
 * for tests that should not wait.
 */

export type ScanKind =
  | 'collected'
  | 'departed'
  | 'arrived'
  | 'delivering'
  | 'signed'
  | 'problem'
  | 'returning'
  | 'returned_signed'
  | 'rejected';

/**
 * How a parcel's journey goes: scripted exceptions for tests and demos. `redeliver` continues a
 * parcel that failed delivery (an address put right with the buyer): out again, then signed.
 */
export type ParcelScenario =
  'normal' | 'no_scan' | 'lost' | 'address_problem' | 'rejected' | 'returned' | 'redeliver';

export interface NetworkPlace {
  country?: string;
  province: string;
  city: string;
  district?: string;
}

export interface Scan {
  at: Date;
  kind: ScanKind;
  city: string;
  context: string;
}

interface PlannedScan {
  afterHours: number;
  kind: ScanKind;
  city: string;
  context: string;
}

export interface SimParcel {
  carrier: string;
  trackingNumber: string;
  origin: NetworkPlace;
  destination: NetworkPlace;
  /** The receiver's phone, which SF and Kuaidi100 want (last four digits) to show routes. */
  receiverPhone?: string;
  weightG?: number;
  createdAt: Date;
  cancelledAt?: Date;
  scenario: ParcelScenario;
  scans: Scan[];
  plan: PlannedScan[];
}

export interface RegisterParcel {
  carrier: string;
  trackingNumber?: string;
  origin: NetworkPlace;
  destination: NetworkPlace;
  receiverPhone?: string;
  weightG?: number;
  scenario?: ParcelScenario;
}

type ScanListener = (parcel: SimParcel, scan: Scan) => void;

const COURIERS = ['王师傅', '李师傅', '张师傅', '刘师傅', '陈师傅'];

/** Number formats close to each carrier's own, so labels and lookups look real. */
const NUMBER_FORMATS: Record<string, [prefix: string, digits: number]> = {
  SF: ['SF', 13],
  ZTO: ['78', 12],
  YTO: ['YT', 13],
  STO: ['77', 11],
  YUNDA: ['43', 11],
  JD: ['JDVA', 11],
  EMS: ['11', 11],
  POSTB: ['98', 11],
  JTSD: ['JT', 13],
  DBKD: ['DPK', 12],
  HTKY: ['55', 11],
};

export class CarrierNetwork {
  private readonly parcels = new Map<string, SimParcel>();
  private readonly listeners = new Set<ScanListener>();
  private serial = randomInt(1_000_000, 9_000_000);

  constructor(private readonly now: () => Date = () => new Date()) {}

  issueTrackingNumber(carrier: string): string {
    const [prefix, digits] = NUMBER_FORMATS[carrier] ?? [carrier.slice(0, 2), 12];
    this.serial += randomInt(1, 50);
    const body = String(this.serial).padStart(digits, '0');
    return `${prefix}${body.slice(-digits)}`;
  }

  register(input: RegisterParcel): SimParcel {
    const trackingNumber = input.trackingNumber ?? this.issueTrackingNumber(input.carrier);
    const existing = this.parcels.get(trackingNumber);
    if (existing) return existing;
    const scenario = input.scenario ?? 'normal';
    const parcel: SimParcel = {
      carrier: input.carrier,
      trackingNumber,
      origin: input.origin,
      destination: input.destination,
      ...(input.receiverPhone ? { receiverPhone: input.receiverPhone } : {}),
      ...(input.weightG !== undefined ? { weightG: input.weightG } : {}),
      createdAt: this.now(),
      scenario,
      scans: [],
      plan: planRoute(input.carrier, input.origin, input.destination, scenario),
    };
    this.parcels.set(trackingNumber, parcel);
    return parcel;
  }

  get(trackingNumber: string): SimParcel | undefined {
    this.sync();
    return this.parcels.get(trackingNumber);
  }

  /** Cancels a waybill nobody has scanned yet; a collected parcel can no longer be cancelled. */
  cancel(trackingNumber: string): 'cancelled' | 'already_cancelled' | 'collected' | 'unknown' {
    const parcel = this.get(trackingNumber);
    if (!parcel) return 'unknown';
    if (parcel.cancelledAt) return 'already_cancelled';
    if (parcel.scans.length > 0) return 'collected';
    parcel.cancelledAt = this.now();
    parcel.plan = [];
    return 'cancelled';
  }

  /** Replaces what is still to come with a scripted journey (an exception, a return, …). */
  script(trackingNumber: string, scenario: ParcelScenario): void {
    const parcel = this.mustGet(trackingNumber);
    parcel.scenario = scenario;
    const full = planRoute(parcel.carrier, parcel.origin, parcel.destination, scenario);
    parcel.plan = scenario === 'redeliver' ? full : full.slice(parcel.scans.length);
  }

  /** Releases the next `steps` scans of one parcel (or of every moving parcel) now. */
  advance(trackingNumber?: string, steps = 1): Scan[] {
    const targets = trackingNumber ? [this.mustGet(trackingNumber)] : [...this.parcels.values()];
    const released: Scan[] = [];
    for (const parcel of targets) {
      for (let i = 0; i < steps; i++) {
        const next = parcel.plan.shift();
        if (!next) break;
        const last = parcel.scans.at(-1)?.at.getTime() ?? 0;
        // Scans of one parcel are strictly ordered even when the clock stands still.
        const at = new Date(Math.max(this.now().getTime(), last + 60_000));
        released.push(this.release(parcel, next, at));
      }
    }
    return released;
  }

  /** Runs a parcel to the end of its journey. */
  finish(trackingNumber: string): Scan[] {
    return this.advance(trackingNumber, Number.MAX_SAFE_INTEGER);
  }

  /** Releases every planned scan whose time has come on the clock. */
  sync(): Scan[] {
    const now = this.now().getTime();
    const released: Scan[] = [];
    for (const parcel of this.parcels.values()) {
      while (parcel.plan[0] && parcel.createdAt.getTime() + parcel.plan[0].afterHours * 3_600_000 <= now) {
        const next = parcel.plan.shift()!;
        released.push(
          this.release(parcel, next, new Date(parcel.createdAt.getTime() + next.afterHours * 3_600_000)),
        );
      }
    }
    return released;
  }

  onScan(listener: ScanListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private release(parcel: SimParcel, planned: PlannedScan, at: Date): Scan {
    const scan: Scan = { at, kind: planned.kind, city: planned.city, context: planned.context };
    parcel.scans.push(scan);
    for (const listener of this.listeners) listener(parcel, scan);
    return scan;
  }

  private mustGet(trackingNumber: string): SimParcel {
    const parcel = this.parcels.get(trackingNumber);
    if (!parcel) throw new Error(`no parcel ${trackingNumber} in the simulated network`);
    return parcel;
  }
}

function cityName(place: NetworkPlace): string {
  if (place.city) return place.city;
  return findProvince(place.province)?.capital ?? place.province;
}

const short = (name: string) => name.replace(/(市|地区|盟|自治州)$/, '');

function planRoute(
  carrier: string,
  origin: NetworkPlace,
  destination: NetworkPlace,
  scenario: ParcelScenario,
): PlannedScan[] {
  const brand = carrierName(carrier);
  const from = cityName(origin);
  const to = cityName(destination);
  const fromSite = `${short(from)}${origin.district ? short(origin.district.replace(/区$/, '')) : ''}营业部`;
  const toSite = `${short(to)}${destination.district ? short(destination.district.replace(/区$/, '')) : ''}营业部`;
  const courier = COURIERS[(to.length + from.length) % COURIERS.length]!;
  const fromHub = `${short(from)}转运中心`;
  const toHub = `${short(to)}转运中心`;

  const collected: PlannedScan = {
    afterHours: 2,
    kind: 'collected',
    city: from,
    context: `【${from}】${brand} ${fromSite} 已揽收`,
  };
  const departed: PlannedScan = {
    afterHours: 5,
    kind: 'departed',
    city: from,
    context: `【${from}】快件已从 ${fromHub} 发出，准备发往 ${toHub}`,
  };
  const arrived: PlannedScan = {
    afterHours: 20,
    kind: 'arrived',
    city: to,
    context: `【${to}】快件已到达 ${toHub}`,
  };
  const delivering: PlannedScan = {
    afterHours: 26,
    kind: 'delivering',
    city: to,
    context: `【${to}】${toSite} 派件员 ${courier} 正在为您派件`,
  };
  const head = [collected, departed, arrived, delivering];
  switch (scenario) {
    case 'normal':
      return [
        ...head,
        {
          afterHours: 30,
          kind: 'signed',
          city: to,
          context: `【${to}】快件已签收，签收人：本人签收，感谢使用${brand}`,
        },
      ];
    case 'no_scan':
      return [collected, departed];
    case 'lost':
      return [
        collected,
        departed,
        {
          afterHours: 40,
          kind: 'problem',
          city: from,
          context: `【${from}】快件在 ${fromHub} 滞留，原因：快件遗失，正在核实`,
        },
      ];
    case 'address_problem':
      return [
        ...head,
        {
          afterHours: 29,
          kind: 'problem',
          city: to,
          context: `【${to}】收件人地址不详，无法派送，请联系收件人核实地址`,
        },
      ];
    case 'rejected':
      return [
        ...head,
        {
          afterHours: 29,
          kind: 'rejected',
          city: to,
          context: `【${to}】收件人拒收，原因：不想要了，快件将退回寄件人`,
        },
      ];
    case 'returned':
      return [
        ...head,
        { afterHours: 29, kind: 'problem', city: to, context: `【${to}】派送不成功，收件人电话无人接听` },
        {
          afterHours: 50,
          kind: 'returning',
          city: to,
          context: `【${to}】快件已退回，正在返回寄件人 ${fromSite}`,
        },
        {
          afterHours: 80,
          kind: 'returned_signed',
          city: from,
          context: `【${from}】退回件已签收，签收人：寄件人`,
        },
      ];
    case 'redeliver':
      return [
        { ...delivering, afterHours: 50, context: `【${to}】${toSite} 派件员 ${courier} 正在为您再次派件` },
        {
          afterHours: 52,
          kind: 'signed',
          city: to,
          context: `【${to}】快件已签收，签收人：本人签收，感谢使用${brand}`,
        },
      ];
  }
}

/** `yyyy-MM-dd HH:mm:ss` in China time, as every Chinese carrier API writes times. */
export function chinaTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}
