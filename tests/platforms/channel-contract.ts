import { describe, expect, it } from 'vitest';
import type { CarrierCode } from '../../domain/carriers/codes.js';
import {
  AuthError,
  RequestRejectedError,
  WebhookSignatureError,
} from '../../integrations/platforms/errors.js';
import type {
  PlatformAdapter,
  TokenSet,
  WebhookEvent,
  WebhookParser,
  WebhookRequest,
  WebhookSecrets,
} from '../../integrations/platforms/types.js';
import type { SimOrderStore } from '../../sandbox/kit/store.js';
import type { SimOrder } from '../../sandbox/orders/model.js';

/**
 * What every channel's adapter tests show against its simulator, in one shape: the simulator
 * serves the shop's own credentials and refuses forged ones (checked by the simulator, not by
 * the adapter), a refused or expired token is replaced exactly once, and a push signed the
 * platform's way is parsed while a forged or altered one is refused. Each channel's test file
 * gives the pieces and keeps its own tests for what is particular to it.
 */
export interface ChannelContract {
  /**
   * An adapter holding the shop's real credentials (the token the test granted), and the tokens it
   * stored when it refreshed.
   */
  adapter(): { adapter: PlatformAdapter; refreshed: TokenSet[] };
  /** An adapter holding credentials the platform never issued. */
  forgedAdapter(): PlatformAdapter;
  /** One read through an adapter (e.g. `getOrder` of an order placed for the purpose). */
  probe(adapter: PlatformAdapter): Promise<unknown>;
  /** Makes the token `adapter()` holds unusable (expired at the simulator). */
  expireToken(): void;
  /** The channel's push, where it has one over HTTP. */
  push?: {
    parser: WebhookParser;
    secrets: WebhookSecrets;
    shop: { shopId: string; platformShopId: string };
    /** A push as the simulator sends it, and what it must parse to. */
    signed(): { request: WebhookRequest; events: WebhookEvent[] };
    /** Pushes the platform did not sign: another secret, altered after signing, unsigned. */
    forged(): WebhookRequest[];
  };
}

export function describeChannelContract(
  name: string,
  contract: () => ChannelContract,
  /**
   * `push: false` for a channel polled only (its push is not in the facts); `refresh: false` for a
   * channel whose tokens only the seller can renew (no refresh call in the facts).
   */
  options: { push?: boolean; refresh?: boolean } = {},
): void {
  const { push = true, refresh = true } = options;
  describe(`${name}: the channel contract`, () => {
    it('the simulator serves the shop’s credentials and refuses ones it never issued (AuthError)', async () => {
      const c = contract();
      await expect(c.probe(c.adapter().adapter)).resolves.toBeDefined();
      await expect(c.probe(c.forgedAdapter())).rejects.toBeInstanceOf(AuthError);
    });

    if (!refresh)
      it('an expired token is refused (AuthError) and nothing is stored: the seller must issue a new one', async () => {
        const c = contract();
        c.expireToken();
        const { adapter, refreshed } = c.adapter();
        await expect(c.probe(adapter)).rejects.toBeInstanceOf(AuthError);
        expect(refreshed).toHaveLength(0);
      });
    else
      it('an expired token is replaced once, stored, and the call goes through', async () => {
        const c = contract();
        c.expireToken();
        const { adapter, refreshed } = c.adapter();
        await expect(c.probe(adapter)).resolves.toBeDefined();
        expect(refreshed).toHaveLength(1);
        expect(refreshed[0]!.accessToken).toBeTruthy();
        await c.probe(adapter);
        expect(refreshed).toHaveLength(1);
      });

    if (!push) return;
    it('a push signed the platform’s way is parsed; forged, altered or unsigned ones are refused', () => {
      const push = contract().push!;
      const { request, events } = push.signed();
      expect(push.parser.parse(request, push.secrets, push.shop)).toEqual(events);
      const forged = push.forged();
      expect(forged.length).toBeGreaterThan(0);
      for (const f of forged) {
        expect(() => push.parser.parse(f, push.secrets, push.shop)).toThrow(WebhookSignatureError);
      }
    });
  });
}

/**
 * How a channel built on the simulators' order kit reads an order's states: unpaid, shipped,
 * finished and cancelled orders, and a refund the buyer asked for on the second line only.
 */
export async function expectKitOrderStates(
  adapter: PlatformAdapter,
  store: SimOrderStore,
  simOrder: (overrides?: Partial<SimOrder>) => SimOrder,
  refund: { id: string; amountMinor: number; at: Date },
): Promise<void> {
  const cases: Array<[Partial<SimOrder>, Record<string, unknown>]> = [
    [
      { status: 'unpaid', paidAt: undefined },
      { status: 'awaiting_payment', amounts: { paidFen: 0 } },
    ],
    [{ status: 'shipped' }, { status: 'shipped' }],
    [{ status: 'completed' }, { status: 'completed' }],
    [{ status: 'cancelled' }, { status: 'cancelled' }],
  ];
  for (const [overrides, expected] of cases) {
    const sim = simOrder(overrides);
    store.upsert(sim);
    expect(await adapter.getOrder(sim.id)).toMatchObject(expected);
  }
  const refunding = simOrder();
  refunding.refund = {
    id: refund.id,
    status: 'requested',
    kind: 'refund_only',
    amountMinor: refund.amountMinor,
    reason: '',
    createdAt: refund.at,
    modifiedAt: refund.at,
    lineIds: [refunding.items[1]!.lineId],
  };
  store.upsert(refunding);
  const order = await adapter.getOrder(refunding.id);
  expect(order.refundStatus).toBe('requested');
  expect(order.lines.map((l) => l.refundStatus)).toEqual([undefined, 'requested']);
}

/**
 * How a channel reads its incremental window: orders placed a second apart are read page by page,
 * every one exactly once although an order read on the first page changes (and leaves the window)
 * while the rest are read, and none placed after the window; a window longer than the channel reads
 * in one call is refused before any call.
 */
export interface WindowReadContract {
  adapter(): PlatformAdapter;
  store: SimOrderStore;
  /** The simulator's key for the shop's orders (the store's seller). */
  shopKey: string;
  simOrder(overrides?: Partial<SimOrder>): SimOrder;
  /** Where the window starts (ms; whole seconds where the platform counts in seconds). */
  base: number;
  /** How many orders are placed in it, a second apart. */
  orders: number;
  /** The window read (longer than `orders` seconds). */
  windowMs: number;
  /** How many pages the read takes: exactly, or at least. */
  pages: number | { atLeast: number };
  /** The form every order id keeps (exact digits where ids pass 2^53). */
  ids?: RegExp;
  /** The longest window the channel reads in one call, and how it is said (“a day”). */
  longest?: { ms: number; said: string };
}

export function describeWindowRead(
  name: string,
  /** What the window is of, as the tests say it (“a modified-time window”). */
  what: string,
  contract: () => WindowReadContract,
): void {
  describe(`${name}: reading ${what}`, () => {
    it('reads it page by page and loses no order that changes while it is read; none after it', async () => {
      const c = contract();
      const created = Array.from({ length: c.orders }, (_, i) =>
        c.simOrder({ createdAt: new Date(c.base + i * 1000), modifiedAt: new Date(c.base + i * 1000) }),
      );
      created.forEach((o) => c.store.upsert(o));
      const after = new Date(c.base + c.windowMs + 3_600_000);
      c.store.upsert(c.simOrder({ createdAt: after, modifiedAt: after }));
      const adapter = c.adapter();
      const seen = new Set<string>();
      let cursor: string | null | undefined;
      let pages = 0;
      do {
        const page = await adapter.listOrders({
          from: new Date(c.base),
          to: new Date(c.base + c.windowMs),
          cursor,
        });
        page.orders.forEach((o) => seen.add(o.platformOrderId));
        // An order already read changes (it leaves the window): the pages behind shift by one.
        if (pages === 0)
          c.store.update(c.shopKey, page.orders[2]!.platformOrderId, (o) => (o.sellerMemo = 'x'), new Date());
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      if (typeof c.pages === 'number') expect(pages).toBe(c.pages);
      else expect(pages).toBeGreaterThanOrEqual(c.pages.atLeast);
      expect(seen).toEqual(new Set(created.map((o) => o.id)));
      if (c.ids) for (const id of seen) expect(id).toMatch(c.ids);
    });

    const longest = contract().longest;
    if (!longest) return;
    it(`refuses a window over ${longest.said} (the longest it reads in one call) before calling`, async () => {
      const to = Date.now();
      await expect(
        contract()
          .adapter()
          .listOrders({ from: new Date(to - longest.ms - 60_000), to: new Date(to) }),
      ).rejects.toBeInstanceOf(RequestRejectedError);
    });
  });
}

/** A parcel as a channel's shipping tests send it, and the code its simulator records the carrier by. */
export interface ContractParcel {
  carrier: CarrierCode;
  trackingNumber: string;
  /** The carrier's code on the platform, as the simulator records it. */
  platformCode: string;
}

/**
 * How a channel that ships an order parcel by parcel confirms them: a parcel of the first line
 * leaves the order partly shipped; sending it again is done (nothing recorded twice); the rest ships
 * the order, each parcel recorded with its carrier, number and lines. Then what it refuses: an order
 * that cannot ship, and a carrier the shop has no platform code for (naming the setting to fill).
 */
export async function expectParcelByParcel(p: {
  adapter: PlatformAdapter;
  store: SimOrderStore;
  shopKey: string;
  sim: SimOrder;
  first: ContractParcel;
  rest: ContractParcel & {
    /** `false` where the rest is sent without naming lines (“the rest of the order”). */
    namesLines: boolean;
  };
  /** `false` where the platform's parcels do not say which lines they carry (a part, then all). */
  recordsLines?: boolean;
  /** An order the platform will not ship (cancelled, closed, finished). */
  unshippable?: SimOrder;
  /** A carrier without a code on the platform, sent for a shippable order, and the setting the refusal names. */
  unnamedCarrier?: { carrier: CarrierCode; order: SimOrder; says: RegExp };
}): Promise<void> {
  const { adapter, store, sim } = p;
  store.upsert(sim);
  const [line0, line1] = sim.items.map((i) => i.lineId);
  const first = {
    platformOrderId: sim.id,
    carrier: p.first.carrier,
    trackingNumber: p.first.trackingNumber,
    shippedAt: new Date(),
    lineIds: [line0!],
  };
  await adapter.confirmShipment(first);
  expect((await adapter.getOrder(sim.id)).status).toBe('partially_shipped');
  await adapter.confirmShipment(first);
  expect(store.get(p.shopKey, sim.id)?.extraShipments ?? []).toHaveLength(0);
  await adapter.confirmShipment({
    ...first,
    carrier: p.rest.carrier,
    trackingNumber: p.rest.trackingNumber,
    lineIds: p.rest.namesLines ? [line1!] : undefined,
  });
  expect((await adapter.getOrder(sim.id)).status).toBe('shipped');
  const lines = (ids: string[]) => (p.recordsLines === false ? {} : { lineIds: ids });
  expect(store.get(p.shopKey, sim.id)).toMatchObject({
    status: 'shipped',
    shipment: {
      carrierCode: p.first.platformCode,
      trackingNumber: p.first.trackingNumber,
      ...lines([line0!]),
    },
    extraShipments: [
      { carrierCode: p.rest.platformCode, trackingNumber: p.rest.trackingNumber, ...lines([line1!]) },
    ],
  });
  if (p.unshippable) {
    store.upsert(p.unshippable);
    await expect(
      adapter.confirmShipment({ ...first, platformOrderId: p.unshippable.id }),
    ).rejects.toBeInstanceOf(RequestRejectedError);
  }
  if (p.unnamedCarrier) {
    const { order, carrier, says } = p.unnamedCarrier;
    store.upsert(order);
    await expect(
      adapter.confirmShipment({ ...first, platformOrderId: order.id, carrier, lineIds: undefined }),
    ).rejects.toThrow(says);
  }
}
