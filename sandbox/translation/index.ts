import type { FastifyInstance } from 'fastify';
import { baiduTranslateSimulator, TranslationCallLog, TranslationFaults } from './baidu.js';
import { tencentTmtSimulator } from './tencent.js';

export { baiduTranslateSimulator, TranslationCallLog, TranslationFaults } from './baidu.js';
export { lookUpPhrase } from './phrasebook.js';
export { tencentTmtSimulator } from './tencent.js';

/** Where each service is mounted under the sandbox's `/translation`. */
export const TRANSLATION_SANDBOX_PREFIXES = { baidu: '/baidu', tencent: '/tencent' } as const;

/** The demo app `npm run dev` configures (a made-up app id and key, as the console would show). */
export const DEFAULT_TRANSLATION_SANDBOX_ACCOUNTS = {
  baidu: { appId: '20260101000000001', secretKey: 'sandboxBaiduKey01' },
  tencent: {
    secretId: 'AKIDsandbox0000000000000000000000001',
    secretKey: 'sandboxTencentSecretKey000000001',
  },
} as const;

export interface TranslationSandbox {
  accounts: { baidu: { appId: string; secretKey: string }; tencent: { secretId: string; secretKey: string } };
  faults: TranslationFaults;
  calls: TranslationCallLog;
  register(app: FastifyInstance): Promise<void>;
}

export function createTranslationSandbox(
  options: { accounts?: TranslationSandbox['accounts']; qps?: number; now?: () => number } = {},
): TranslationSandbox {
  const accounts = options.accounts ?? {
    baidu: { ...DEFAULT_TRANSLATION_SANDBOX_ACCOUNTS.baidu },
    tencent: { ...DEFAULT_TRANSLATION_SANDBOX_ACCOUNTS.tencent },
  };
  const faults = new TranslationFaults();
  const calls = new TranslationCallLog();
  return {
    accounts,
    faults,
    calls,
    async register(app) {
      await app.register(baiduTranslateSimulator, {
        prefix: TRANSLATION_SANDBOX_PREFIXES.baidu,
        apps: { [accounts.baidu.appId]: accounts.baidu.secretKey },
        ...(options.qps !== undefined ? { qps: options.qps } : {}),
        faults,
        calls,
        ...(options.now ? { now: options.now } : {}),
      });
      await app.register(tencentTmtSimulator, {
        prefix: TRANSLATION_SANDBOX_PREFIXES.tencent,
        keys: { [accounts.tencent.secretId]: accounts.tencent.secretKey },
        ...(options.qps !== undefined ? { qps: options.qps } : {}),
        faults,
        calls,
        ...(options.now ? { now: options.now } : {}),
      });
    },
  };
}
