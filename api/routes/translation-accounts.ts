import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findShop } from '../../db/queries/shops.js';
import { ShopIdSchema } from '../../domain/ids.js';
import { TranslationError } from '../../integrations/translation/types.js';
import { saveTranslationAccount, translatorForAccount } from '../../services/remarks/translation-accounts.js';
import { HttpProblem, invalid } from '../errors.js';
import type { ApiDeps } from '../deps.js';

const Params = z.object({ id: ShopIdSchema });

const AccountBody = z
  .object({
    provider: z.enum(['baidu', 'tencent']),
    /** Baidu's app id (APP ID) or Tencent's SecretId. */
    accountId: z.string().trim().min(1).max(128),
    /** Baidu's key (密钥) or Tencent's SecretKey; write-only. */
    secretKey: z.string().trim().min(1).max(256),
  })
  .strict();

export const TranslationAccountView = z.object({
  shopId: z.string(),
  provider: z.enum(['baidu', 'tencent']),
  accountId: z.string(),
  /** The key is write-only: only whether one is stored. */
  hasCredentials: z.boolean(),
  updatedAt: z.string(),
});

/**
 * A seller's own machine-translation account for its shop's remarks (docs/remarks.md): asked
 * before the deployment's. Saving it translates a short text with it first, so a wrong app id or
 * key is refused here, naming the field, rather than found at the next foreign remark.
 */
export const translationAccountRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, config }) => {
  async function shopOr404(id: string) {
    if (!(await findShop(db, id))) throw new HttpProblem(404, `no shop with id "${id}"`);
  }

  async function view(shopId: string) {
    const row = await db
      .selectFrom('shop_translation_accounts')
      .select(['shop_id', 'provider', 'account_id', 'updated_at'])
      .where('shop_id', '=', shopId)
      .executeTakeFirst();
    if (!row) throw new HttpProblem(404, `shop "${shopId}" has no translation account of its own`);
    return {
      shopId: row.shop_id,
      provider: row.provider as 'baidu' | 'tencent',
      accountId: row.account_id,
      hasCredentials: true,
      updatedAt: row.updated_at.toISOString(),
    };
  }

  app.get(
    '/shops/:id/translation-account',
    {
      config: { roles: ['ops'] },
      schema: {
        tags: ['shops'],
        summary: 'The shop’s own translation account for remarks (the key is never returned)',
        params: Params,
        response: { 200: TranslationAccountView },
      },
    },
    async (request) => {
      await shopOr404(request.params.id);
      return view(request.params.id);
    },
  );

  app.put(
    '/shops/:id/translation-account',
    {
      config: { roles: ['ops'] },
      schema: {
        tags: ['shops'],
        summary: 'Set the shop’s own translation account (Baidu Translate or Tencent TMT); checked first',
        params: Params,
        body: AccountBody,
        response: { 200: TranslationAccountView },
      },
    },
    async (request) => {
      const shopId = request.params.id;
      await shopOr404(shopId);
      const account = request.body;
      try {
        await translatorForAccount(config, account).translate('hello', 'zh');
      } catch (err) {
        if (!(err instanceof TranslationError)) throw err;
        if (err.kind === 'auth' || err.kind === 'rejected') {
          throw invalid([{ field: 'body.secretKey', problem: `refused by ${err.provider}: ${err.message}` }]);
        }
        throw new HttpProblem(
          503,
          `could not check the account with ${err.provider}: ${err.message}; try again`,
        );
      }
      await saveTranslationAccount(db, config, shopId, account);
      return view(shopId);
    },
  );

  app.delete(
    '/shops/:id/translation-account',
    {
      config: { roles: ['ops'] },
      schema: {
        tags: ['shops'],
        summary: 'Remove the shop’s own translation account (the deployment’s services remain)',
        params: Params,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const shopId = request.params.id;
      await view(shopId);
      await db.deleteFrom('shop_translation_accounts').where('shop_id', '=', shopId).execute();
      return reply.code(204).send(null);
    },
  );
};
