import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../../config/index.js';
import type { ShopCredentials, TokenSet } from '../../integrations/platforms/types.js';

/**
 * Shop credentials at rest: AES-256-GCM with a random 96-bit IV per write, authenticated with the
 * shop id as associated data so a ciphertext copied onto another shop's row does not decrypt.
 * Stored as `v1.<iv>.<tag>.<ciphertext>` (base64url parts).
 */
export const ShopCredentialsSchema = z.object({
  appKey: z.string().max(512).default(''),
  appSecret: z.string().max(512).default(''),
  accessToken: z.string().max(4096).optional(),
  refreshToken: z.string().max(4096).optional(),
  accessTokenExpiresAt: z.iso.datetime({ offset: true }).optional(),
  /** Signs the platform's webhooks where that is not the app secret (own store, WooCommerce). */
  webhookSecret: z.string().max(512).optional(),
  extra: z.record(z.string(), z.string().max(2048)).optional(),
});
export type StoredCredentials = z.infer<typeof ShopCredentialsSchema>;

const VERSION = 'v1';

export interface CredentialsCipher {
  encrypt(shopId: string, credentials: StoredCredentials): string;
  decrypt(shopId: string, blob: string): StoredCredentials;
}

export class CredentialsKeyError extends Error {}

/** 32 bytes from hex (64 digits) or base64. */
export function parseCredentialsKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new CredentialsKeyError('CREDENTIALS_KEY must decode to exactly 32 bytes');
  return key;
}

/**
 * The configured key, or (outside production) the key in DATA_DIR/credentials.key, created once
 * with owner-only permissions. Production without CREDENTIALS_KEY is refused: a key generated on
 * one machine would leave every other replica unable to read the shops' credentials.
 */
export function loadCredentialsKey(
  config: Pick<Config, 'CREDENTIALS_KEY' | 'DATA_DIR' | 'NODE_ENV'>,
): Buffer {
  if (config.CREDENTIALS_KEY) return parseCredentialsKey(config.CREDENTIALS_KEY);
  if (config.NODE_ENV === 'production') {
    throw new CredentialsKeyError('CREDENTIALS_KEY must be set in production (32 bytes, base64 or hex)');
  }
  const file = path.resolve(config.DATA_DIR, 'credentials.key');
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return parseCredentialsKey(readFileSync(file, 'utf8'));
}

const ciphers = new Map<string, CredentialsCipher>();

/** One cipher per key, shared by the API and the activities of a process. */
export function credentialsCipher(config: Pick<Config, 'CREDENTIALS_KEY' | 'DATA_DIR' | 'NODE_ENV'>) {
  const id = config.CREDENTIALS_KEY ?? `file:${path.resolve(config.DATA_DIR)}`;
  let cipher = ciphers.get(id);
  if (!cipher) {
    cipher = createCredentialsCipher(loadCredentialsKey(config));
    ciphers.set(id, cipher);
  }
  return cipher;
}

export function createCredentialsCipher(key: Buffer): CredentialsCipher {
  if (key.length !== 32) throw new CredentialsKeyError('the credentials key must be 32 bytes');
  return {
    encrypt(shopId, credentials) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(shopId, 'utf8'));
      const body = Buffer.concat([
        cipher.update(JSON.stringify(ShopCredentialsSchema.parse(credentials)), 'utf8'),
        cipher.final(),
      ]);
      return [VERSION, iv, cipher.getAuthTag(), body].map(part).join('.');
    },
    decrypt(shopId, blob) {
      const [version, iv, tag, body] = blob.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined) {
        throw new CredentialsKeyError(`credentials of shop ${shopId} are not in a format we wrote`);
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(shopId, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        const text = Buffer.concat([
          decipher.update(Buffer.from(body, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
        return ShopCredentialsSchema.parse(JSON.parse(text));
      } catch {
        throw new CredentialsKeyError(
          `credentials of shop ${shopId} do not decrypt with this CREDENTIALS_KEY (wrong key, or the row was altered)`,
        );
      }
    },
  };
}

function part(value: string | Buffer): string {
  return typeof value === 'string' ? value : value.toString('base64url');
}

/** What adapters take. */
export function toShopCredentials(stored: StoredCredentials): ShopCredentials {
  return {
    appKey: stored.appKey,
    appSecret: stored.appSecret,
    ...(stored.accessToken ? { accessToken: stored.accessToken } : {}),
    ...(stored.refreshToken ? { refreshToken: stored.refreshToken } : {}),
    ...(stored.accessTokenExpiresAt ? { accessTokenExpiresAt: stored.accessTokenExpiresAt } : {}),
    ...(stored.extra ? { extra: stored.extra } : {}),
  };
}

/** New tokens from a refresh, over what was stored (a platform may not rotate the refresh token). */
export function withTokens(stored: StoredCredentials, tokens: TokenSet): StoredCredentials {
  const { accessTokenExpiresAt: _previous, ...rest } = stored;
  return {
    ...rest,
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    ...(tokens.accessTokenExpiresAt ? { accessTokenExpiresAt: tokens.accessTokenExpiresAt } : {}),
  };
}
