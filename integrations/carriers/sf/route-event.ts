import {
  chinaTimeToIso,
  SF_OP_CODE,
  statusFromText,
  type TrackingEvent,
} from '../../../domain/carriers/tracking.js';

/** One SF route node as the route query and the route push both carry it. */
export interface SfRoute {
  acceptTime: string;
  acceptAddress?: string | undefined;
  remark: string;
  opCode?: string | undefined;
}

/**
 * Statuses come from the remark first and the opCode second: SF's opCodes are not published in
 * our sources (SF_OP_CODE ❓) while the remark says what happened in words.
 */
export function sfRouteEvent(route: SfRoute): TrackingEvent {
  return {
    at: chinaTimeToIso(route.acceptTime),
    status: statusFromText(route.remark, SF_OP_CODE[route.opCode ?? ''] ?? 'in_transit'),
    description: route.remark,
    ...(route.acceptAddress ? { location: route.acceptAddress } : {}),
  };
}
