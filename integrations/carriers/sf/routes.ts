import type { CarrierCode } from '../../../domain/carriers/codes.js';
import {
  latestStatus,
  type TrackingEvent,
  type TrackingSnapshot,
} from '../../../domain/carriers/tracking.js';
import { RequestRejectedError } from '../../platforms/errors.js';
import type { TrackingProvider, TrackingQuery } from '../types.js';
import { sfCall, type SfOptions } from './client.js';
import { sfRouteEvent, type SfRoute } from './route-event.js';
import { parseSfRoutePush, sfPushRejection } from './route-push.js';

interface RouteResult {
  routeResps?: Array<{ mailNo: string; routes?: SfRoute[] }>;
}

export interface SfTrackingOptions extends SfOptions {
  /**
   * The secret in the route-push URL entered in the 丰桥 console
   * (`…/webhooks/tracking/sf?token=…`); without it SF parcels are followed by route queries.
   */
  pushToken?: string;
}

/**
 * SF's own routes: the route query (`EXP_RECE_SEARCH_ROUTES`, by waybill number; the last four
 * digits of a phone on the waybill open waybills of other accounts) and, with a push token, SF's
 * route pushes. SF pushes every order placed through 丰桥 to the console's URL by itself, so
 * subscribing is a no-op.
 */
export function createSfTrackingProvider(options: SfTrackingOptions): TrackingProvider {
  const { pushToken } = options;
  return {
    name: 'sf',
    supports: (carrier: CarrierCode) => carrier === 'SF',
    async query(query: TrackingQuery): Promise<TrackingSnapshot> {
      const inner = await sfCall<RouteResult>(options, 'EXP_RECE_SEARCH_ROUTES', {
        language: '0',
        trackingType: '1',
        trackingNumber: [query.trackingNumber],
        methodType: '1',
        ...(query.phone ? { checkPhoneNo: query.phone.slice(-4) } : {}),
      });
      if (!inner.success || !inner.msgData) {
        throw new RequestRejectedError(
          `SF route query failed: ${inner.errorCode ?? ''} ${inner.errorMsg ?? ''}`,
          'sf',
        );
      }
      const resp = inner.msgData.routeResps?.find((r) => r.mailNo === query.trackingNumber);
      const events: TrackingEvent[] = (resp?.routes ?? []).map(sfRouteEvent);
      events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      return {
        carrier: 'SF',
        trackingNumber: query.trackingNumber,
        status: latestStatus(events),
        events,
        source: 'sf',
      };
    },
    ...(pushToken
      ? {
          subscribe: async () => {},
          parsePush: (rawBody, request = {}) => parseSfRoutePush(rawBody, request, pushToken),
          pushRejectionReply: sfPushRejection,
        }
      : {}),
  };
}
