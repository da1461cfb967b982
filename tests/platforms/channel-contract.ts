import { describe, expect, it } from 'vitest';
import { AuthError, WebhookSignatureError } from '../../integrations/platforms/errors.js';
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
