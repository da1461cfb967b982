import type { Config } from '../../config/index.js';
import type { WaybillSecrets } from '../../domain/carriers/waybill-account.js';
import { credentialsCipher } from '../capture/credentials.js';

/**
 * Waybill account secrets at rest: the shop credentials' cipher (AES-256-GCM, CREDENTIALS_KEY) with
 * `waybill-account:<id>` as associated data, so a ciphertext moved onto another account (or a shop)
 * does not decrypt.
 */
export function waybillSecretsCipher(config: Pick<Config, 'CREDENTIALS_KEY' | 'DATA_DIR' | 'NODE_ENV'>) {
  const cipher = credentialsCipher(config);
  const aad = (id: string) => `waybill-account:${id}`;
  return {
    encrypt(id: string, secrets: WaybillSecrets): string {
      return cipher.encrypt(aad(id), {
        appKey: secrets.appKey ?? '',
        appSecret: secrets.appSecret ?? '',
        ...(secrets.session ? { accessToken: secrets.session } : {}),
      });
    },
    decrypt(id: string, blob: string): WaybillSecrets {
      const stored = cipher.decrypt(aad(id), blob);
      return {
        ...(stored.appKey ? { appKey: stored.appKey } : {}),
        ...(stored.appSecret ? { appSecret: stored.appSecret } : {}),
        ...(stored.accessToken ? { session: stored.accessToken } : {}),
      };
    },
  };
}

export type WaybillSecretsCipher = ReturnType<typeof waybillSecretsCipher>;
