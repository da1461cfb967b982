import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../api/auth/credentials.js';
import { createCarrierServices } from '../../integrations/carriers/services.js';
import { loadConfig, type Config } from '../../config/index.js';
import { setCarrierEnabled } from '../../db/queries/carriers.js';
import { stockLevels, warehouseProfiles } from '../../db/queries/stock.js';
import { planAllocation } from '../../domain/allocation/plan.js';
import { PROVINCES } from '../../domain/regions/index.js';
import { channelCapabilities } from '../../integrations/platforms/catalogue.js';
import { CATALOGUE } from '../../sandbox/orders/catalogue.js';
import { startSandbox, type Sandbox } from '../../sandbox/stack.js';
import { DEMO_CARRIER_ACCOUNTS } from '../../scripts/stack/demo-carriers.js';
import { OPENING_STOCK } from '../../scripts/stack/demo-warehouses.js';
import { devDefaults, sandboxPaymentEnv } from '../../scripts/stack/dev-config.js';
import { seedDevStack, type DevSeed } from '../../scripts/stack/seed.js';
import { alipaySettings, paymentNotifyUrl, wechatPaySettings } from '../../services/payments.js';
import { remarkTranslatorFromConfig } from '../../services/remarks/translation.js';
import { createHarness, type Harness } from '../support/harness.js';

let h: Harness;
let sandbox: Sandbox;
let config: Config;

beforeAll(async () => {
  h = await createHarness();
  sandbox = await startSandbox();
  config = { ...h.config, DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'dev-seed-')) };
});
afterAll(async () => {
  await sandbox.stop();
  await h.teardown();
});

const seed = () => seedDevStack(h.db, { config, sandboxShops: sandbox.shops });

/** Everything the seed writes, as a person would compare two starts. */
async function snapshot() {
  const db = h.db;
  const [warehouses, bins, stock, ledger, accounts, users, keys, shops, skus, mappings] = await Promise.all([
    db
      .selectFrom('warehouses')
      .select(['code', 'name', 'coverage', 'capabilities'])
      .orderBy('code')
      .execute(),
    db.selectFrom('bin_locations').selectAll().orderBy('warehouse_code').orderBy('sku_code').execute(),
    db
      .selectFrom('stock')
      .select(['warehouse_code', 'sku_code', 'on_hand', 'reserved'])
      .orderBy('warehouse_code')
      .orderBy('sku_code')
      .execute(),
    db
      .selectFrom('stock_ledger')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('carrier_accounts')
      .select(['shop_id', 'carrier', 'enabled', 'waybill_channel', 'sender'])
      .orderBy('shop_id')
      .orderBy('carrier')
      .execute(),
    db.selectFrom('users').select(['username', 'roles']).orderBy('username').execute(),
    db.selectFrom('api_keys').select('id').orderBy('id').execute(),
    db.selectFrom('shops').select(['id', 'platform']).orderBy('id').execute(),
    db.selectFrom('skus').select('code').orderBy('code').execute(),
    db
      .selectFrom('platform_sku_mappings')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { warehouses, bins, stock, ledger, accounts, users, keys, shops, skus, mappings };
}

describe('dev stack seeding', () => {
  let first: DevSeed;
  let before: Awaited<ReturnType<typeof snapshot>>;

  it('gives a fresh database stocked warehouses, carriers for every shop and working keys', async () => {
    first = await seed();
    before = await snapshot();
    expect(before.shops).toHaveLength(sandbox.shops.length);
    // A demo shop on every channel GET /platforms lists (twenty-four platforms and the own store).
    expect(new Set(before.shops.map((s) => s.platform))).toEqual(
      new Set(channelCapabilities().map((c) => c.platform)),
    );
    expect(before.warehouses.map((w) => w.code)).toEqual(['BJ01', 'GZ01', 'HZ01']);
    expect(before.accounts).toHaveLength(sandbox.shops.length * DEMO_CARRIER_ACCOUNTS.length);
    expect(before.accounts.every((a) => a.enabled && a.sender)).toBe(true);

    const admin = await authenticate(h.db, first.admin.key);
    expect(admin).toMatchObject({ name: 'admin', roles: ['admin'] });
    const robot = await authenticate(h.db, first.robot.key);
    expect(robot).toMatchObject({ name: 'warehouse-robot', roles: ['warehouse'] });
    expect((await readFile(path.join(config.DATA_DIR, 'admin-api-key'), 'utf8')).trim()).toBe(
      first.admin.key,
    );
  });

  it('can ship any catalogue SKU to any province from stock', async () => {
    const warehouses = await warehouseProfiles(h.db);
    const stock = await stockLevels(
      h.db,
      CATALOGUE.map((s) => s.code),
    );
    expect(stock.every((s) => s.available === OPENING_STOCK)).toBe(true);
    for (const province of PROVINCES) {
      for (const sku of CATALOGUE) {
        const flags = [...(sku.fragile ? ['fragile'] : []), ...(sku.coldChain ? ['cold_chain'] : [])];
        const plan = planAllocation({
          lines: [{ sku: sku.code, qty: 2, flags }],
          receiver: { province: province.name },
          warehouses,
          stock,
        });
        expect(plan.kind, `${sku.code} to ${province.name}`).toBe('single');
        // Every province is some warehouse's own; only cold-chain goods travel from outside it.
        if (!sku.coldChain) expect(plan.kind === 'single' && plan.reason).toMatch(/ covers /);
      }
    }
  });

  it('a second start changes nothing and shows the same keys', async () => {
    const again = await seed();
    expect(again.admin).toEqual({ ...first.admin, issued: false });
    expect(again.robot).toEqual({ ...first.robot, issued: false });
    expect(await snapshot()).toEqual(before);
  });

  it('keeps what a person changed, and replaces a key that no longer opens the API', async () => {
    await h.db.updateTable('warehouses').set({ name: '杭州一号仓' }).where('code', '=', 'HZ01').execute();
    await setCarrierEnabled(h.db, 'demo-taobao', 'YUNDA', false);
    await writeFile(path.join(config.DATA_DIR, 'admin-api-key'), 'erp_revoked_key\n');

    const again = await seed();
    const after = await snapshot();
    expect(after.warehouses.find((w) => w.code === 'HZ01')?.name).toBe('杭州一号仓');
    expect(after.accounts.find((a) => a.shop_id === 'demo-taobao' && a.carrier === 'YUNDA')?.enabled).toBe(
      false,
    );
    expect(after.stock).toEqual(before.stock);
    expect(again.admin.issued).toBe(true);
    expect(await authenticate(h.db, again.admin.key)).toMatchObject({ name: 'admin' });
    expect(after.users).toEqual(before.users);
  });
});

describe('dev defaults', () => {
  it('point every carrier service at the sandbox unless the person configured their own', () => {
    const env = { SANDBOX_PORT: '3901', SF_BASE_URL: 'https://sfapi-sbox.sf-express.com' };
    const dev = loadConfig({ ...devDefaults(env), ...env });
    expect(dev.SF_BASE_URL).toBe('https://sfapi-sbox.sf-express.com');
    expect(dev.CAINIAO_BASE_URL).toBe('http://127.0.0.1:3901/carriers/cainiao');
    expect(dev.API_PUBLIC_URL).toBe('http://127.0.0.1:3000');
    expect(dev.WAVE_WINDOW_SECONDS).toBe(15);
    expect(createCarrierServices(dev).configured).toEqual([
      'SF waybills',
      'Cainiao waybills',
      'kuaidi100 tracking',
      'SF route pushes',
    ]);

    const without = loadConfig({ ...devDefaults({ SANDBOX_ENABLED: 'false' }), SANDBOX_ENABLED: 'false' });
    expect(createCarrierServices(without).configured).toEqual([]);
    expect(without.TRACKING_POLL_SECONDS).toBe(30);
    expect(remarkTranslatorFromConfig(without)).toBeUndefined();
  });

  it('configure both payment channels with the sandbox’s simulators, except a channel the person configured', () => {
    const env = { SANDBOX_PORT: '3901' };
    const dev = loadConfig({ ...devDefaults(env), ...sandboxPaymentEnv(sandbox.payments, env), ...env });
    const { alipay, wechatpay } = sandbox.payments.accounts;
    expect(alipaySettings(dev)).toEqual({
      baseUrl: sandbox.payments.baseUrls.alipay,
      appId: alipay.appId,
      appPrivateKey: alipay.appPrivateKey,
      alipayPublicKey: alipay.alipayPublicKey,
    });
    expect(wechatPaySettings(dev)).toMatchObject({
      baseUrl: sandbox.payments.baseUrls.wechatpay,
      mchid: wechatpay.mchid,
      serialNo: wechatpay.serialNo,
      platformKeys: { [wechatpay.platformSerial]: wechatpay.platformPublicKey },
    });
    expect(paymentNotifyUrl(dev, 'alipay')).toBe('http://127.0.0.1:3000/webhooks/payments/alipay');

    // Alipay configured by the person (even partly): none of the simulator's Alipay settings mixed in.
    const own = { ALIPAY_BASE_URL: 'https://openapi.alipay.com' };
    const mine = sandboxPaymentEnv(sandbox.payments, own);
    expect(Object.keys(mine).filter((k) => k.startsWith('ALIPAY_'))).toEqual([]);
    expect(mine.WECHATPAY_MCHID).toBe(wechatpay.mchid);
  });

  it('translate the cross-border remarks through the sandbox’s Baidu Translate, then Tencent TMT', async () => {
    const env = { SANDBOX_PORT: new URL(sandbox.baseUrl).port };
    const translator = remarkTranslatorFromConfig(loadConfig({ ...devDefaults(env), ...env }))!;
    await expect(translator.translate('Vui lòng gọi trước khi giao hàng', 'zh')).resolves.toMatchObject({
      text: '请在送货前打电话',
      sourceLanguage: 'vi',
      provider: 'baidu',
    });
    // Baidu answers a system error (52002): the second service translates.
    sandbox.translation.faults.failWithCode('52002');
    await expect(translator.translate('Tolong bungkus sebagai hadiah', 'zh')).resolves.toMatchObject({
      text: '请包装成礼物',
      sourceLanguage: 'id',
      provider: 'tencent',
    });
  });
});
