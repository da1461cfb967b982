import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderWorkflowId } from '../../domain/ids.js';
import { apiKeyFor, bearer } from '../auth/support.js';
import { READY_STATUS, createShop, orderPush, seedCatalog, uniqueId } from '../support/fixtures.js';
import { setupWarehouse } from '../support/fulfilment.js';
import { createHarness, type Harness } from '../support/harness.js';
import { submitOrder } from '../support/intake.js';
import { waitForOrderStatus } from '../support/waits.js';

let h: Harness;
let api: FastifyInstance;
let shopId: string;
let ops: { authorization: string };
let rawClient: Client;

beforeAll(async () => {
  h = await createHarness();
  api = await h.api();
  await seedCatalog(h.db);
  await setupWarehouse(h.db);
  shopId = await createShop(h.db, 'own');
  ops = bearer(await apiKeyFor(h.db, ['ops']));
  // What anyone with access to Temporal (or its database) sees: no codec.
  rawClient = new Client({ connection: await Connection.connect({ address: h.config.TEMPORAL_ADDRESS }) });
  await h.startWorker();
});
afterAll(async () => {
  await rawClient.connection.close();
  await h.teardown();
});

/** An order whose receiver can be looked for in the raw history. */
async function placeOrder() {
  const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const detail = `${uniqueId('梧桐路')}号`;
  const push = orderPush({ receiver: { ...orderPush().receiver, phone, detail } });
  const res = await submitOrder(api, { platform: 'own', shopId, order: push }, ops);
  expect(res.statusCode).toBeLessThan(300);
  const id = orderWorkflowId('own', shopId, push.platformOrderId);
  await waitForOrderStatus(h.db, id, READY_STATUS);
  return { id, phone, detail };
}

async function rawPayloads(workflowId: string) {
  const history = await rawClient.workflow.getHandle(workflowId).fetchHistory();
  const start = history.events![0]!.workflowExecutionStartedEventAttributes!;
  return { history, input: start.input!.payloads! };
}

const wire = (p: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

describe('workflow histories hold ciphertext', () => {
  it('keeps the receiver out of every payload of an order history, naming the key that encrypted it', async () => {
    const { id, phone, detail } = await placeOrder();
    const { history, input } = await rawPayloads(id);
    const bytes = Buffer.from(historyToJSON(history));
    expect(bytes.includes(Buffer.from(phone))).toBe(false);
    expect(bytes.includes(Buffer.from(detail))).toBe(false);
    const meta = input[0]!.metadata!;
    expect(Buffer.from(meta.encoding!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(meta['encryption-key-id']!).toString()).toBe('test1');
    // The application, with the codec, reads the order as before.
    const state = await h.client.workflow.getHandle(id).describe();
    expect(state.status.name).toBe('RUNNING');
  });
});

describe('the codec endpoint for Temporal Web', () => {
  it('decodes a history payload for ops, and refuses other roles and anonymous callers', async () => {
    const { id, phone } = await placeOrder();
    const { input } = await rawPayloads(id);
    const body = JSON.stringify({ payloads: input.map(wire) });
    const res = await api.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: { ...ops, 'content-type': 'application/json', 'x-namespace': 'default' },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    const decoded = res.json().payloads[0];
    expect(Buffer.from(decoded.metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(Buffer.from(decoded.data, 'base64').toString()).toContain(phone);

    const warehouse = bearer(await apiKeyFor(h.db, ['warehouse']));
    const refused = await api.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: { ...warehouse, 'content-type': 'application/json' },
      payload: body,
    });
    expect(refused.statusCode).toBe(403);
    const anonymous = await api.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('encodes what it decodes back into a payload the workers read', async () => {
    const plain = {
      metadata: { encoding: Buffer.from('json/plain').toString('base64') },
      data: Buffer.from('"hi"').toString('base64'),
    };
    const headers = { ...ops, 'content-type': 'application/json' };
    const encoded = await api.inject({
      method: 'POST',
      url: '/codec/encode',
      headers,
      payload: { payloads: [plain] },
    });
    expect(encoded.statusCode).toBe(200);
    const sealed = encoded.json().payloads[0];
    expect(Buffer.from(sealed.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    const decoded = await api.inject({
      method: 'POST',
      url: '/codec/decode',
      headers,
      payload: encoded.json(),
    });
    expect(decoded.json().payloads[0]).toEqual(plain);
  });

  it('answers Temporal Web’s preflight from its origin only, and takes the codec cookie', async () => {
    const temporalWeb = new URL(h.config.TEMPORAL_UI_URL!).origin;
    const preflight = await api.inject({
      method: 'OPTIONS',
      url: '/codec/decode',
      headers: { origin: temporalWeb, 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(temporalWeb);
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');
    const elsewhere = await api.inject({
      method: 'OPTIONS',
      url: '/codec/decode',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();

    const session = await api.inject({ method: 'POST', url: '/codec/session', headers: ops });
    expect(session.statusCode).toBe(204);
    const cookie = String(session.headers['set-cookie']);
    expect(cookie).toMatch(/^erp_codec=.+; Path=\/codec; HttpOnly; SameSite=Lax/);
    const plain = { metadata: {}, data: '' };
    const withCookie = await api.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: { cookie: cookie.split(';')[0]!, origin: temporalWeb, 'content-type': 'application/json' },
      payload: { payloads: [plain] },
    });
    expect(withCookie.statusCode).toBe(200);
    expect(withCookie.headers['access-control-allow-origin']).toBe(temporalWeb);
    // The cookie opens the codec only, nothing else.
    const elsewhereRoute = await api.inject({
      method: 'GET',
      url: '/orders',
      headers: { cookie: cookie.split(';')[0]! },
    });
    expect(elsewhereRoute.statusCode).toBe(401);
  });
});
