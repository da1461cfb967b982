import { z } from 'zod';
import { amountToMinor } from '../../../domain/money.js';
import type {
  AfterSalesApi,
  CaseRef,
  PlatformCase,
  PlatformCaseStatus,
  PlatformWriteResult,
} from '../after-sales-types.js';
import { PlatformError, RequestRejectedError } from '../errors.js';
import { merchantRefundAnswer, merchantRefundCase } from '../merchant-refund-case.js';
import type { AdapterContext } from '../types.js';
import { createShopifyClient } from './client.js';
import { normalizeShopifyRefund } from './normalize.js';
import { ShopifyRefundSchema } from './wire.js';

/**
 * Shopify refunds and returns as after-sales cases (AFTER-SALES-FACTS §1.7).
 *
 * - **Returns** (`return-{id}`, from the `returns/*` webhooks): the buyer's return request is read
 *   with the GraphQL `return(id:)` query; the seller approves it (`returnApproveRequest`, the
 *   return becomes OPEN and the buyer sends the goods) or declines it (`returnDeclineRequest`,
 *   reason OTHER with the seller's note). A CLOSED return with refunds is refunded; CLOSED without,
 *   or CANCELED, closed. Shopify publishes no seller deadline.
 * - **Refunds** (`{refund id}`, from `refunds/create` and the poll): the merchant's own, done
 *   deals; read with REST `orders/{order}/refunds/{id}.json` and recorded as refunded.
 */

export const SHOPIFY_RETURN_PREFIX = 'return-';
const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;
const tail = (value: string) => value.slice(value.lastIndexOf('/') + 1);

const money = z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }) });
const ReturnSchema = z.object({
  id: z.string(),
  name: z.string().nullish(),
  status: z.string(),
  createdAt: z.string().nullish(),
  requestApprovedAt: z.string().nullish(),
  closedAt: z.string().nullish(),
  order: z.object({ id: z.string() }),
  returnLineItems: z.object({
    nodes: z.array(
      z.object({
        quantity: z.number().int(),
        returnReason: z.string().nullish(),
        customerNote: z.string().nullish(),
        fulfillmentLineItem: z
          .object({ lineItem: z.object({ id: z.string(), originalUnitPriceSet: money }) })
          .nullish(),
      }),
    ),
  }),
  refunds: z.object({ nodes: z.array(z.object({ totalRefundedSet: money })) }),
});
type ShopifyReturn = z.infer<typeof ReturnSchema>;

const RETURN_QUERY = `query CaseReturn($id: ID!) {
  return(id: $id) {
    id name status createdAt requestApprovedAt closedAt
    order { id }
    returnLineItems(first: 50) { nodes { ... on ReturnLineItem {
      quantity returnReason customerNote
      fulfillmentLineItem { lineItem { id originalUnitPriceSet { shopMoney { amount currencyCode } } } }
    } } }
    refunds(first: 20) { nodes { totalRefundedSet { shopMoney { amount currencyCode } } } }
  }
}`;
const APPROVE = `mutation CaseApprove($input: ReturnApproveRequestInput!) {
  returnApproveRequest(input: $input) { return { id status } userErrors { field message code } }
}`;
const DECLINE = `mutation CaseDecline($input: ReturnDeclineRequestInput!) {
  returnDeclineRequest(input: $input) { return { id status } userErrors { field message code } }
}`;

const STATUS: Record<string, PlatformCaseStatus> = {
  REQUESTED: 'open',
  OPEN: 'waiting_buyer',
  DECLINED: 'refused',
  CANCELED: 'closed',
};

export function shopifyReturnToCase(ret: ShopifyReturn): PlatformCase {
  const refunded = ret.refunds.nodes.map((r) => r.totalRefundedSet.shopMoney);
  const status: PlatformCaseStatus | undefined =
    ret.status === 'CLOSED' ? (refunded.length ? 'refunded' : 'closed') : STATUS[ret.status];
  if (!status) throw new PlatformError(`unknown Shopify return status ${ret.status}`, 'shopify');
  const lines = ret.returnLineItems.nodes.filter((n) => n.fulfillmentLineItem);
  const requested = lines.reduce((sum, n) => {
    const price = n.fulfillmentLineItem!.lineItem.originalUnitPriceSet.shopMoney;
    return sum + amountToMinor(price.amount, price.currencyCode) * n.quantity;
  }, 0);
  const times = [ret.createdAt, ret.requestApprovedAt, ret.closedAt]
    .filter((t): t is string => !!t)
    .map((t) => Date.parse(t));
  if (times.length === 0) throw new PlatformError(`Shopify return ${ret.id}: no times`, 'shopify');
  const reason = lines
    .map((n) => [n.returnReason, n.customerNote].filter(Boolean).join(': '))
    .filter(Boolean)
    .join('; ');
  return {
    platformCaseId: `${SHOPIFY_RETURN_PREFIX}${tail(ret.id)}`,
    platformOrderId: tail(ret.order.id),
    kind: 'return_refund',
    status,
    platformStatus: ret.status,
    amountFen:
      status === 'refunded'
        ? refunded.reduce((sum, m) => sum + amountToMinor(m.amount, m.currencyCode), 0)
        : requested,
    reason,
    lineIds: lines.map((n) => tail(n.fulfillmentLineItem!.lineItem.id)),
    // Returns are of fulfilled items, and the seller answers them then.
    shipped: true,
    answersAfterShipment: true,
    createdAt: new Date(times[0]!).toISOString(),
    modifiedAt: new Date(Math.max(...times)).toISOString(),
  };
}

const MutationSchema = (field: string) =>
  z.object({
    data: z
      .object({
        [field]: z
          .object({
            userErrors: z.array(
              z.object({
                field: z.array(z.string()).nullish(),
                message: z.string(),
                code: z.string().nullish(),
              }),
            ),
          })
          .nullish(),
      })
      .nullish(),
    errors: z.array(z.object({ message: z.string() })).nullish(),
  });

export function createShopifyAfterSales(ctx: AdapterContext): AfterSalesApi {
  const { request, read } = createShopifyClient(ctx);

  async function graphql(query: string, variables: Record<string, unknown>): Promise<unknown> {
    const { body } = await request('/graphql.json', { method: 'POST', body: { query, variables } });
    return body;
  }

  async function readReturn(ref: CaseRef): Promise<PlatformCase> {
    const id = gid('Return', ref.platformCaseId.slice(SHOPIFY_RETURN_PREFIX.length));
    const body = read(
      z.object({
        data: z.object({ return: ReturnSchema.nullable() }).nullish(),
        errors: z.array(z.object({ message: z.string() })).nullish(),
      }),
      await graphql(RETURN_QUERY, { id }),
      'return',
    );
    if (!body.data?.return) {
      throw new RequestRejectedError(
        `shopify return ${id}: ${body.errors?.map((e) => e.message).join('; ') || 'not found'}`,
        'shopify',
        'not_found',
      );
    }
    return shopifyReturnToCase(body.data.return);
  }

  async function mutate(
    field: string,
    query: string,
    input: Record<string, unknown>,
  ): Promise<PlatformWriteResult> {
    const body = read(MutationSchema(field), await graphql(query, { input }), field);
    const errors = [
      ...(body.errors ?? []).map((e) => ({ code: 'graphql', message: e.message })),
      ...(body.data?.[field]?.userErrors ?? []).map((e) => ({
        code: e.code ?? 'user_error',
        message: e.message,
      })),
    ];
    if (errors.length)
      return { outcome: 'rejected', code: errors[0]!.code, message: errors.map((e) => e.message).join('; ') };
    return { outcome: 'done' };
  }
  const isReturn = (current: CaseRef) => current.platformCaseId.startsWith(SHOPIFY_RETURN_PREFIX);

  return {
    platform: 'shopify',

    async getCase(ref) {
      if (isReturn(ref)) return readReturn(ref);
      const { body } = await request(
        `/orders/${encodeURIComponent(ref.platformOrderId)}/refunds/${encodeURIComponent(ref.platformCaseId)}.json`,
      );
      const refund = read(z.object({ refund: ShopifyRefundSchema }), body, 'refund').refund;
      return merchantRefundCase(normalizeShopifyRefund(refund, ''));
    },

    async agree(current) {
      if (!isReturn(current)) return merchantRefundAnswer('shopify');
      return mutate('returnApproveRequest', APPROVE, {
        id: gid('Return', current.platformCaseId.slice(SHOPIFY_RETURN_PREFIX.length)),
      });
    },

    async refuse(current, reason) {
      if (!isReturn(current)) return merchantRefundAnswer('shopify');
      return mutate('returnDeclineRequest', DECLINE, {
        id: gid('Return', current.platformCaseId.slice(SHOPIFY_RETURN_PREFIX.length)),
        declineReason: 'OTHER',
        declineNote: reason,
      });
    },
  };
}
