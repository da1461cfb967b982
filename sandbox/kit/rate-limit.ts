/**
 * Token buckets like the platforms' own per-shop / per-app limits. `take` answers how long the
 * caller must wait (0 = allowed), which simulators turn into the platform's own limit error or a
 * 429 with Retry-After.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(
    /** Requests allowed per `windowMs`. */
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): number {
    const now = this.now();
    const rate = this.limit / this.windowMs;
    const bucket = this.buckets.get(key) ?? { tokens: this.limit, updatedAt: now };
    bucket.tokens = Math.min(this.limit, bucket.tokens + (now - bucket.updatedAt) * rate);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / rate);
  }
}

/**
 * Scripted faults for tests: the next N calls to an operation fail with a status (429/5xx), so
 * adapters and workflows can be shown to recover with nothing lost.
 */
export class FaultPlan {
  private readonly planned = new Map<string, Array<{ status: number; retryAfterSeconds?: number }>>();

  /** Makes the next `times` calls of `operation` ('*' = any) answer `status`. */
  fail(operation: string, status: number, times = 1, retryAfterSeconds?: number): void {
    const queue = this.planned.get(operation) ?? [];
    for (let i = 0; i < times; i++)
      queue.push({ status, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) });
    this.planned.set(operation, queue);
  }

  private readonly lost = new Map<string, number>();

  /**
   * The next `times` calls of `operation` are carried out, but their answer is lost on the way back
   * (the caller sees a 502): a retry must find what the first call did.
   */
  loseAnswer(operation: string, times = 1): void {
    this.lost.set(operation, (this.lost.get(operation) ?? 0) + times);
  }

  /** Whether this call's answer is to be lost (counts it down). */
  answerLost(operation: string): boolean {
    const left = this.lost.get(operation) ?? 0;
    if (left <= 0) return false;
    this.lost.set(operation, left - 1);
    return true;
  }

  next(operation: string): { status: number; retryAfterSeconds?: number } | undefined {
    return this.planned.get(operation)?.shift() ?? this.planned.get('*')?.shift();
  }

  clear(): void {
    this.planned.clear();
    this.lost.clear();
  }
}
