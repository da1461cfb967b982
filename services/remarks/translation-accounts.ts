import type { Config } from '../../config/index.js';
import type { Db } from '../../db/connect.js';
import { createBaiduTranslator } from '../../integrations/translation/baidu.js';
import { createTencentTranslator } from '../../integrations/translation/tencent.js';
import {
  firstAnswering,
  type RemarkTranslator,
  type TranslationProvider,
} from '../../integrations/translation/types.js';
import { credentialsCipher } from '../capture/credentials.js';
import { remarkTranslatorFromConfig } from './translation.js';

/** A seller's own translation account, as given (the key is write-only). */
export interface TranslationAccountInput {
  provider: TranslationProvider;
  /** Baidu's app id or Tencent's SecretId. */
  accountId: string;
  secretKey: string;
}

const aad = (shopId: string) => `translation-account:${shopId}`;

/** The translator for an account, at the deployment's endpoints and timeout. */
export function translatorForAccount(config: Config, account: TranslationAccountInput): RemarkTranslator {
  const timeoutMs = config.TRANSLATION_TIMEOUT_SECONDS * 1000;
  return account.provider === 'baidu'
    ? createBaiduTranslator({
        baseUrl: config.BAIDU_TRANSLATE_BASE_URL,
        appId: account.accountId,
        secretKey: account.secretKey,
        timeoutMs,
      })
    : createTencentTranslator({
        baseUrl: config.TENCENT_TMT_BASE_URL,
        secretId: account.accountId,
        secretKey: account.secretKey,
        region: config.TENCENT_TMT_REGION,
        projectId: config.TENCENT_TMT_PROJECT_ID,
        timeoutMs,
      });
}

export async function saveTranslationAccount(
  db: Db,
  config: Config,
  shopId: string,
  account: TranslationAccountInput,
): Promise<void> {
  const credentials_encrypted = credentialsCipher(config).encrypt(aad(shopId), {
    appKey: account.accountId,
    appSecret: account.secretKey,
  });
  await db
    .insertInto('shop_translation_accounts')
    .values({
      shop_id: shopId,
      provider: account.provider,
      account_id: account.accountId,
      credentials_encrypted,
    })
    .onConflict((c) =>
      c.column('shop_id').doUpdateSet({
        provider: account.provider,
        account_id: account.accountId,
        credentials_encrypted,
        updated_at: new Date(),
      }),
    )
    .execute();
}

export async function loadTranslationAccount(
  db: Db,
  config: Config,
  shopId: string,
): Promise<TranslationAccountInput | undefined> {
  const row = await db
    .selectFrom('shop_translation_accounts')
    .select(['provider', 'account_id', 'credentials_encrypted'])
    .where('shop_id', '=', shopId)
    .executeTakeFirst();
  if (!row) return undefined;
  const stored = credentialsCipher(config).decrypt(aad(shopId), row.credentials_encrypted);
  return {
    provider: row.provider as TranslationProvider,
    accountId: row.account_id,
    secretKey: stored.appSecret,
  };
}

/**
 * The translator for a shop's remarks: the seller's own account first when it has one, then the
 * deployment's services (`remarkTranslatorFromConfig`); undefined when there is neither.
 */
export function shopTranslatorResolver(db: Db, config: Config) {
  const deployment = remarkTranslatorFromConfig(config);
  return async (shopId: string): Promise<RemarkTranslator | undefined> => {
    const own = await loadTranslationAccount(db, config, shopId);
    const chain = [...(own ? [translatorForAccount(config, own)] : []), ...(deployment ? [deployment] : [])];
    return firstAnswering(chain);
  };
}
