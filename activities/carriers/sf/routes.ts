import type { CarrierCode } from '../../../domain/carriers/codes.js';
import {
  chinaTimeToIso,
  latestStatus,
  SF_OP_CODE,
  statusFromText,
  type TrackingEvent,
  type TrackingSnapshot,
} from '../../../domain/carriers/tracking.js';
import { RequestRejectedError } from '../../platforms/errors.js';
import type { TrackingProvider, TrackingQuery } from '../types.js';
import { sfCall, type SfOptions } from './client.js';

interface RouteResult {
  routeResps?: Array<{
    mailNo: string;
    routes?: Array<{ acceptTime: string; acceptAddress?: string; remark: string; opCode?: string }>;
  }>;
}

/**
 * SF's own route query (`EXP_RECE_SEARCH_ROUTES`, by waybill number). Statuses come from the
 * opCode where we know it and from the remark otherwise (opCodes ❓, see SF_OP_CODE).
 */
export function createSfTrackingProvider(options: SfOptions): TrackingProvider {
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
      const events: TrackingEvent[] = (resp?.routes ?? []).map((route) => ({
        at: chinaTimeToIso(route.acceptTime),
        status: statusFromText(route.remark, SF_OP_CODE[route.opCode ?? ''] ?? 'in_transit'),
        description: route.remark,
        ...(route.acceptAddress ? { location: route.acceptAddress } : {}),
      }));
      events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      return {
        carrier: 'SF',
        trackingNumber: query.trackingNumber,
        status: latestStatus(events),
        events,
        source: 'sf',
      };
    },
  };
}
