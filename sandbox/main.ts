import { loadConfigOrExit } from '../config/index.js';
import { DEMO_STREAM, startSandbox, type SandboxShop } from './stack.js';

/**
 * `npm run sandbox`: every platform and carrier simulator on one local port, with a live order
 * stream, standalone. Prints the demo shops (endpoint and credentials) to register in an ERP; with
 * the ERP at API_PUBLIC_URL (or API_HOST:API_PORT) the push platforms post signed webhooks to it.
 *
 *   SANDBOX_PORT=3900 SANDBOX_PUSH=false npm run sandbox
 */
const config = loadConfigOrExit();
const push = !['false', '0', 'no'].includes((process.env.SANDBOX_PUSH ?? 'true').toLowerCase());
const erp = (config.API_PUBLIC_URL ?? `http://${config.API_HOST}:${config.API_PORT}`).replace(/\/$/, '');
const say = (line = '') => process.stdout.write(`${line}\n`);

const sandbox = await startSandbox({
  port: config.SANDBOX_PORT,
  ...(push ? { webhookBaseUrl: erp } : {}),
  stream: { ...DEMO_STREAM, ordersPerMinute: Number(process.env.SANDBOX_ORDERS_PER_MINUTE ?? 2) },
  log: (line) => process.stderr.write(`[sandbox] ${line}\n`),
});

function describe(shop: SandboxShop): string[] {
  const secrets = Object.entries(shop.credentials)
    .filter(([, value]) => value !== '' && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [
    `  ${shop.platform.padEnd(12)} shop id ${shop.id}, platformShopId ${shop.platformShopId}`,
    ...(shop.baseUrl ? [`               base URL ${shop.baseUrl}`] : []),
    `               ${secrets.join('  ')}`,
  ];
}

say();
say(`  Sandbox running at ${sandbox.baseUrl}`);
say(push ? `  Pushes go to ${erp}/webhooks/{platform}/{shopId}` : '  Pushes are off (SANDBOX_PUSH=false)');
say();
say('  Demo shops (register with POST /shops; `npm run dev` does it for you):');
for (const shop of sandbox.shops) for (const line of describe(shop)) say(line);
say();
say('  Carriers:');
for (const [name, url] of Object.entries(sandbox.carriers.baseUrls)) say(`  ${name.padEnd(12)} ${url}`);
say();
say('  Payment channels (own-store refunds; keys made up at this start):');
for (const [name, url] of Object.entries(sandbox.payments.baseUrls)) say(`  ${name.padEnd(12)} ${url}`);
say(
  `               Alipay app id ${sandbox.payments.accounts.alipay.appId}, WeChat Pay mchid ${sandbox.payments.accounts.wechatpay.mchid}`,
);
say();
say('  Machine translation (remarks the lexicon cannot read):');
say(
  `  ${'baidu'.padEnd(12)} ${sandbox.translation.baseUrls.baidu}  app id ${sandbox.translation.accounts.baidu.appId}`,
);
say(
  `  ${'tencent'.padEnd(12)} ${sandbox.translation.baseUrls.tencent}  SecretId ${sandbox.translation.accounts.tencent.secretId}`,
);
say();
say('  Press Ctrl-C to stop.');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.stop().then(() => process.exit(0));
  });
}
