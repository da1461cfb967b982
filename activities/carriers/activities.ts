import type { Db } from '../../db/connect.js';
import { listCarrierAccounts, loadShopCarriers } from '../../db/queries/carriers.js';
import { findShop } from '../../db/queries/shops.js';
import { CarrierCodeSchema } from '../../domain/carriers/codes.js';
import type { CarrierAccount } from '../../domain/carriers/account.js';
import type { CarrierCode } from '../../domain/carriers/codes.js';
import type { ParcelSpec } from '../../domain/carriers/quote.js';
import { carrierRequestedInRemark } from '../../domain/carriers/remark.js';
import { selectCarrier, type CarrierSelection, type LeftOut } from '../../domain/carriers/select.js';
import {
  detectTrackingException,
  type TrackingException,
  type TrackingSnapshot,
} from '../../domain/carriers/tracking.js';
import { priceByAccounts, stoppedCarriers } from '../../domain/carriers/account-selection.js';
import { waybillRequestId } from '../../domain/carriers/waybill-id.js';
import { listWaybillAccounts } from '../../db/queries/waybill-accounts.js';
import type { Place } from '../../domain/carriers/zones.js';
import { loadWarehouseRow } from '../warehouses.js';
import {
  labelFromWaybill,
  type LabelData,
  type LabelLine,
} from '../../integrations/carriers/labels/model.js';
import { renderLabel } from '../../integrations/carriers/labels/render.js';
import { asCarrierActivity, asWaybillRefusal, carrierNotConfigured } from './failures.js';
import type { WaybillAccountIssuer } from './waybill-accounts.js';
import {
  hasTracking,
  trackingRouteFor,
  type TrackingServices,
} from '../../integrations/carriers/tracking-route.js';
import type {
  TrackingProvider,
  Waybill,
  WaybillContact,
  WaybillItem,
  WaybillProvider,
  WaybillProviderName,
  WaybillReceiver,
} from '../../integrations/carriers/types.js';

export interface CarrierActivityDeps {
  db: Db;
  /**
   * The waybill service for a shop's account with a carrier, built from config (credentials never
   * live in the database); undefined when none is configured.
   */
  waybillProvider(shopId: string, account: CarrierAccount): WaybillProvider | undefined;
  /** The tracking aggregator (Kuaidi100 or KDNiao), when one is configured. */
  tracking?: TrackingProvider;
  /** SF's own route query and push, for parcels on SF direct waybills. */
  sfRoutes?: TrackingProvider;
  /** The shops' own electronic-waybill accounts; without it every waybill comes from the deployment's services. */
  waybillAccounts?: WaybillAccountIssuer;
  now?: () => Date;
}

/** Which parcel to follow. The waybill's issuer picks the service; looked up when not given. */
export interface TrackedParcel {
  carrier: CarrierCode;
  trackingNumber: string;
  /** Who issued the waybill (`sf` direct or `cainiao`); read from the shipment when absent. */
  waybillProvider?: WaybillProviderName;
}

export interface ChooseCarrierInput {
  shopId: string;
  parcel: ParcelSpec;
  /**
   * Where the parcel leaves from, or the warehouse whose province it is (read here: the shipment's
   * carrier choice no longer loads its warehouse in an activity of its own).
   */
  origin: Place | { warehouse: string };
  destination: Place;
  /** The platform asked for a carrier (PDD `free_sf` → SF). */
  platformPreference?: { carrier: CarrierCode; source: string };
  /** Read for "请发顺丰" when the platform did not ask for a carrier. */
  buyerRemark?: string;
  override?: { carrier: CarrierCode; by: string };
  /** Carriers that refused this parcel's waybill: left out of the choice. */
  exclude?: CarrierCode[];
  /** A livestream (urgent) parcel: it goes with the shop's `urgentCarrier` when the platform asks for none. */
  urgent?: boolean;
}

export interface IssueWaybillInput {
  shopId: string;
  /** The shipment workflow's id: the waybill request is keyed by it, so retries are safe. */
  shipmentId: string;
  /** Bump to get a new waybill for the same shipment after cancelling the old one. */
  attempt?: number;
  carrier: CarrierCode;
  receiver: WaybillReceiver;
  parcel: { weightG: number; lengthMm?: number; widthMm?: number; heightMm?: number; items: WaybillItem[] };
  orderIds: string[];
  orderChannel?: string;
  /** Defaults to the sender on the shop's carrier account. */
  sender?: WaybillContact;
  remark?: string;
  /** The warehouse shipping it (chooses among waybill accounts); read from the shipment when absent. */
  warehouse?: string;
}

export interface CancelWaybillInput {
  shopId: string;
  shipmentId: string;
  attempt?: number;
  carrier: CarrierCode;
  trackingNumber: string;
  /** The waybill account that issued it (`Waybill.accountId`); read from the shipment when absent. */
  accountId?: string;
}

export interface RenderLabelInput {
  waybill: Waybill;
  sender: WaybillContact;
  /** Plaintext or the platform's masked receiver; printed masked unless `receiverPrivacy` says plaintext. */
  receiver: WaybillContact;
  receiverPrivacy?: 'masked' | 'plaintext';
  lines: LabelLine[];
  orderRefs: string[];
  weightG?: number;
  codFen?: number;
  remark?: string;
}

export interface TrackingCheck {
  snapshot: TrackingSnapshot;
  exception?: TrackingException;
}

/** Activities the shipment workflow calls: choose a carrier, get and cancel waybills, print, track. */
export function createCarrierActivities(deps: CarrierActivityDeps) {
  const now = deps.now ?? (() => new Date());

  async function accountFor(shopId: string, carrier: CarrierCode): Promise<CarrierAccount> {
    const account = (await listCarrierAccounts(deps.db, shopId)).find((a) => a.carrier === carrier);
    if (!account?.enabled) throw carrierNotConfigured(`shop ${shopId} has no enabled ${carrier} account`);
    return account;
  }

  function providerFor(shopId: string, account: CarrierAccount): WaybillProvider {
    const provider = deps.waybillProvider(shopId, account);
    if (!provider?.supports(account.carrier)) {
      throw carrierNotConfigured(`no waybill service configured for ${account.carrier} in shop ${shopId}`);
    }
    return provider;
  }

  async function requestWaybill(input: IssueWaybillInput): Promise<Waybill> {
    const account = await accountFor(input.shopId, input.carrier);
    const sender = input.sender ?? account.sender;
    if (!sender)
      throw carrierNotConfigured(
        `the ${input.carrier} account of shop ${input.shopId} has no sender address`,
      );
    const request = {
      requestId: waybillRequestId(input.shipmentId, input.attempt),
      carrier: input.carrier,
      sender: { ...sender, address: { ...sender.address, district: sender.address.district ?? '' } },
      receiver: input.receiver,
      parcel: input.parcel,
      orderIds: input.orderIds,
      ...(input.orderChannel ? { orderChannel: input.orderChannel } : {}),
      ...(account.monthlyAccount ? { monthlyAccount: account.monthlyAccount } : {}),
      ...(account.serviceType ? { serviceType: account.serviceType } : {}),
      ...(input.remark ? { remark: input.remark } : {}),
    };
    // The shop's own waybill accounts for the carrier, when it has any, issue (and choose among themselves).
    if (deps.waybillAccounts) {
      const warehouse = input.warehouse ?? (await warehouseOf(deps.db, input.shipmentId));
      const own = await deps.waybillAccounts.issue(input.shopId, warehouse, request);
      if (own) return own;
    }
    const provider = providerFor(input.shopId, account);
    return asCarrierActivity(() => provider.createWaybill(request));
  }

  const trackingServices: TrackingServices = { aggregator: deps.tracking, sfRoutes: deps.sfRoutes };

  async function issuerOf(parcel: TrackedParcel): Promise<WaybillProviderName | undefined> {
    if (parcel.waybillProvider) return parcel.waybillProvider;
    const row = await deps.db
      .selectFrom('shipments')
      .select('waybill')
      .where('carrier', '=', parcel.carrier)
      .where('tracking_number', '=', parcel.trackingNumber)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    const issuer = row?.waybill?.provider;
    return issuer === 'sf' || issuer === 'cainiao' ? issuer : undefined;
  }

  async function tracking(parcel: TrackedParcel): Promise<TrackingProvider> {
    const route = trackingRouteFor(parcel.carrier, await issuerOf(parcel), trackingServices);
    if (!route.ok) throw carrierNotConfigured(route.reason);
    return route.provider;
  }

  return {
    /** Picks the carrier among the shop's enabled accounts; a failed result is the caller's hold reason. */
    async chooseCarrier(request: ChooseCarrierInput): Promise<CarrierSelection> {
      const { origin } = request;
      const input = {
        ...request,
        origin:
          'warehouse' in origin
            ? { province: (await loadWarehouseRow(deps.db, origin.warehouse)).province }
            : origin,
      };
      const excluded = new Set(input.exclude ?? []);
      const carriers = (await loadShopCarriers(deps.db, input.shopId)).filter(
        (c) => !excluded.has(c.account.carrier),
      );
      // With no tracking service at all nothing could be followed; otherwise a carrier no
      // service follows is left out, with the reason on the selection.
      const untracked = new Map<CarrierCode, string>();
      if (hasTracking(trackingServices)) {
        for (const { account } of carriers) {
          const issuer = deps.waybillProvider(input.shopId, account)?.name;
          const route = trackingRouteFor(account.carrier, issuer, trackingServices);
          if (!route.ok) untracked.set(account.carrier, route.reason);
        }
      }
      // A carrier whose waybill accounts are all stopped cannot issue: it is not chosen.
      const stopped = new Map<CarrierCode, LeftOut>();
      let pricing: ReturnType<typeof priceByAccounts> | undefined;
      if (deps.waybillAccounts) {
        const accounts = await listWaybillAccounts(deps.db, input.shopId);
        // A reviewer's or the platform's carrier binds the parcel: its refusal waits for a person.
        for (const [carrier, why] of stoppedCarriers(carriers, accounts, [
          input.override?.carrier,
          input.platformPreference?.carrier,
        ]))
          stopped.set(carrier, why);
        pricing = priceByAccounts(carriers, accounts, input);
      }
      const fromRemark = carrierRequestedInRemark(input.buyerRemark);
      const urgentCarrier = input.urgent ? await urgentCarrierOf(deps.db, input.shopId) : null;
      const preferred =
        input.platformPreference ??
        (urgentCarrier
          ? { carrier: urgentCarrier, source: 'urgent parcel (shop urgentCarrier)' }
          : fromRemark
            ? { carrier: fromRemark, source: 'buyer remark' }
            : undefined);
      return selectCarrier({
        parcel: input.parcel,
        origin: input.origin,
        destination: input.destination,
        candidates: pricing?.candidates ?? carriers.map((c) => c.profile),
        ...(pricing?.rateSources.size ? { rateSources: pricing.rateSources } : {}),
        ...(pricing?.unpriced.size ? { unpriced: pricing.unpriced } : {}),
        ...(preferred ? { preferred } : {}),
        ...(input.override ? { override: input.override } : {}),
        ...(untracked.size ? { untracked } : {}),
        ...(stopped.size ? { stopped } : {}),
      });
    },

    /** Throws `Carrier.WaybillRefused` (non-retryable, with the refusal) when it cannot succeed. */
    async issueWaybill(input: IssueWaybillInput): Promise<Waybill> {
      try {
        return await requestWaybill(input);
      } catch (err) {
        throw asWaybillRefusal(input.carrier, err);
      }
    },

    async cancelWaybill(input: CancelWaybillInput): Promise<void> {
      const request = {
        carrier: input.carrier,
        trackingNumber: input.trackingNumber,
        requestId: waybillRequestId(input.shipmentId, input.attempt),
      };
      // A waybill from one of the shop's accounts is cancelled through that account.
      const issuedBy =
        input.accountId ?? (await issuingAccountOf(deps.db, input.shipmentId, input.trackingNumber));
      if (
        issuedBy &&
        deps.waybillAccounts &&
        (await deps.waybillAccounts.cancel(input.shopId, issuedBy, request))
      )
        return;
      const account = await accountFor(input.shopId, input.carrier);
      const provider = providerFor(input.shopId, account);
      await asCarrierActivity(() => provider.cancelWaybill(request));
    },

    /** One label as base64 PDF (a few tens of KB). Waves are rendered with `renderLabels` outside Temporal payloads. */
    async renderWaybillLabel(input: RenderLabelInput): Promise<{ pdfBase64: string }> {
      const label: LabelData = labelFromWaybill(input.waybill, {
        sender: input.sender,
        receiver: input.receiver,
        ...(input.receiverPrivacy ? { receiverPrivacy: input.receiverPrivacy } : {}),
        lines: input.lines,
        orderRefs: input.orderRefs,
        ...(input.weightG !== undefined ? { weightG: input.weightG } : {}),
        ...(input.codFen !== undefined ? { codFen: input.codFen } : {}),
        ...(input.remark ? { remark: input.remark } : {}),
        printedAt: now(),
      });
      return { pdfBase64: (await renderLabel(label)).toString('base64') };
    },

    /** Asks the parcel's tracking service to push (SF direct waybills: pushed without asking). */
    async subscribeTracking(input: TrackedParcel & { phone?: string; callbackUrl: string }) {
      const provider = await tracking(input);
      if (!provider.subscribe) throw carrierNotConfigured(`${provider.name} does not push to us`);
      await asCarrierActivity(() =>
        provider.subscribe!({
          carrier: input.carrier,
          trackingNumber: input.trackingNumber,
          callbackUrl: input.callbackUrl,
          ...(input.phone ? { phone: input.phone } : {}),
        }),
      );
    },

    /** The parcel's route and whether it needs someone (no scan for `noScanHours`, refused, returned, problem). */
    async checkTracking(
      input: TrackedParcel & { phone?: string; noScanHours: number; shippedAt?: string },
    ): Promise<TrackingCheck> {
      const provider = await tracking(input);
      const snapshot = await asCarrierActivity(() =>
        provider.query({
          carrier: input.carrier,
          trackingNumber: input.trackingNumber,
          ...(input.phone ? { phone: input.phone } : {}),
        }),
      );
      const exception = detectTrackingException(snapshot.events, now(), {
        noScanHours: input.noScanHours,
        ...(input.shippedAt ? { shippedAt: new Date(input.shippedAt) } : {}),
      });
      return { snapshot, ...(exception ? { exception } : {}) };
    },
  };
}

export type CarrierActivities = ReturnType<typeof createCarrierActivities>;

/** The warehouse a shipment leaves from, as the wave recorded it. */
async function warehouseOf(db: Db, shipmentId: string): Promise<string | null> {
  const row = await db
    .selectFrom('shipments')
    .select('warehouse_code')
    .where('id', '=', shipmentId)
    .executeTakeFirst();
  return row?.warehouse_code ?? null;
}

/** The waybill account that issued a shipment's waybill, as its stored waybill says. */
async function issuingAccountOf(db: Db, shipmentId: string, trackingNumber: string): Promise<string | null> {
  const row = await db
    .selectFrom('shipments')
    .select('waybill')
    .where('id', '=', shipmentId)
    .where('tracking_number', '=', trackingNumber)
    .executeTakeFirst();
  const id = row?.waybill?.accountId;
  return typeof id === 'string' ? id : null;
}

/** The carrier a shop sends its urgent (livestream) parcels with (`settings.urgentCarrier`), if any. */
async function urgentCarrierOf(db: Db, shopId: string): Promise<CarrierCode | null> {
  const settings = (await findShop(db, shopId))?.settings ?? {};
  const parsed = CarrierCodeSchema.safeParse(settings.urgentCarrier);
  return parsed.success ? parsed.data : null;
}
