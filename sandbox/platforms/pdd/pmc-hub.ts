/**
 * PDD's message service as far as delivery goes: every frame published for an app stays pending
 * until a client ACKs it. A frame goes to one of the app's open connections; one not ACKed within
 * `resendAfterMs` is sent again, and frames left pending while no client was connected (or whose
 * connection dropped) are sent when one connects — at-least-once, as PMC promises.
 */
export interface PmcPeer {
  send(frame: string): void;
}

interface Pending {
  frame: string;
  peer: PmcPeer | undefined;
  sentAt: number;
  deliveries: number;
}

interface AppState {
  pending: Map<string, Pending>;
  peers: PmcPeer[];
  turn: number;
}

export interface PmcHubOptions {
  /** Resend a frame not ACKed for this long (default 30 s). */
  resendAfterMs?: number;
  /** A dev stack may run for days with nobody connected; the oldest frames go first. */
  maxPending?: number;
  now?: () => number;
}

export class PmcHub {
  private readonly apps = new Map<string, AppState>();
  private readonly deliveryCounts = new Map<string, number>();
  readonly resendAfterMs: number;
  private readonly maxPending: number;
  private readonly now: () => number;

  constructor(options: PmcHubOptions = {}) {
    this.resendAfterMs = options.resendAfterMs ?? 30_000;
    this.maxPending = options.maxPending ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  publish(clientId: string, id: string, frame: string): void {
    const app = this.app(clientId);
    app.pending.set(id, { frame, peer: undefined, sentAt: 0, deliveries: 0 });
    if (app.pending.size > this.maxPending) {
      const oldest = app.pending.keys().next().value;
      if (oldest !== undefined) app.pending.delete(oldest);
    }
    this.send(app, id);
  }

  /** True when the frame was pending (a repeated ACK is harmless). */
  acknowledge(clientId: string, id: string): boolean {
    return this.app(clientId).pending.delete(id);
  }

  connect(clientId: string, peer: PmcPeer): void {
    const app = this.app(clientId);
    app.peers.push(peer);
    // Whatever no live connection holds goes to the newcomer: the redelivery on reconnect.
    for (const [id, pending] of app.pending) {
      if (!pending.peer || !app.peers.includes(pending.peer)) this.send(app, id, peer);
    }
  }

  disconnect(clientId: string, peer: PmcPeer): void {
    const app = this.app(clientId);
    app.peers = app.peers.filter((p) => p !== peer);
    for (const [id, pending] of app.pending) {
      if (pending.peer !== peer) continue;
      pending.peer = undefined;
      if (app.peers.length > 0) this.send(app, id);
    }
  }

  /** Sends again what was not ACKed in time; returns how many frames went out. */
  resendOverdue(): number {
    let sent = 0;
    const due = this.now() - this.resendAfterMs;
    for (const app of this.apps.values()) {
      if (app.peers.length === 0) continue;
      for (const [id, pending] of app.pending) {
        if (pending.sentAt <= due && this.send(app, id)) sent += 1;
      }
    }
    return sent;
  }

  /** Frames not ACKed yet (of one app, or of all). */
  pending(clientId?: string): number {
    if (clientId) return this.apps.get(clientId)?.pending.size ?? 0;
    let n = 0;
    for (const app of this.apps.values()) n += app.pending.size;
    return n;
  }

  /** How many times a frame was sent (redeliveries included). */
  deliveries(id: string): number {
    return this.deliveryCounts.get(id) ?? 0;
  }

  connections(clientId: string): number {
    return this.apps.get(clientId)?.peers.length ?? 0;
  }

  private app(clientId: string): AppState {
    let app = this.apps.get(clientId);
    if (!app) {
      app = { pending: new Map(), peers: [], turn: 0 };
      this.apps.set(clientId, app);
    }
    return app;
  }

  private send(app: AppState, id: string, to?: PmcPeer): boolean {
    const pending = app.pending.get(id);
    if (!pending) return false;
    const peer = to ?? app.peers[app.turn++ % Math.max(app.peers.length, 1)];
    if (!peer) return false;
    pending.peer = peer;
    pending.sentAt = this.now();
    pending.deliveries += 1;
    this.deliveryCounts.set(id, pending.deliveries);
    try {
      peer.send(pending.frame);
    } catch {
      // A socket closing under us: the frame stays pending and goes out again.
      pending.peer = undefined;
    }
    return true;
  }
}
