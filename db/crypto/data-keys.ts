import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/index.js';

/**
 * The keys that protect buyers' personal data (receivers) wherever the ERP keeps it: in Temporal
 * histories (the payload codec) and in PostgreSQL (field-level encryption). AES-256-GCM with a
 * random 96-bit IV per value; every ciphertext names the id of the key that wrote it, so keys
 * rotate by putting a new key first in DATA_KEYS and keeping the old ones listed until nothing
 * written with them is left.
 *
 * DATA_KEYS is `id:key,id:key,…` (key: 32 bytes, base64 or 64 hex digits); the first encrypts.
 */

export type DataKeysConfig = Pick<Config, 'DATA_KEYS' | 'DATA_LOOKUP_KEY' | 'DATA_DIR' | 'NODE_ENV'>;

export class DataKeyError extends Error {
  override name = 'DataKeyError';
}

export interface DataKeyring {
  /** The id of the key new values are encrypted with. */
  activeId: string;
  keys: ReadonlyMap<string, Buffer>;
  /** The HMAC key of lookup hashes (kept apart from the rotating keys: a hash must stay findable). */
  lookupKey: Buffer;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export function parseKey(text: string, name: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new DataKeyError(`${name} must decode to exactly 32 bytes`);
  return key;
}

export function parseDataKeys(text: string, lookupKey: string): DataKeyring {
  const keys = new Map<string, Buffer>();
  let activeId: string | undefined;
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    const id = entry.slice(0, colon);
    if (colon < 1 || !KEY_ID.test(id)) {
      throw new DataKeyError('DATA_KEYS entries are id:key (id: letters, digits, _ or -)');
    }
    if (keys.has(id)) throw new DataKeyError(`DATA_KEYS lists the key id "${id}" twice`);
    keys.set(id, parseKey(entry.slice(colon + 1), `DATA_KEYS key "${id}"`));
    activeId ??= id;
  }
  if (!activeId) throw new DataKeyError('DATA_KEYS lists no key');
  return { activeId, keys, lookupKey: parseKey(lookupKey, 'DATA_LOOKUP_KEY') };
}

/** A new keyring's text, as `npm run dev` writes it and as an operator would set it. */
export function generateDataKeys(): { keys: string; lookupKey: string } {
  const id = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
  return {
    keys: `${id}:${randomBytes(32).toString('base64')}`,
    lookupKey: randomBytes(32).toString('base64'),
  };
}

/**
 * The configured keys, or (outside production) the ones in DATA_DIR/data.keys, created once with
 * owner-only permissions so `npm run dev` needs no setting. Production without DATA_KEYS and
 * DATA_LOOKUP_KEY is refused: a key made up on one machine would leave every other replica unable
 * to read what this one wrote.
 */
export function loadDataKeys(config: DataKeysConfig): DataKeyring {
  if (config.DATA_KEYS && config.DATA_LOOKUP_KEY)
    return parseDataKeys(config.DATA_KEYS, config.DATA_LOOKUP_KEY);
  if (config.DATA_KEYS || config.DATA_LOOKUP_KEY || config.NODE_ENV === 'production') {
    throw new DataKeyError('DATA_KEYS and DATA_LOOKUP_KEY must both be set (see docs/data-protection.md)');
  }
  const file = path.resolve(config.DATA_DIR, 'data.keys');
  mkdirSync(path.dirname(file), { recursive: true });
  const fresh = generateDataKeys();
  try {
    writeFileSync(file, `DATA_KEYS=${fresh.keys}\nDATA_LOOKUP_KEY=${fresh.lookupKey}\n`, {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const vars = Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string])
      .filter(([k, v]) => k && v),
  );
  if (!vars.DATA_KEYS || !vars.DATA_LOOKUP_KEY) throw new DataKeyError(`${file} is not a keys file we wrote`);
  return parseDataKeys(vars.DATA_KEYS, vars.DATA_LOOKUP_KEY);
}

const keyrings = new Map<string, DataKeyring>();

/** One keyring per configuration, shared by everything in a process. */
export function dataKeyring(config: DataKeysConfig): DataKeyring {
  const id = config.DATA_KEYS
    ? `${config.DATA_KEYS}|${config.DATA_LOOKUP_KEY}`
    : `file:${path.resolve(config.DATA_DIR)}`;
  let ring = keyrings.get(id);
  if (!ring) {
    ring = loadDataKeys(config);
    keyrings.set(id, ring);
  }
  return ring;
}

export interface Sealed {
  keyId: string;
  /** iv (12) ‖ tag (16) ‖ ciphertext. */
  bytes: Buffer;
}

/** AES-256-GCM under the active key; `aad` binds the value to where it belongs (a row, a field). */
export function seal(ring: DataKeyring, plaintext: Buffer, aad?: string): Sealed {
  const key = ring.keys.get(ring.activeId)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { keyId: ring.activeId, bytes: Buffer.concat([iv, cipher.getAuthTag(), body]) };
}

export function open(ring: DataKeyring, sealed: Sealed, aad?: string): Buffer {
  const key = ring.keys.get(sealed.keyId);
  if (!key) throw new DataKeyError(`data key "${sealed.keyId}" is not in DATA_KEYS (removed too early?)`);
  if (sealed.bytes.length < 28) throw new DataKeyError('the ciphertext is too short');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.bytes.subarray(0, 12));
    if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(sealed.bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.bytes.subarray(28)), decipher.final()]);
  } catch {
    throw new DataKeyError(`a value does not decrypt with data key "${sealed.keyId}" (altered, or moved)`);
  }
}

const PREFIX = 'enc1';

/** A sealed text as one string, `enc1.<keyId>.<base64url>`, for text and JSON columns. */
export function sealText(ring: DataKeyring, text: string, aad?: string): string {
  const { keyId, bytes } = seal(ring, Buffer.from(text, 'utf8'), aad);
  return `${PREFIX}.${keyId}.${bytes.toString('base64url')}`;
}

export function isSealedText(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(`${PREFIX}.`);
}

export function openText(ring: DataKeyring, value: string, aad?: string): string {
  const [prefix, keyId, body] = value.split('.');
  if (prefix !== PREFIX || !keyId || body === undefined) throw new DataKeyError('not a sealed value');
  return open(ring, { keyId, bytes: Buffer.from(body, 'base64url') }, aad).toString('utf8');
}

/**
 * A keyed hash for finding rows by an encrypted value (a phone's last four digits): equal inputs
 * give equal hashes, and without DATA_LOOKUP_KEY nobody can test guesses against the table.
 */
export function lookupHash(ring: DataKeyring, purpose: string, value: string): string {
  return createHmac('sha256', ring.lookupKey).update(`${purpose}\0${value}`, 'utf8').digest('base64url');
}
