import { stringify } from 'lossless-json';
import type { SimOrder } from '../../orders/model.js';
import { itemId, shopeeOrderStatus } from './render.js';
import { shopeePushAuthorization } from './verify.js';

/**
 * A signed Shopee push: code 3 (order status update) or 4 (tracking number). The signature covers
 * the callback URL the app registered, so pass the exact URL the push will be posted to.
 */
export function renderShopeePush(
  partner: { partnerKey: string; callbackUrl: string },
  order: SimOrder,
  code: 3 | 4,
): { headers: Record<string, string>; body: string } {
  const at = Math.floor(order.modifiedAt.getTime() / 1000);
  const data =
    code === 3
      ? { ordersn: order.id, status: shopeeOrderStatus(order), update_time: at }
      : {
          ordersn: order.id,
          package_number: `OFG${order.id}`,
          tracking_no: order.shipment?.trackingNumber ?? '',
        };
  const body = stringify({ data, shop_id: itemId(order.shopKey), code, timestamp: at }) ?? '{}';
  return {
    headers: {
      'content-type': 'application/json',
      authorization: shopeePushAuthorization(partner.partnerKey, partner.callbackUrl, body),
    },
    body,
  };
}
