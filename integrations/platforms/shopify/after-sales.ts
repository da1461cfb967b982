import { z } from 'zod';
import { CARRIER_CODES, type CarrierCode } from '../../../domain/carriers/codes.js';
import { amountToMinor } from '../../../domain/money.js';
import type {
  AfterSalesApi,
  CaseRef,
  PlatformCase,
  PlatformCaseStatus,
  PlatformWriteResult,
  ReturnedGoods,
} from '../after-sales-types.js';
import { PlatformError, RequestRejectedError } from '../errors.js';
import { merchantRefundAnswer, merchantRefundCase } from '../merchant-refund-case.js';
import type { AdapterContext } from '../types.js';
import { createShopifyAdapter } from './adapter.js';
import { createShopifyClient, SHOPIFY_DEFAULT_API_VERSION } from './client.js';
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
 * - **Returns received here** (the shop's `returnReceipt` rule `platform`): the goods come back to
 *   our warehouse; once inspected, Shopify is told with `reverseFulfillmentOrderDispose` (RESTOCKED at
 *   the shop's location for what went back on the shelf, NOT_RESTOCKED for what was written off),
 *   only for units not yet disposed, so a retry after a lost answer disposes nothing twice. The
 *   buyer's waybill back is the return's reverse delivery tracking, when Shopify has one
 *   (docs/platforms/shopify-returns.md).
 * - **Exchanges** (a return with exchange line items, on such a shop): a case of kind `exchange`
 *   answered the Douyin way (`exchangeAnswers`): approved or declined as a return, the goods
 *   received here by the case id or the reverse delivery's number, the replacement shipped from our
 *   warehouse, then Shopify told once the replacement is with the carrier — `returnProcess` (API
 *   2025-07: confirms the returned items with their dispositions and releases the exchange items,
 *   which opens their fulfillment order on the original order), then that fulfillment order
 *   fulfilled with the replacement's tracking number (`POST fulfillments.json`, as any parcel).
 */

export const SHOPIFY_RETURN_PREFIX = 'return-';
const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;
const tail = (value: string) => value.slice(value.lastIndexOf('/') + 1);

const money = z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }) });
const ExchangeLine = z.object({ id: z.string(), sku: z.string().nullish(), quantity: z.number().int() });
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
        id: z.string().nullish(),
        quantity: z.number().int(),
        returnReason: z.string().nullish(),
        customerNote: z.string().nullish(),
        fulfillmentLineItem: z
          .object({
            lineItem: z.object({ id: z.string(), sku: z.string().nullish(), originalUnitPriceSet: money }),
          })
          .nullish(),
      }),
    ),
  }),
  exchangeLineItems: z
    .object({
      nodes: z.array(
        z.object({
          id: z.string(),
          quantity: z.number().int().nullish(),
          processedQuantity: z.number().int().nullish(),
          lineItem: ExchangeLine.nullish(),
          lineItems: z.array(ExchangeLine).nullish(),
        }),
      ),
    })
    .nullish(),
  refunds: z.object({ nodes: z.array(z.object({ totalRefundedSet: money })) }),
  reverseFulfillmentOrders: z
    .object({
      nodes: z.array(
        z.object({
          id: z.string(),
          lineItems: z.object({
            nodes: z.array(
              z.object({
                id: z.string(),
                totalQuantity: z.number().int(),
                dispositions: z.array(z.object({ type: z.string(), quantity: z.number().int() })),
                fulfillmentLineItem: z.object({ lineItem: z.object({ id: z.string() }) }).nullish(),
              }),
            ),
          }),
          reverseDeliveries: z
            .object({
              nodes: z.array(
                z.object({
                  deliverable: z
                    .object({
                      tracking: z
                        .object({ carrierName: z.string().nullish(), number: z.string().nullish() })
                        .nullish(),
                    })
                    .nullish(),
                }),
              ),
            })
            .nullish(),
        }),
      ),
    })
    .nullish(),
});
type ShopifyReturn = z.infer<typeof ReturnSchema>;

/**
 * `returnProcess` and the exchange line items' own quantities exist from API 2025-07 (R3, R4 in
 * docs/platforms/shopify-returns.md); older versions show the exchange's line item only.
 */
const processesReturns = (version: string) => version >= '2025-07';
const returnQuery = (version: string) => `query CaseReturn($id: ID!) {
  return(id: $id) {
    id name status createdAt requestApprovedAt closedAt
    order { id }
    returnLineItems(first: 50) { nodes { ... on ReturnLineItem {
      id quantity returnReason customerNote
      fulfillmentLineItem { lineItem { id sku originalUnitPriceSet { shopMoney { amount currencyCode } } } }
    } } }
    exchangeLineItems(first: 50) { nodes {
      id lineItem { id sku quantity }
      ${processesReturns(version) ? 'quantity processedQuantity lineItems { id sku quantity }' : ''}
    } }
    refunds(first: 20) { nodes { totalRefundedSet { shopMoney { amount currencyCode } } } }
    reverseFulfillmentOrders(first: 10) { nodes {
      id
      lineItems(first: 50) { nodes {
        id totalQuantity dispositions { type quantity }
        fulfillmentLineItem { lineItem { id } }
      } }
      reverseDeliveries(first: 5) { nodes { deliverable {
        ... on ReverseDeliveryShippingDeliverable { tracking { carrierName number } }
      } } }
    } }
  }
}`;
const PROCESS = `mutation CaseProcess($input: ReturnProcessInput!) {
  returnProcess(input: $input) { return { id status } userErrors { field message code } }
}`;
const DISPOSE = `mutation CaseDispose($dispositionInputs: [ReverseFulfillmentOrderDisposeInput!]!) {
  reverseFulfillmentOrderDispose(dispositionInputs: $dispositionInputs) {
    reverseFulfillmentOrderLineItems { id }
    userErrors { field message code }
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

/**
 * The buyer's parcel back, as the first reverse delivery with a tracking number names it (the buyer's
 * or the merchant's label, `reverseDeliveryCreateWithShipping`'s `trackingInput`).
 */
function reverseTracking(ret: ShopifyReturn): PlatformCase['buyerReturn'] {
  for (const rfo of ret.reverseFulfillmentOrders?.nodes ?? []) {
    for (const delivery of rfo.reverseDeliveries?.nodes ?? []) {
      const tracking = delivery.deliverable?.tracking;
      if (tracking?.number) return { company: tracking.carrierName ?? '', trackingNo: tracking.number };
    }
  }
  return undefined;
}

export function shopifyReturnToCase(
  ret: ShopifyReturn,
  options: { receiveHere?: boolean } = {},
): PlatformCase {
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
  const exchange = options.receiveHere ? exchangeOf(ret) : null;
  if (exchange) {
    const bought = lines.map((n) => n.fulfillmentLineItem!.lineItem.sku ?? '').filter(Boolean);
    const wanted = exchange.items.map((e) => e.sku).filter((sku): sku is string => !!sku);
    const swapped = wanted.length > 0 && wanted.some((sku) => !bought.includes(sku));
    return {
      platformCaseId: `${SHOPIFY_RETURN_PREFIX}${tail(ret.id)}`,
      platformOrderId: tail(ret.order.id),
      kind: 'exchange',
      status: ret.status === 'CLOSED' ? 'closed' : status,
      platformStatus: ret.status,
      // No money moves on an exchange here (a price difference is Shopify's to settle).
      amountFen: 0,
      reason,
      lineIds: lines.map((n) => tail(n.fulfillmentLineItem!.lineItem.id)),
      shipped: true,
      answersAfterShipment: true,
      exchangeStep:
        ret.status === 'REQUESTED'
          ? 'requested'
          : ret.status === 'OPEN'
            ? exchange.processed
              ? 'to_ship'
              : 'returning'
            : 'ended',
      // Declined through the API; the parcel back received by the case id (or the reverse
      // delivery's number, when Shopify shows one); Shopify told once the replacement ships.
      exchangeAnswers: { refuse: true, buyerWaybill: false, receiptWithShipment: true },
      ...(swapped ? { skuSwap: { bought: bought.join(', '), wanted: wanted.join(', ') } } : {}),
      ...(reverseTracking(ret) ? { buyerReturn: reverseTracking(ret)! } : {}),
      createdAt: new Date(times[0]!).toISOString(),
      modifiedAt: new Date(Math.max(...times) + (reverseTracking(ret) ? 1 : 0)).toISOString(),
    };
  }
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
    // Received here: the warehouse takes the goods back, then Shopify is told what came back and
    // how (dispose); the refund stays the merchant's, as before.
    ...(options.receiveHere ? { receivedByApi: true, receiptMovesNoMoney: true } : {}),
    ...(options.receiveHere && reverseTracking(ret) ? { buyerReturn: reverseTracking(ret)! } : {}),
    createdAt: new Date(times[0]!).toISOString(),
    // The return names no time for its reverse delivery: once it carries the buyer's tracking, the
    // case's modified time is a millisecond later than the return's own, so a case reading the same
    // status again takes the number as news (and the same return read twice is the same news).
    modifiedAt: new Date(
      Math.max(...times) + (options.receiveHere && reverseTracking(ret) ? 1 : 0),
    ).toISOString(),
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

/**
 * The return's exchange line items, if any: each with its units, its SKU where Shopify names one, the
 * order line items it became (after processing), and whether every unit was processed (released).
 */
function exchangeOf(ret: ShopifyReturn) {
  const nodes = ret.exchangeLineItems?.nodes ?? [];
  if (nodes.length === 0) return null;
  const items = nodes.map((e) => {
    // From 2025-07 the order line items exist once processed (`lineItems`); before, `lineItem`.
    const lineItems = e.lineItems?.length ? e.lineItems : e.lineItem ? [e.lineItem] : [];
    const units = e.quantity ?? lineItems.reduce((sum, li) => sum + li.quantity, 0);
    return {
      id: e.id,
      units,
      unprocessed: units - (e.processedQuantity ?? 0),
      sku: e.lineItem?.sku ?? lineItems[0]?.sku ?? null,
      lineItems,
    };
  });
  return { items, processed: items.every((e) => e.unprocessed <= 0) };
}

/**
 * What to dispose for goods the warehouse inspected: per order line, the units back on the shelf
 * RESTOCKED at `locationId` and the written-off ones NOT_RESTOCKED, spread over the reverse
 * fulfillment order line items of that line, less what is already disposed on each (a retry after a
 * lost answer finds them disposed and sends nothing for them).
 */
export function dispositionsFor(
  ret: ShopifyReturn,
  goods: ReturnedGoods,
  locationId: string | undefined,
): Array<Record<string, unknown>> {
  const items = (ret.reverseFulfillmentOrders?.nodes ?? []).flatMap((rfo) =>
    rfo.lineItems.nodes.map((item) => ({
      id: item.id,
      lineId: item.fulfillmentLineItem ? tail(item.fulfillmentLineItem.lineItem.id) : '',
      open: item.totalQuantity - item.dispositions.reduce((sum, d) => sum + d.quantity, 0),
    })),
  );
  const out: Array<Record<string, unknown>> = [];
  for (const line of goods.lines ?? []) {
    const wanted: Array<[string, number]> = [
      ['RESTOCKED', line.restock],
      ['NOT_RESTOCKED', line.writeOff],
    ];
    for (const [type, units] of wanted) {
      let left = units;
      for (const item of items.filter((i) => i.lineId === line.lineId)) {
        const take = Math.min(left, item.open);
        if (take <= 0) continue;
        item.open -= take;
        left -= take;
        out.push({
          reverseFulfillmentOrderLineItemId: item.id,
          quantity: take,
          dispositionType: type,
          ...(type === 'RESTOCKED' ? { locationId } : {}),
        });
      }
    }
  }
  return out;
}

export function createShopifyAfterSales(
  ctx: AdapterContext,
  options: { receiveHere?: boolean } = {},
): AfterSalesApi {
  const { request, read } = createShopifyClient(ctx);
  const version = ctx.credentials.extra?.apiVersion ?? SHOPIFY_DEFAULT_API_VERSION;
  /** The Shopify location returned goods are restocked at (`gid://shopify/Location/…` or its number). */
  const returnLocation = () => {
    const raw = ctx.credentials.extra?.returnLocationId ?? ctx.credentials.extra?.locationId;
    if (!raw) return undefined;
    return raw.startsWith('gid://') ? raw : gid('Location', raw);
  };

  async function graphql(query: string, variables: Record<string, unknown>): Promise<unknown> {
    const { body } = await request('/graphql.json', { method: 'POST', body: { query, variables } });
    return body;
  }

  async function fetchReturn(ref: CaseRef): Promise<ShopifyReturn> {
    const id = gid('Return', ref.platformCaseId.slice(SHOPIFY_RETURN_PREFIX.length));
    const body = read(
      z.object({
        data: z.object({ return: ReturnSchema.nullable() }).nullish(),
        errors: z.array(z.object({ message: z.string() })).nullish(),
      }),
      await graphql(returnQuery(version), { id }),
      'return',
    );
    if (!body.data?.return) {
      throw new RequestRejectedError(
        `shopify return ${id}: ${body.errors?.map((e) => e.message).join('; ') || 'not found'}`,
        'shopify',
        'not_found',
      );
    }
    return body.data.return;
  }
  const readReturn = async (ref: CaseRef) => shopifyReturnToCase(await fetchReturn(ref), options);

  async function mutate(
    field: string,
    query: string,
    input: Record<string, unknown>,
    variables: Record<string, unknown> = { input },
  ): Promise<PlatformWriteResult> {
    const body = read(MutationSchema(field), await graphql(query, variables), field);
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

    /**
     * The goods are back and inspected: each returned unit not yet disposed on Shopify is, RESTOCKED
     * at the shop's location (`extra.returnLocationId`) or NOT_RESTOCKED when written off. Nothing
     * left to dispose (a retry after a lost answer): `already`.
     */
    async returnReceived(current, goods) {
      if (!isReturn(current)) return merchantRefundAnswer('shopify');
      const ret = await fetchReturn(current);
      const restocking = (goods.lines ?? []).some((line) => line.restock > 0);
      const locationId = returnLocation();
      if (restocking && !locationId) {
        return {
          outcome: 'not_offered',
          message:
            'no Shopify location to restock the goods at (credentials.extra.returnLocationId): dispose them in Shopify',
        };
      }
      const dispositionInputs = dispositionsFor(ret, goods, locationId);
      if (dispositionInputs.length === 0) return { outcome: 'already', status: current.status };
      return mutate('reverseFulfillmentOrderDispose', DISPOSE, {}, { dispositionInputs });
    },

    exchange: {
      agree: (current) =>
        mutate('returnApproveRequest', APPROVE, {
          id: gid('Return', current.platformCaseId.slice(SHOPIFY_RETURN_PREFIX.length)),
        }),
      // Never asked: the replacement's fulfillment confirms the goods back with it (consign).
      confirmReturned: async () => ({
        outcome: 'not_offered',
        message: 'Shopify confirms the returned goods with returnProcess when the replacement ships',
      }),
      /**
       * The replacement is with the carrier: `returnProcess` confirms the returned items (their
       * dispositions per inspection) and releases the exchange items, unless Shopify shows them
       * processed already (a retry); then the exchange items' fulfillment order is fulfilled with
       * the replacement's tracking number, unless a fulfillment with that number is already on the
       * order. Older API versions have no returnProcess: a person fulfils the exchange in Shopify.
       */
      async consign(current, parcel, goods) {
        if (!processesReturns(version)) {
          return {
            outcome: 'not_offered',
            message: `Shopify releases exchange items with returnProcess from API 2025-07 (this shop uses ${version}): process and fulfil the exchange in Shopify`,
          };
        }
        let ret = await fetchReturn(current);
        let exchange = exchangeOf(ret);
        if (!exchange) {
          return { outcome: 'rejected', code: 'no_exchange', message: 'the return names no exchange items' };
        }
        if (!exchange.processed) {
          const location = returnLocation();
          const restocking = (goods?.lines ?? []).some((line) => line.restock > 0);
          if (restocking && !location) {
            return {
              outcome: 'not_offered',
              message:
                'no Shopify location to restock the goods at (credentials.extra.returnLocationId): process the exchange in Shopify',
            };
          }
          const dispositions = goods ? dispositionsFor(ret, goods, location) : [];
          const lineOf = new Map(
            (ret.reverseFulfillmentOrders?.nodes ?? []).flatMap((rfo) =>
              rfo.lineItems.nodes.map((item) => [
                item.id,
                item.fulfillmentLineItem ? tail(item.fulfillmentLineItem.lineItem.id) : '',
              ]),
            ),
          );
          const processed = await mutate('returnProcess', PROCESS, {
            returnId: ret.id,
            returnLineItems: ret.returnLineItems.nodes
              .filter((n) => n.id && n.fulfillmentLineItem)
              .map((n) => {
                const lineId = tail(n.fulfillmentLineItem!.lineItem.id);
                return {
                  id: n.id,
                  quantity: n.quantity,
                  dispositions: dispositions.filter(
                    (d) => lineOf.get(String(d['reverseFulfillmentOrderLineItemId'])) === lineId,
                  ),
                };
              }),
            exchangeLineItems: exchange.items
              .filter((e) => e.unprocessed > 0)
              .map((e) => ({ id: e.id, quantity: e.unprocessed })),
            notifyCustomer: false,
          });
          if (processed.outcome !== 'done') return processed;
          ret = await fetchReturn(current);
          exchange = exchangeOf(ret)!;
        }
        const lines = exchange.items.flatMap((e) =>
          e.lineItems.map((li) => ({ lineId: tail(li.id), quantity: li.quantity })),
        );
        if (lines.length === 0) {
          return {
            outcome: 'rejected',
            code: 'no_exchange_lines',
            message: 'Shopify shows no order line items for the processed exchange',
          };
        }
        if (!(CARRIER_CODES as readonly string[]).includes(parcel.carrierCode ?? '')) {
          return {
            outcome: 'rejected',
            code: 'unknown_carrier',
            message: `no Shopify tracking company for carrier ${parcel.carrierCode ?? parcel.companyName}`,
          };
        }
        await createShopifyAdapter(ctx).confirmShipment({
          platformOrderId: current.platformOrderId,
          carrier: parcel.carrierCode as CarrierCode,
          trackingNumber: parcel.trackingNo,
          shippedAt: new Date(),
          lines,
        });
        return { outcome: 'done' };
      },
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
