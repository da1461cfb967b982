import { sameSecret } from '../constant-time.js';
import { z } from 'zod';
import {
  latestStatus,
  type TrackingEvent,
  type TrackingSnapshot,
} from '../../../domain/carriers/tracking.js';
import { PushPayloadError, PushTokenError } from '../push-errors.js';
import type { PushRequest, TrackingPush } from '../types.js';
import { sfRouteEvent } from './route-event.js';

/**
 * SF's route push (丰桥 RoutePushService, "json" method; integrations/carriers/README.md says what
 * this rests on): SF posts `{"Body":{"WaybillRoute":[…]}}` (at most 10 routes, each one new scan)
 * as application/json to the URL set in the 丰桥 console, and expects
 * `{"return_code":"0000","return_msg":"成功"}`; `1000` makes SF push the routes again.
 *
 * SF signs nothing in this push, so the URL we give SF carries a secret (`?token=`), compared in
 * constant time. SF's other push method ("form": a `content` field of URL-encoded XML) is not read.
 */

const ChinaTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?/, 'is not a China time (yyyy-MM-dd HH:mm:ss)');
const Text = z.union([z.string(), z.number()]).transform(String);

const WaybillRouteSchema = z.looseObject({
  /** 路由节点编号: one id per route node, the same id again on a repeated push. */
  id: Text.pipe(z.string().min(1, 'is empty')),
  mailno: z.string().min(1, 'is empty'),
  /** Our order id (the waybill request id) for orders placed through 丰桥. */
  orderid: z.string().optional(),
  acceptTime: ChinaTime,
  acceptAddress: z.string().optional(),
  remark: z.string(),
  opCode: Text.optional(),
  reasonCode: z.string().nullish(),
  reasonName: z.string().nullish(),
});

export const SfRoutePushSchema = z.object({
  Body: z.object({
    WaybillRoute: z.array(WaybillRouteSchema).min(1, 'has no routes').max(10, 'has more than 10 routes'),
  }),
});
export type SfRoutePush = z.input<typeof SfRoutePushSchema>;

export const SF_PUSH_OK = JSON.stringify({ return_code: '0000', return_msg: '成功' });

export function sfPushRejection(reason: string): string {
  return JSON.stringify({ return_code: '1000', return_msg: reason });
}

/** True when `given` is our push token; hashing first keeps the comparison constant-time for any length. */
export function sfPushTokenMatches(given: string | undefined, token: string): boolean {
  return sameSecret(given, token);
}

/** Verifies the token, then reads the routes into one snapshot per waybill (only the new scans). */
export function parseSfRoutePush(rawBody: string, request: PushRequest, token: string): TrackingPush {
  if (!sfPushTokenMatches(request.query?.token, token)) {
    throw new PushTokenError(
      request.query?.token ? 'SF route push token does not match' : 'SF route push without ?token=',
    );
  }
  if (request.contentType && !/^application\/json/i.test(request.contentType)) {
    throw new PushPayloadError(
      `SF route pushes are read in the json method (application/json), not ${request.contentType.split(';')[0]}: choose json as the push method in the 丰桥 console`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new PushPayloadError('SF route push body is not JSON');
  }
  const parsed = SfRoutePushSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`)
      .join('; ');
    throw new PushPayloadError(`not an SF route push: ${issues}`);
  }
  const byWaybill = new Map<string, TrackingEvent[]>();
  for (const route of parsed.data.Body.WaybillRoute) {
    const events = byWaybill.get(route.mailno) ?? [];
    events.push(sfRouteEvent(route));
    byWaybill.set(route.mailno, events);
  }
  const snapshots: TrackingSnapshot[] = [...byWaybill].map(([trackingNumber, events]) => {
    events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    return { carrier: 'SF', trackingNumber, status: latestStatus(events), events, source: 'sf' };
  });
  return { snapshots, reply: SF_PUSH_OK };
}
