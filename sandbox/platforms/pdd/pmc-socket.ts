import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { parse as parseLossless } from 'lossless-json';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FaultPlan } from '../../kit/rate-limit.js';
import type { PmcHub } from './pmc-hub.js';
import { verifyPmcPath } from './verify.js';

export interface PmcEndpointOptions {
  hub: PmcHub;
  clientId: string;
  clientSecret: string;
  now: () => Date;
  /** The simulator's route prefix (`/pdd` in the sandbox): the endpoint is `{prefix}/message/…`. */
  prefix: string;
  /** Planned failures of the handshake, under the operation name `pmc.connect`. */
  faults?: FaultPlan;
}

/**
 * The PMC WebSocket endpoint on the simulator's own HTTP server: the upgrade is refused (401, before
 * any WebSocket exists) unless the path is signed the way PDD checks it (`verifyPmcPath`); after
 * that the client receives its app's frames, ACKs them, and gets a heartbeat back for each of its
 * own. Returns a function that closes every connection.
 */
export function attachPmcEndpoint(app: FastifyInstance, options: PmcEndpointOptions): () => void {
  const { hub, clientId, clientSecret, now } = options;
  const prefix = options.prefix.replace(/\/+$/, '');
  const wss = new WebSocketServer({ noServer: true });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0]!;
    if (!path.startsWith(`${prefix}/message/`)) return;
    const fault = options.faults?.next('pmc.connect');
    if (fault) {
      socket.end(`HTTP/1.1 ${fault.status} Simulated\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    const verdict = verifyPmcPath(path.slice(prefix.length), { [clientId]: clientSecret }, now());
    if (!verdict.ok) {
      const body = JSON.stringify({
        error_code: 20004,
        error_msg: `PMC connection refused: ${verdict.reason}`,
      });
      socket.end(
        `HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => serve(ws));
  };

  const serve = (ws: WebSocket) => {
    const peer = { send: (frame: string) => ws.send(frame) };
    ws.on('message', (data) => {
      let frame: Record<string, unknown>;
      try {
        frame = parseLossless(String(data), null, (digits) => digits) as Record<string, unknown>;
      } catch {
        return;
      }
      if (frame?.['commandType'] === 'Ack' && frame['id'] !== undefined) {
        hub.acknowledge(clientId, String(frame['id']));
      } else if (frame?.['commandType'] === 'HeartBeat') {
        const at = now().getTime();
        ws.send(`{"commandType":"HeartBeat","time":${at},"sendTime":${at}}`);
      }
    });
    ws.on('close', () => hub.disconnect(clientId, peer));
    ws.on('error', () => ws.terminate());
    hub.connect(clientId, peer);
  };

  app.server.on('upgrade', onUpgrade);
  return () => {
    app.server.off('upgrade', onUpgrade);
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  };
}
