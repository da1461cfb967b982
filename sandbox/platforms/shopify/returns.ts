import type { SimOrder, SimRefund } from '../../orders/model.js';
import { money, renderShopifyRefund } from './render.js';

/**
 * Shopify returns in the simulator (AFTER-SALES-FACTS §1.7): a `return_and_refund` refund of the
 * store is a buyer's return request. GraphQL Admin (`POST …/graphql.json`): the `return(id:)`
 * query, `returnApproveRequest` (REQUESTED → OPEN) and `returnDeclineRequest` (REQUESTED →
 * DECLINED), each recognised by its root field, its input read from `variables`, answering
 * `{data, errors}` with `userErrors` as Shopify does; REST `orders/{id}/refunds/{id}.json` for the
 * merchant's refunds. The `returns/*` webhook body is the simulator's reading of Shopify's return
 * payload (ids as numbers and GraphQL ids; the facts give the topics, not the body).
 */
const RETURN_STATUS: Record<SimRefund['status'], string> = {
  requested: 'REQUESTED',
  agreed: 'OPEN',
  returning: 'OPEN',
  refunded: 'CLOSED',
  refused: 'DECLINED',
  closed: 'CANCELED',
};
const DECLINE_REASONS = new Set(['RETURN_PERIOD_ENDED', 'FINAL_SALE', 'OTHER']);

export const shopifyReturnStatus = (refund: SimRefund) => RETURN_STATUS[refund.status];

export function renderShopifyReturnGraphql(order: SimOrder, refund: SimRefund) {
  const approved = ['agreed', 'returning', 'refunded'].includes(refund.status);
  const shopMoney = (minor: number) => ({
    shopMoney: { amount: money(minor, order.currency), currencyCode: order.currency },
  });
  return {
    id: `gid://shopify/Return/${refund.id}`,
    name: `#${order.id}-R1`,
    status: RETURN_STATUS[refund.status],
    createdAt: refund.createdAt.toISOString(),
    requestApprovedAt: approved ? (refund.sellerAnswer?.at ?? refund.modifiedAt).toISOString() : null,
    closedAt:
      refund.status === 'refunded' || refund.status === 'closed' ? refund.modifiedAt.toISOString() : null,
    order: { id: `gid://shopify/Order/${order.id}` },
    returnLineItems: {
      nodes: returnedItems(order, refund).map((i) => ({
        id: `gid://shopify/ReturnLineItem/${refund.id}-${i.lineId}`,
        quantity: i.quantity,
        returnReason: 'OTHER',
        customerNote: refund.reason,
        fulfillmentLineItem: {
          lineItem: {
            id: `gid://shopify/LineItem/${i.lineId}`,
            sku: i.skuCode,
            originalUnitPriceSet: shopMoney(i.unitPriceMinor),
          },
        },
      })),
    },
    // Exchange items (2025-07 on): a line item of the order once processed (R4); the variant's SKU
    // shows on it (the simulator shows it before processing as well, on the deprecated `lineItem`).
    exchangeLineItems: {
      nodes: (refund.exchangeItems ?? []).map((e) => {
        const lineItem = {
          id: `gid://shopify/LineItem/${e.lineItemId}`,
          sku: e.skuCode,
          quantity: e.quantity,
        };
        return {
          id: `gid://shopify/ExchangeLineItem/${e.id}`,
          quantity: e.quantity,
          processedQuantity: e.processed,
          lineItem,
          lineItems: e.processed > 0 ? [lineItem] : [],
        };
      }),
    },
    refunds: {
      nodes: refund.status === 'refunded' ? [{ totalRefundedSet: shopMoney(refund.amountMinor) }] : [],
    },
    // Approving a return creates its reverse fulfillment order (shopify.dev "Manage reverse
    // fulfillment orders"): one per return here (one location), a line item per returned line with
    // what was disposed of it, and the buyer's parcel back as a reverse delivery's tracking.
    reverseFulfillmentOrders: {
      nodes: approved
        ? [
            {
              id: `gid://shopify/ReverseFulfillmentOrder/${refund.id}`,
              lineItems: {
                nodes: returnedItems(order, refund).map((i) => ({
                  id: reverseLineItemId(refund, i.lineId),
                  totalQuantity: i.quantity,
                  dispositions: (refund.dispositions ?? [])
                    .filter((d) => d.lineId === i.lineId)
                    .map((d) => ({ type: d.type, quantity: d.quantity })),
                  fulfillmentLineItem: { lineItem: { id: `gid://shopify/LineItem/${i.lineId}` } },
                })),
              },
              reverseDeliveries: {
                nodes: refund.buyerReturn
                  ? [
                      {
                        deliverable: {
                          tracking: {
                            carrierName: refund.buyerReturn.company,
                            number: refund.buyerReturn.trackingNo,
                          },
                        },
                      },
                    ]
                  : [],
              },
            },
          ]
        : [],
    },
  };
}

const returnedItems = (order: SimOrder, refund: SimRefund) =>
  order.items.filter((i) => !refund.lineIds || refund.lineIds.includes(i.lineId));
const reverseLineItemId = (refund: SimRefund, lineId: string) =>
  `gid://shopify/ReverseFulfillmentOrderLineItem/${refund.id}-${lineId}`;
const DISPOSITION_TYPES = new Set(['RESTOCKED', 'PROCESSING_REQUIRED', 'NOT_RESTOCKED', 'MISSING']);

/** The `returns/*` webhook body for a return. */
export function renderShopifyReturnWebhook(order: SimOrder) {
  const refund = order.refund!;
  return {
    id: BigInt(refund.id),
    admin_graphql_api_id: `gid://shopify/Return/${refund.id}`,
    name: `#${order.id}-R1`,
    status: RETURN_STATUS[refund.status].toLowerCase(),
    order: { id: BigInt(order.id), admin_graphql_api_id: `gid://shopify/Order/${order.id}` },
  };
}

export interface ShopifyReturnDeps {
  find(shopKey: string, returnId: string): SimOrder | undefined;
  update(order: SimOrder, change: (refund: SimRefund) => void): void;
  now(): Date;
}

type GraphqlBody = { query?: unknown; variables?: Record<string, unknown> };

/** Answers one GraphQL document the way Shopify does (HTTP 200, `errors` for a bad document). */
export function answerShopifyGraphql(
  deps: ShopifyReturnDeps,
  shopKey: string,
  raw: string,
  version = '2025-01',
): unknown {
  let body: GraphqlBody;
  try {
    body = JSON.parse(raw) as GraphqlBody;
  } catch {
    return { errors: [{ message: 'Invalid JSON in request body' }] };
  }
  const query = typeof body.query === 'string' ? body.query : '';
  const variables = body.variables ?? {};
  const returnOf = (value: unknown) => {
    const match = typeof value === 'string' ? /^gid:\/\/shopify\/Return\/(\d+)$/.exec(value) : null;
    const order = match ? deps.find(shopKey, match[1]!) : undefined;
    return order?.refund?.kind === 'return_and_refund' ? order : undefined;
  };
  const mutation = (
    field: string,
    change: (order: SimOrder, input: Record<string, unknown>) => string | null,
  ) => {
    const input = (variables['input'] ?? {}) as Record<string, unknown>;
    const order = returnOf(input['id']);
    if (!order)
      return {
        data: {
          [field]: {
            return: null,
            userErrors: [{ field: ['id'], message: 'Return does not exist.', code: 'NOT_FOUND' }],
          },
        },
      };
    const problem = change(order, input);
    const after = deps.find(shopKey, order.refund!.id)!;
    return {
      data: {
        [field]: problem
          ? { return: null, userErrors: [{ field: ['id'], message: problem, code: 'INVALID_STATE' }] }
          : {
              return: {
                id: `gid://shopify/Return/${after.refund!.id}`,
                status: RETURN_STATUS[after.refund!.status],
              },
              userErrors: [],
            },
      },
    };
  };

  if (/\breturnApproveRequest\s*\(/.test(query)) {
    return mutation('returnApproveRequest', (order) => {
      if (order.refund!.status !== 'requested')
        return 'Return is not approvable. Only returns with status REQUESTED can be approved.';
      deps.update(order, (r) => {
        r.status = 'returning';
        r.sellerAnswer = { action: 'agree', amountMinor: r.amountMinor, at: deps.now() };
      });
      return null;
    });
  }
  if (/\breturnDeclineRequest\s*\(/.test(query)) {
    return mutation('returnDeclineRequest', (order, input) => {
      if (typeof input['declineReason'] !== 'string' || !DECLINE_REASONS.has(input['declineReason']))
        return 'declineReason is not a ReturnDeclineReason.';
      if (order.refund!.status !== 'requested')
        return 'Return is not declinable. Only returns with status REQUESTED can be declined.';
      deps.update(order, (r) => {
        r.status = 'refused';
        r.sellerAnswer = {
          action: 'refuse',
          ...(typeof input['declineNote'] === 'string' ? { message: input['declineNote'] } : {}),
          at: deps.now(),
        };
      });
      return null;
    });
  }
  if (/\breturnProcess\s*\(/.test(query)) {
    if (version < '2025-07')
      return { errors: [{ message: "Field 'returnProcess' doesn't exist on type 'Mutation'" }] };
    return { data: { returnProcess: processReturn(deps, shopKey, variables) } };
  }
  if (/\breverseFulfillmentOrderDispose\s*\(/.test(query)) {
    return { data: { reverseFulfillmentOrderDispose: dispose(deps, shopKey, variables) } };
  }
  if (/\breturn\s*\(\s*id\s*:/.test(query)) {
    const order = returnOf(variables['id']);
    return { data: { return: order ? renderShopifyReturnGraphql(order, order.refund!) : null } };
  }
  return {
    errors: [
      {
        message:
          'The simulator answers the return query, the return approve/decline mutations, reverseFulfillmentOrderDispose and returnProcess only',
      },
    ],
  };
}

/**
 * `reverseFulfillmentOrderDispose(dispositionInputs)` (AFTER-SALES-FACTS §1.7): each input names a
 * reverse fulfillment order line item of an approved return, a positive quantity not beyond what is
 * still undisposed of it, a `ReverseFulfillmentOrderDispositionType`, and a location when RESTOCKED.
 * All or nothing: one bad input is a `userErrors` answer and nothing is disposed. Disposing more
 * than is left (a second dispose of the same units) is refused the same way.
 */
type Planned = { order: SimOrder; lineId: string; type: string; quantity: number; locationId?: string };
type Refusal = { index: number; field: string; message: string; code: string };

/**
 * Checks dispositions (`ReverseFulfillmentOrderDisposeInput`) as Shopify does: each names a reverse
 * fulfillment order line item of an approved return of this shop, a known disposition type, a
 * positive quantity not beyond what is left undisposed of it, and a location when RESTOCKED.
 */
function planDispositions(
  deps: ShopifyReturnDeps,
  shopKey: string,
  inputs: Array<Record<string, unknown>>,
): { planned: Planned[] } | { refusal: Refusal } {
  const refused = (index: number, field: string, message: string, code = 'INVALID') => ({
    refusal: { index, field, message, code },
  });
  const taking = new Map<string, number>();
  const planned: Planned[] = [];
  for (const [index, input] of inputs.entries()) {
    const match =
      typeof input['reverseFulfillmentOrderLineItemId'] === 'string'
        ? /^gid:\/\/shopify\/ReverseFulfillmentOrderLineItem\/(\d+)-(.+)$/.exec(
            input['reverseFulfillmentOrderLineItemId'],
          )
        : null;
    const order = match ? deps.find(shopKey, match[1]!) : undefined;
    const refund = order?.refund;
    const item =
      refund && order ? returnedItems(order, refund).find((i) => i.lineId === match![2]) : undefined;
    if (!refund || !item || !['agreed', 'returning', 'refunded'].includes(refund.status))
      return refused(
        index,
        'reverseFulfillmentOrderLineItemId',
        'Reverse fulfillment order line item does not exist.',
        'NOT_FOUND',
      );
    const type = input['dispositionType'];
    if (typeof type !== 'string' || !DISPOSITION_TYPES.has(type))
      return refused(
        index,
        'dispositionType',
        'dispositionType is not a ReverseFulfillmentOrderDispositionType.',
      );
    const quantity = input['quantity'];
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1)
      return refused(index, 'quantity', 'Quantity must be greater than 0.');
    const locationId = typeof input['locationId'] === 'string' ? input['locationId'] : undefined;
    if (type === 'RESTOCKED' && !locationId)
      return refused(index, 'locationId', 'Location is required when the disposition type is RESTOCKED.');
    const key = `${refund.id}-${item.lineId}`;
    const disposed = (refund.dispositions ?? [])
      .filter((d) => d.lineId === item.lineId)
      .reduce((sum, d) => sum + d.quantity, 0);
    const already = taking.get(key) ?? 0;
    if (disposed + already + quantity > item.quantity)
      return refused(index, 'quantity', 'Quantity exceeds the quantity that can be disposed.');
    taking.set(key, already + quantity);
    planned.push({ order, lineId: item.lineId, type, quantity, ...(locationId ? { locationId } : {}) });
  }
  return { planned };
}

function applyDispositions(deps: ShopifyReturnDeps, planned: Planned[], call: string) {
  const at = deps.now();
  for (const p of planned) {
    deps.update(p.order, (r) => {
      (r.dispositions ??= []).push({
        lineId: p.lineId,
        type: p.type,
        quantity: p.quantity,
        ...(p.locationId ? { locationId: p.locationId } : {}),
        at,
      });
      r.received ??= { at, call };
    });
  }
}

/**
 * `reverseFulfillmentOrderDispose(dispositionInputs)` (AFTER-SALES-FACTS §1.7): all or nothing — one
 * bad input is a `userErrors` answer and nothing is disposed; disposing more than is left (a second
 * dispose of the same units) is refused the same way.
 */
function dispose(deps: ShopifyReturnDeps, shopKey: string, variables: Record<string, unknown>) {
  const inputs = Array.isArray(variables['dispositionInputs'])
    ? (variables['dispositionInputs'] as Array<Record<string, unknown>>)
    : [];
  const refused = (r: Refusal) => ({
    reverseFulfillmentOrderLineItems: null,
    userErrors: [
      { field: ['dispositionInputs', String(r.index), r.field], message: r.message, code: r.code },
    ],
  });
  if (inputs.length === 0)
    return refused({
      index: 0,
      field: 'reverseFulfillmentOrderLineItemId',
      message: 'No dispositions given.',
      code: 'INVALID',
    });
  const plan = planDispositions(deps, shopKey, inputs);
  if ('refusal' in plan) return refused(plan.refusal);
  applyDispositions(deps, plan.planned, 'reverseFulfillmentOrderDispose');
  return {
    reverseFulfillmentOrderLineItems: plan.planned.map((p) => ({
      id: reverseLineItemId(p.order.refund!, p.lineId),
    })),
    userErrors: [],
  };
}

/**
 * `returnProcess(input: ReturnProcessInput)` (API 2025-07; shopify.dev, docs/platforms/
 * shopify-returns.md R3): on an OPEN return of this shop, confirms return line items (`{id,
 * quantity, dispositions}`, each not beyond what is left unprocessed) and releases exchange line
 * items (`{id, quantity}`, the same), which opens their fulfillment order on the order. All or
 * nothing, with `userErrors`. Not in API versions before 2025-07 (a GraphQL error, as Shopify
 * answers an unknown field).
 */
function processReturn(deps: ShopifyReturnDeps, shopKey: string, variables: Record<string, unknown>) {
  const input = (variables['input'] ?? {}) as Record<string, unknown>;
  const refused = (field: string[], message: string, code = 'INVALID') => ({
    return: null,
    userErrors: [{ field: ['input', ...field], message, code }],
  });
  const match =
    typeof input['returnId'] === 'string' ? /^gid:\/\/shopify\/Return\/(\d+)$/.exec(input['returnId']) : null;
  const order = match ? deps.find(shopKey, match[1]!) : undefined;
  const refund = order?.refund;
  if (!order || !refund || refund.kind !== 'return_and_refund')
    return refused(['returnId'], 'Return does not exist.', 'NOT_FOUND');
  if (refund.status !== 'returning' && refund.status !== 'agreed')
    return refused(
      ['returnId'],
      'Return is not processable. Only OPEN returns can be processed.',
      'INVALID_STATE',
    );
  const lines = Array.isArray(input['returnLineItems'])
    ? (input['returnLineItems'] as Array<Record<string, unknown>>)
    : [];
  const exchanges = Array.isArray(input['exchangeLineItems'])
    ? (input['exchangeLineItems'] as Array<Record<string, unknown>>)
    : [];
  if (lines.length === 0 && exchanges.length === 0)
    return refused(['returnLineItems'], 'Nothing to process.');
  const confirming = new Map<string, number>();
  const dispositions: Array<Record<string, unknown>> = [];
  for (const [i, line] of lines.entries()) {
    const lineId =
      typeof line['id'] === 'string'
        ? new RegExp(`^gid://shopify/ReturnLineItem/${refund.id}-(.+)$`).exec(line['id'])?.[1]
        : undefined;
    const item = lineId ? returnedItems(order, refund).find((it) => it.lineId === lineId) : undefined;
    if (!item)
      return refused(['returnLineItems', String(i), 'id'], 'Return line item does not exist.', 'NOT_FOUND');
    const quantity = line['quantity'];
    const left =
      item.quantity - (refund.returnProcessed?.[item.lineId] ?? 0) - (confirming.get(item.lineId) ?? 0);
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > left)
      return refused(
        ['returnLineItems', String(i), 'quantity'],
        'Quantity exceeds the quantity that can be processed.',
      );
    confirming.set(item.lineId, (confirming.get(item.lineId) ?? 0) + quantity);
    if (Array.isArray(line['dispositions']))
      dispositions.push(...(line['dispositions'] as Array<Record<string, unknown>>));
  }
  const releasing = new Map<string, number>();
  for (const [i, ex] of exchanges.entries()) {
    const item = (refund.exchangeItems ?? []).find(
      (e) => `gid://shopify/ExchangeLineItem/${e.id}` === ex['id'],
    );
    if (!item)
      return refused(
        ['exchangeLineItems', String(i), 'id'],
        'Exchange line item does not exist.',
        'NOT_FOUND',
      );
    const quantity = ex['quantity'];
    const left = item.quantity - item.processed - (releasing.get(item.id) ?? 0);
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > left)
      return refused(
        ['exchangeLineItems', String(i), 'quantity'],
        'Quantity exceeds the quantity that can be processed.',
      );
    releasing.set(item.id, (releasing.get(item.id) ?? 0) + quantity);
  }
  const plan = planDispositions(deps, shopKey, dispositions);
  if ('refusal' in plan)
    return refused(
      ['returnLineItems', 'dispositions', plan.refusal.field],
      plan.refusal.message,
      plan.refusal.code,
    );
  applyDispositions(deps, plan.planned, 'returnProcess');
  const at = deps.now();
  deps.update(order, (r) => {
    for (const [lineId, n] of confirming)
      (r.returnProcessed ??= {})[lineId] = (r.returnProcessed?.[lineId] ?? 0) + n;
    for (const e of r.exchangeItems ?? []) e.processed += releasing.get(e.id) ?? 0;
    r.received ??= { at, call: 'returnProcess' };
  });
  const after = deps.find(shopKey, refund.id)!;
  return {
    return: { id: `gid://shopify/Return/${refund.id}`, status: RETURN_STATUS[after.refund!.status] },
    userErrors: [],
  };
}

/** REST: a merchant refund of the order, or undefined. */
export function shopifyRefundOf(order: SimOrder, refundId: string) {
  return order.refund?.id === refundId && order.refund.status === 'refunded'
    ? { refund: renderShopifyRefund(order) }
    : undefined;
}
