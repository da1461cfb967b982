import type { Db } from '../db/connect.js';
import { dataKeyring, type DataKeysConfig } from '../db/crypto/data-keys.js';
import { appendOrderEvents, type OrderEventInput } from '../db/queries/orders.js';
import { loadActiveAuditRules, loadAuditMasterData } from '../db/queries/audit-rules.js';
import { loadShopCarriers } from '../db/queries/carriers.js';
import { loadActiveRoutingRules } from '../db/queries/routing-rules.js';
import { listWarehouses } from '../db/queries/stock.js';
import { decideAudit, prepareAudit, type AuditHoldCandidate } from '../domain/audit/decide.js';
import type { CarrierCode } from '../domain/carriers/codes.js';
import {
  destinationText,
  placeable,
  reachabilityHold,
  registryReach,
  withService,
  type CarrierReach,
  type ServiceCoverage,
} from '../domain/carriers/reachability.js';
import type { NormalizedOrder } from '../domain/order.js';
import { routeOrder } from '../domain/routing/route.js';
import type { CarrierServices } from '../integrations/carriers/services.js';
import type { CoverageQuery } from '../integrations/carriers/types.js';
import type { WaybillAccountIssuer } from './carriers/waybill-accounts.js';
import type { RemarkTranslator } from '../integrations/translation/types.js';
import { translateRemarks } from '../services/remarks/translation.js';
import { remarksNeedingTranslation } from '../domain/remarks/translated.js';

export type { AuditHoldCandidate };

export interface OrderAuditResult {
  holds: AuditHoldCandidate[];
  flags: string[];
  route: { group: string; priority: number; reason: string };
  /**
   * The paid amount was compared with the amount due here. Absent in results recorded before the
   * audit did that (workflows replaying them compare it themselves).
   */
  paymentChecked?: true;
}

/**
 * Everything the audit decides from master data — SKU mapping (an unmapped SKU holds the order for
 * ops), paid = due, the audit rules (holds and flags) and the routing rules (processing group,
 * priority) — through the same `prepareAudit`/`decideAudit` the dry run uses; then whether a
 * carrier of the shop reaches the address (筛单, `domain/carriers/reachability.ts`), which asks
 * carrier services and so stays out of the dry run. A remark the lexicon cannot read goes to the
 * translation service first (services/remarks/translation.ts): its answer is stored per text, so
 * a retry reads it back and calls nobody; a service that is down or unconfigured leaves the remark
 * held for a person with the reason. Otherwise reads only, so retries are harmless.
 */
export function createOrderAuditActivities({
  db,
  config,
  carriers,
  waybillAccounts,
  translatorFor,
}: {
  db: Db;
  /** The buyers' data keys: the order events written before the audit are sealed with them. */
  config?: DataKeysConfig;
  carriers?: CarrierServices;
  /** The shops' own waybill accounts: their services screen addresses for their carriers. */
  waybillAccounts?: Pick<WaybillAccountIssuer, 'coverage'>;
  /** The shop's translator (its own account, then the deployment's); absent: none. */
  translatorFor?: (shopId: string) => Promise<RemarkTranslator | undefined>;
}) {
  async function translate(order: NormalizedOrder) {
    const texts = remarksNeedingTranslation(order);
    if (texts.length === 0) return {};
    return translateRemarks(db, await translatorFor?.(order.shopId), texts);
  }

  /** The hold for an address no carrier of the shop delivers to, or null. */
  async function reachability(
    orderId: string,
    order: NormalizedOrder,
    carrierPreference: CarrierCode | null,
  ): Promise<AuditHoldCandidate | null> {
    // Shopee orders ship through Shopee's own logistics, never a carrier of ours.
    if (order.platform === 'shopee') return null;
    const to = order.receiver;
    const destination = { country: to.country, province: to.province, city: to.city, district: to.district };
    if (!placeable(destination)) return null; // an address that names no province is address_invalid's
    const shopCarriers = await loadShopCarriers(db, order.shopId);
    // A shop with no carriers set up has nothing to screen against (its parcels wait at the bench).
    if (shopCarriers.length === 0) return null;
    const warehouses = await listWarehouses(db, { activeOnly: true });
    const origins = warehouses.map((w) => ({ province: w.province }));
    // Where a screening says the parcel leaves from (Douyin's asks for a sender region).
    const origin = warehouses[0] ? { province: warehouses[0].province } : undefined;
    const reaches = await Promise.all(
      shopCarriers.map(async ({ account, profile }): Promise<CarrierReach> => {
        const reach = {
          carrier: account.carrier,
          nameZh: profile.nameZh,
          unreachable: registryReach(profile, origins, destination),
        };
        if (reach.unreachable !== null) return reach;
        const query: CoverageQuery = {
          carrier: account.carrier,
          reference: orderId,
          destination: {
            country: to.country,
            province: to.province,
            city: to.city,
            district: to.district,
            ...(to.protected ? {} : { detail: `${to.town ?? ''}${to.detail}` }),
          },
          ...(origin ? { origin } : {}),
        };
        // The shop's own waybill accounts for the carrier are asked when it has any; else the
        // deployment's service.
        const own = await waybillAccounts?.coverage(order.shopId, query);
        if (own !== undefined) return withService(reach, own);
        const provider = carriers?.waybillProvider(order.shopId, account);
        if (!provider?.coverage || !provider.supports(account.carrier)) return reach;
        let answer: ServiceCoverage;
        try {
          answer = await provider.coverage(query);
        } catch (err) {
          // A screening that fails says nothing about the address: the registry's answer stands.
          answer = { serves: 'unknown', reason: (err as Error).message };
        }
        return withService(reach, answer);
      }),
    );
    const bound = carrierPreference
      ? { carrier: carrierPreference, source: 'reviewer' }
      : order.platformCarrier
        ? { carrier: order.platformCarrier.carrier, source: order.platformCarrier.source }
        : undefined;
    return reachabilityHold({
      reaches,
      ...(bound ? { bound } : {}),
      destinationText: destinationText(destination),
    });
  }

  return {
    async auditOrder(input: {
      orderId: string;
      order: NormalizedOrder;
      /** The moment of the audit (workflow time); payment age is measured at it. */
      now: string;
      paymentToleranceFen: number;
      /** A reviewer's carrier (order edit): the address is screened for it alone. */
      carrierPreference?: CarrierCode | null;
      /** The order's stage events written first (order-combined-stage-writes: `payment_confirmed`). */
      orderEvents?: OrderEventInput[];
    }): Promise<OrderAuditResult> {
      const { order } = input;
      if (input.orderEvents?.length) {
        if (!config) throw new Error('auditOrder was given order events to write without the data keys');
        await appendOrderEvents(db, dataKeyring(config), input.orderEvents);
      }
      const [data, auditRules, routingRules, unreachable, remarkTranslations] = await Promise.all([
        loadAuditMasterData(db, order),
        loadActiveAuditRules(db),
        loadActiveRoutingRules(db),
        reachability(input.orderId, order, input.carrierPreference ?? null),
        translate(order),
      ]);
      const prepared = prepareAudit(
        order,
        Object.keys(remarkTranslations).length ? { ...data, remarkTranslations } : data,
        { paymentToleranceFen: input.paymentToleranceFen },
        input.now,
      );
      const decision = decideAudit(prepared, auditRules);
      const route = routeOrder(routingRules, prepared.subject);
      return {
        holds: unreachable ? [...decision.holds, unreachable] : decision.holds,
        flags: [...new Set(decision.flags.map((f) => f.flag))],
        route: { group: route.group, priority: route.priority, reason: route.reason },
        paymentChecked: true,
      };
    },
  };
}
