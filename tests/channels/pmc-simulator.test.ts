import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { pddWssPath } from '../../integrations/platforms/pdd/sign.js';
import { parsePmcFrame, pmcAckFrame } from '../../integrations/platforms/pdd/webhook.js';
import { placePaidOrders, requestRefund, startChannelSims, type ChannelSims } from './support.js';

let sims: ChannelSims;
let wsBase: string;

beforeAll(async () => {
  sims = await startChannelSims({ pmcResendMs: 1_000 });
  wsBase = sims.pdd.baseUrl.replace(/^http/, 'ws');
});
afterAll(async () => {
  await sims.stop();
});

/** A PMC client as a test drives it: every frame it receives, in order. */
async function connect(path: string): Promise<{ ws: WebSocket; frames: string[] }> {
  const ws = new WebSocket(`${wsBase}${path}`);
  const frames: string[] = [];
  ws.on('message', (data) => frames.push(String(data)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, frames };
}

async function refusal(path: string): Promise<number> {
  const ws = new WebSocket(`${wsBase}${path}`);
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once('open', () => reject(new Error('the simulator accepted the connection')));
    ws.on('error', () => {});
  });
}

async function close(ws: WebSocket) {
  if (ws.readyState === WebSocket.CLOSED) return;
  await new Promise((resolve) => {
    ws.once('close', resolve);
    ws.close();
  });
}

const signedPath = (secret = sims.pdd.clientSecret, at = Date.now()) =>
  pddWssPath(sims.pdd.clientId, at, secret);

describe('the PDD simulator’s PMC WebSocket', () => {
  it('refuses a forged, stale or unknown-app path before any WebSocket opens', async () => {
    expect(await refusal(signedPath('not-the-secret'))).toBe(401);
    expect(await refusal(signedPath(sims.pdd.clientSecret, Date.now() - 11 * 60_000))).toBe(401);
    expect(await refusal(pddWssPath('someone-else', Date.now(), sims.pdd.clientSecret))).toBe(401);
    const good = signedPath();
    expect(await refusal(good.replace(/\/[^/]+$/, '/T0RrNE1UZ3dNelF5TmpWbVlqZGpZZzA9'))).toBe(401);
  });

  it('pushes a frame for each order change, keeps it until ACKed, and answers heartbeats', async () => {
    const { ws, frames } = await connect(signedPath());
    const [order] = placePaidOrders(sims.pdd.store, 'pdd', sims.pdd.mallId);
    await expect.poll(() => frames.length).toBe(1);
    const first = parsePmcFrame(frames[0]!);
    expect(first.topic).toBe('pdd_trade_TradeConfirmed');
    expect(first.mallId).toBe(sims.pdd.mallId);
    expect(first.events).toEqual([{ kind: 'order_changed', platformOrderId: order!.id }]);
    // The 64-bit frame id survives the round trip digit for digit.
    const id = /"id":(\d+)/.exec(frames[0]!)![1]!;
    expect(Number.isSafeInteger(Number(id))).toBe(false);
    expect(first.ack).toContain(`"id":${id}`);

    ws.send(first.ack!);
    await expect.poll(() => sims.pdd.pmc.pending(sims.pdd.clientId)).toBe(0);

    requestRefund(sims.pdd.store, order!);
    await expect.poll(() => frames.length).toBe(2);
    const refund = parsePmcFrame(frames[1]!);
    expect(refund.topic).toBe('pdd_refund_RefundCreated');
    expect(refund.events[0]).toMatchObject({ kind: 'refund_changed', platformOrderId: order!.id });
    ws.send(refund.ack!);

    ws.send(`{"commandType":"HeartBeat","time":${Date.now()}}`);
    await expect.poll(() => frames.some((f) => f.includes('"commandType":"HeartBeat"'))).toBe(true);
    await close(ws);
  });

  it('resends a frame not ACKed in time, and on the next connection after a drop', async () => {
    const { ws, frames } = await connect(signedPath());
    const [order] = placePaidOrders(sims.pdd.store, 'pdd', sims.pdd.mallId);
    await expect.poll(() => frames.length).toBe(1);
    const id = /"id":(\d+)/.exec(frames[0]!)![1]!;
    // Not ACKed: the same frame again after the resend timeout.
    await expect.poll(() => frames.length).toBe(2);
    expect(frames[1]).toBe(frames[0]);
    await close(ws);

    const next = await connect(signedPath());
    await expect.poll(() => next.frames.length).toBeGreaterThanOrEqual(1);
    const again = parsePmcFrame(next.frames[0]!);
    expect(again.events).toEqual([{ kind: 'order_changed', platformOrderId: order!.id }]);
    expect(sims.pdd.pmc.deliveries(id)).toBeGreaterThanOrEqual(3);
    next.ws.send(
      pmcAckFrame({ id, sendTime: '0', type: again.topic!, mallId: again.mallId!, now: new Date() }),
    );
    await expect.poll(() => sims.pdd.pmc.pending(sims.pdd.clientId)).toBe(0);
    await close(next.ws);
  });

  it('keeps frames while nobody is connected and delivers them to the next client', async () => {
    const orders = placePaidOrders(sims.pdd.store, 'pdd', sims.pdd.mallId, 3);
    expect(sims.pdd.pmc.pending(sims.pdd.clientId)).toBe(3);
    const { ws, frames } = await connect(signedPath());
    await expect.poll(() => frames.length).toBe(3);
    const named = frames.map((f) => parsePmcFrame(f).events[0]);
    expect(named.map((e) => (e?.kind === 'order_changed' ? e.platformOrderId : '')).sort()).toEqual(
      orders.map((o) => o.id).sort(),
    );
    for (const frame of frames) ws.send(parsePmcFrame(frame).ack!);
    await expect.poll(() => sims.pdd.pmc.pending(sims.pdd.clientId)).toBe(0);
    await close(ws);
  });
});
