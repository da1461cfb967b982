import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import type { Config } from '../../config/index.js';
import { dataKeyring, type DataKeysConfig } from '../../db/crypto/data-keys.js';
import type { ActorClaims, ActorVerdict } from '../../domain/actor-assertion.js';

/**
 * Signing and checking actor assertions (domain/actor-assertion.ts): the API signs, the worker
 * checks while decoding an Update's payload and leaves its verdict for the Update's validator.
 *
 * A token is `aa1.<claims as base64url JSON>.<HMAC-SHA256 of "aa1.<claims>" as base64url>`.
 */

const PREFIX = 'aa1';

export type ActorKeyConfig = DataKeysConfig & Pick<Config, 'ACTOR_ASSERTION_KEY'>;

/**
 * The server key: ACTOR_ASSERTION_KEY, or — unset — derived (HKDF-SHA256) from DATA_LOOKUP_KEY,
 * which every API and worker of a deployment already shares and nobody else holds.
 */
export function actorAssertionKey(config: ActorKeyConfig): Buffer {
  if (config.ACTOR_ASSERTION_KEY) {
    const raw = config.ACTOR_ASSERTION_KEY;
    return Buffer.from(raw, /^[0-9a-fA-F]{64}$/.test(raw) ? 'hex' : 'base64');
  }
  const lookup = dataKeyring(config).lookupKey;
  return Buffer.from(hkdfSync('sha256', lookup, Buffer.alloc(0), 'order-erp actor assertion v1', 32));
}

const mac = (key: Buffer, body: string) => createHmac('sha256', key).update(`${PREFIX}.${body}`).digest();

export function signActorAssertion(key: Buffer, claims: ActorClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${PREFIX}.${body}.${mac(key, body).toString('base64url')}`;
}

export function verifyActorAssertion(key: Buffer, token: string): ActorVerdict {
  const [prefix, body, signature, ...rest] = token.split('.');
  if (prefix !== PREFIX || !body || !signature || rest.length) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'forged' };
  try {
    const c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as ActorClaims;
    const claims: ActorClaims = {
      sub: String(c.sub),
      roles: Array.isArray(c.roles) ? c.roles.map(String) : [],
      shops: Array.isArray(c.shops) ? c.shops.map(String) : null,
      wf: String(c.wf),
      upd: String(c.upd),
      exp: Number(c.exp),
    };
    return { ok: true, claims };
  } catch {
    return { ok: false, reason: 'malformed' };
  }
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * The worker's check of actor assertions, as the last step of decoding a payload (after
 * decryption). A JSON object with an `actor` object gets `actor.verdict` — the signature checked
 * with the server key — and any verdict the sender put there is replaced, so only the worker
 * vouches. Payloads that cannot hold an actor's assertion or verdict pass untouched: a key written
 * with escapes (`\u0076erdict`) has a `\u` in its text and is looked at too.
 *
 * The verdict depends on the token and the key only, so a replay decodes to the same value; the
 * expiry is the validator's to check, at workflow time (validators do not run on replay).
 */
export class ActorAssertionCodec implements PayloadCodec {
  constructor(private readonly key: Buffer) {}

  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(payloads);
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(payloads.map((payload) => this.check(payload)));
  }

  private check(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    if (!encoding || !payload.data || decoder.decode(encoding) !== 'json/plain') return payload;
    const text = decoder.decode(payload.data);
    if (!text.includes('"assertion"') && !text.includes('"verdict"') && !text.includes('\\u')) return payload;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return payload;
    }
    const actor = (value as { actor?: unknown } | null)?.actor;
    if (typeof value !== 'object' || value === null || typeof actor !== 'object' || actor === null)
      return payload;
    const a = actor as { assertion?: unknown; verdict?: unknown };
    delete a.verdict;
    if (typeof a.assertion === 'string') a.verdict = verifyActorAssertion(this.key, a.assertion);
    return { ...payload, data: encoder.encode(JSON.stringify(value)) };
  }
}
