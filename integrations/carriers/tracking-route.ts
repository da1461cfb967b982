import type { CarrierCode } from '../../domain/carriers/codes.js';
import { carrierProfile } from '../../domain/carriers/registry.js';
import type { TrackingProvider, WaybillProviderName } from './types.js';

/** The tracking services a deployment has: one aggregator, and SF's own routes when SF is set up. */
export interface TrackingServices {
  /** Kuaidi100, else KDNiao. */
  aggregator?: TrackingProvider | undefined;
  sfRoutes?: TrackingProvider | undefined;
}

export type TrackingRoute = { ok: true; provider: TrackingProvider } | { ok: false; reason: string };

/**
 * Which service follows a parcel. An SF waybill issued by SF directly follows SF's own routes
 * (query and push: SF pushes only orders placed through 丰桥). Every other parcel goes to the
 * aggregator with the carrier's code from the registry — except SF through KDNiao, which per
 * KDNiao's carrier table traces only SF waybills ordered through KDNiao itself; an SF waybill
 * from Cainiao then falls back to SF's route query (with the receiver's phone tail).
 */
export function trackingRouteFor(
  carrier: CarrierCode,
  waybillProvider: WaybillProviderName | undefined,
  services: TrackingServices,
): TrackingRoute {
  const { aggregator, sfRoutes } = services;
  if (carrier === 'SF' && waybillProvider === 'sf' && sfRoutes) return { ok: true, provider: sfRoutes };
  const aggregatorFollows =
    aggregator?.supports(carrier) && !(carrier === 'SF' && aggregator.name === 'kdniao');
  if (aggregator && aggregatorFollows) return { ok: true, provider: aggregator };
  if (carrier === 'SF' && sfRoutes) return { ok: true, provider: sfRoutes };
  if (aggregator?.supports(carrier)) return { ok: true, provider: aggregator };
  const name = carrierProfile(carrier).nameZh;
  return {
    ok: false,
    reason: aggregator
      ? `no tracking service follows ${carrier} (${name}): ${aggregator.name} has no code for it`
      : `no tracking service follows ${carrier} (${name}): no tracking aggregator is configured`,
  };
}

/** Whether any tracking service is configured at all (without one, nothing can be followed). */
export function hasTracking(services: TrackingServices): boolean {
  return services.aggregator !== undefined || services.sfRoutes !== undefined;
}
