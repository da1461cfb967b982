import {
  createHash,
  randomBytes,
  scrypt as scryptCallback,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

/**
 * Credentials. API keys and session tokens are `<kind>_<id>_<secret>`: the id finds the row by
 * primary key, the whole token is compared as a SHA-256 hash. A 256-bit random secret cannot be
 * guessed or brute-forced from its hash, so a slow hash would only add latency to every request
 * (the same reasoning as GitHub's and Stripe's keys); passwords, which people choose, get scrypt.
 */

export type TokenKind = 'erp' | 'ses';

const TOKEN_PATTERN = /^(erp|ses)_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export interface IssuedToken {
  kind: TokenKind;
  id: string;
  token: string;
  secretHash: string;
}

export function issueToken(kind: TokenKind): IssuedToken {
  const id = [...randomBytes(12)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
  const token = `${kind}_${id}_${randomBytes(32).toString('base64url')}`;
  return { kind, id, token, secretHash: hashToken(token) };
}

export function parseToken(token: string): { kind: TokenKind; id: string } | undefined {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return undefined;
  return { kind: match[1] as TokenKind, id: match[2]! };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 };

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, keyLength, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64), so the cost can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keyLength } = SCRYPT;
  const key = await scrypt(password, salt, keyLength, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * Number(n) * Number(r),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let unknownUserHash: Promise<string> | undefined;

/** A hash of nothing anybody knows: checked when the user does not exist, so timing tells nothing. */
export function hashForUnknownUser(): Promise<string> {
  unknownUserHash ??= hashPassword(randomBytes(16).toString('hex'));
  return unknownUserHash;
}
