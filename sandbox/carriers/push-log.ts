/**
 * Every push a tracking simulator sent and what the receiver answered, so tests can wait for a
 * delivery instead of sleeping.
 */
export interface PushRecord {
  service: 'kuaidi100' | 'kdniao' | 'sf';
  url: string;
  trackingNumber: string;
  /** The form fields as posted (form pushes). */
  fields: Record<string, string>;
  /** The JSON body as posted (SF route pushes). */
  body?: string;
  /** 1 for the first delivery, then each re-push of the same routes. */
  attempt?: number;
  status?: number;
  reply?: string;
  error?: string;
  /** The receiver acknowledged the push in the service's expected way. */
  acknowledged: boolean;
}

export class PushLog {
  readonly records: PushRecord[] = [];
  private readonly waiters = new Set<() => void>();

  add(record: PushRecord): void {
    this.records.push(record);
    for (const wake of this.waiters) wake();
  }

  /** Resolves with the first record matching `predicate`, waiting up to `timeoutMs`. */
  waitFor(predicate: (record: PushRecord) => boolean, timeoutMs = 5_000): Promise<PushRecord> {
    const found = this.records.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.records.find(predicate);
        if (!hit) return;
        cleanup();
        resolve(hit);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching push within ${timeoutMs} ms (${this.records.length} pushes sent)`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }
}

/** Posts a form push and records the outcome; never throws (a failed push is part of the record). */
export async function sendFormPush(
  log: PushLog,
  record: Omit<PushRecord, 'acknowledged' | 'status' | 'reply' | 'error'>,
  acknowledged: (reply: string) => boolean,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  try {
    const response = await fetchImpl(record.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: new URLSearchParams(record.fields).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    const reply = await response.text();
    log.add({ ...record, status: response.status, reply, acknowledged: response.ok && acknowledged(reply) });
  } catch (err) {
    log.add({ ...record, error: (err as Error).message, acknowledged: false });
  }
}

/**
 * Posts a JSON push and records the outcome, pushing the same body again after `retryDelayMs`
 * while it is not acknowledged, up to `attempts` deliveries (SF re-pushes routes answered 1000).
 */
export async function sendJsonPush(
  log: PushLog,
  record: Omit<PushRecord, 'acknowledged' | 'status' | 'reply' | 'error' | 'fields' | 'attempt'> & {
    body: string;
  },
  acknowledged: (reply: string) => boolean,
  options: { fetch?: typeof fetch; attempts?: number; retryDelayMs?: number } = {},
): Promise<void> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let ok = false;
    try {
      const response = await (options.fetch ?? fetch)(record.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=UTF-8' },
        body: record.body,
        signal: AbortSignal.timeout(10_000),
      });
      const reply = await response.text();
      ok = response.ok && acknowledged(reply);
      log.add({ ...record, fields: {}, attempt, status: response.status, reply, acknowledged: ok });
    } catch (err) {
      log.add({ ...record, fields: {}, attempt, error: (err as Error).message, acknowledged: false });
    }
    if (ok) return;
    if (attempt < attempts)
      await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 1_000));
  }
}
