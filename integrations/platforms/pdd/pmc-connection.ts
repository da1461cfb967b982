import WebSocket from 'ws';
import { PlatformError } from '../errors.js';
import { parsePmcFrame, type PmcFrameResult } from './webhook.js';

export interface PmcConnectionOptions {
  /** A freshly signed URL for each attempt: the signature carries a timestamp. */
  url(): string;
  heartbeatMs: number;
  /**
   * Handles the message frames received so far on one socket; returns the ACK frames to send
   * back on it (only for frames that were handled).
   */
  handle(frames: PmcFrameResult[]): Promise<string[]>;
  /** The socket is open: failures are over. */
  connected(): Promise<void>;
  /** An attempt failed (refused, unreachable, dropped at once); returns how long to wait. */
  failed(error: Error): Promise<number>;
  /** Pause before reconnecting a socket that was up and then closed. */
  reconnectMs: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  now?: () => Date;
}

const MAX_FRAMES_PER_BATCH = 200;
/** A socket closed sooner than this after opening counts as a failed attempt. */
const SHORT_LIVED_MS = 5_000;

/**
 * One PMC WebSocket that stays up: it connects with a signed path, sends heartbeats and replaces a
 * connection that falls silent for three of them, reconnects with back-off when refused or
 * dropped, and feeds received frames to `handle` in batches, sending back the ACKs it returns on
 * the socket the frames came from. A frame not ACKed (handling failed, socket lost first) is
 * PDD's to deliver again.
 */
export class PmcConnection {
  private socket: WebSocket | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private handling: Promise<void> = Promise.resolve();
  private readonly now: () => Date;

  constructor(private readonly options: PmcConnectionOptions) {
    this.now = options.now ?? (() => new Date());
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Closes the socket after the frames in hand are handled (their ACKs still go out). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.handling;
    this.socket?.close(1000, 'client stopping');
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const attempt = await this.connectOnce();
      if (this.stopped) break;
      const wait =
        attempt.openedFor !== undefined && attempt.openedFor >= SHORT_LIVED_MS
          ? this.options.reconnectMs
          : await this.options
              .failed(attempt.error ?? new Error('the connection closed at once'))
              .catch((err: Error) => {
                this.options.log.warn({ err }, 'PMC: recording a failed connection failed');
                return this.options.reconnectMs;
              });
      await this.sleep(wait);
    }
  }

  private connectOnce(): Promise<{ openedFor?: number; error?: Error }> {
    return new Promise((resolve) => {
      let openedAt: number | undefined;
      let lastFrameAt = Date.now();
      let error: Error | undefined;
      let heartbeat: NodeJS.Timeout | undefined;
      const queue: PmcFrameResult[] = [];
      let draining = false;

      const socket = new WebSocket(this.options.url(), { handshakeTimeout: 15_000 });
      this.socket = socket;

      const drain = async () => {
        if (draining) return;
        draining = true;
        try {
          while (queue.length > 0) {
            const batch = queue.splice(0, MAX_FRAMES_PER_BATCH);
            const acks = await this.options.handle(batch);
            // A socket lost meanwhile takes these ACKs with it: PDD sends the frames again.
            if (socket.readyState === WebSocket.OPEN) for (const ack of acks) socket.send(ack);
          }
        } catch (err) {
          this.options.log.warn({ err }, 'PMC: handling frames failed; they stay unacknowledged');
        } finally {
          draining = false;
        }
      };

      socket.on('open', () => {
        openedAt = Date.now();
        lastFrameAt = openedAt;
        this.options.log.info({}, 'PMC connected');
        this.options
          .connected()
          .catch((err: Error) => this.options.log.warn({ err }, 'PMC: status update failed'));
        heartbeat = setInterval(() => {
          if (Date.now() - lastFrameAt > 3 * this.options.heartbeatMs) {
            this.options.log.warn({}, 'PMC: no frame for three heartbeats; reconnecting');
            socket.terminate();
            return;
          }
          socket.send(`{"commandType":"HeartBeat","time":${this.now().getTime()}}`);
        }, this.options.heartbeatMs);
      });
      socket.on('message', (data) => {
        lastFrameAt = Date.now();
        const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString('utf8');
        let frame: PmcFrameResult;
        try {
          frame = parsePmcFrame(text, this.now());
        } catch (err) {
          const level = err instanceof PlatformError ? 'PMC reported a failure' : 'PMC frame unreadable';
          this.options.log.warn({ err, frame: text.slice(0, 500) }, level);
          return;
        }
        if (frame.commandType !== 'Common') return;
        queue.push(frame);
        this.handling = this.handling.then(drain);
      });
      socket.on('unexpected-response', (_request, response) => {
        error = new Error(`PMC refused the connection: HTTP ${response.statusCode}`);
        response.resume();
        socket.terminate();
      });
      socket.on('error', (err) => {
        error ??= err;
      });
      socket.on('close', () => {
        if (heartbeat) clearInterval(heartbeat);
        if (this.socket === socket) this.socket = undefined;
        void this.handling.then(() =>
          resolve({
            ...(openedAt !== undefined ? { openedFor: Date.now() - openedAt } : {}),
            ...(error ? { error } : {}),
          }),
        );
      });
    });
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
