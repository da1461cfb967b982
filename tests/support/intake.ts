import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Platform } from '../../domain/platforms.js';

/**
 * Enters an order through `POST /orders` (hand-entered / relayed intake), the way an integration
 * with an ops API key does. `order` is usually an `OrderPush`; tests of validation pass anything.
 */
export function submitOrder(
  api: FastifyInstance,
  body: { platform: Platform | string; shopId: string; order: unknown },
  auth: { authorization: string },
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return api.inject({
    method: 'POST',
    url: '/orders',
    headers: { 'content-type': 'application/json', ...auth, ...headers },
    payload: JSON.stringify(body),
  });
}
