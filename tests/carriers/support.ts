import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyPluginOptions } from 'fastify';
import { createCarrierActivities, type CarrierActivities } from '../../activities/carriers/activities.js';
import { createWaybillAccountIssuer } from '../../activities/carriers/waybill-accounts.js';
import { createCarrierServices } from '../../integrations/carriers/services.js';
import type { WaybillContact, WaybillRequest } from '../../integrations/carriers/types.js';
import { waybillSecretsCipher } from '../../services/carriers/waybill-secrets.js';
import { CARRIER_SANDBOX_PREFIXES, createCarrierSandbox } from '../../sandbox/carriers/index.js';
import type { Harness } from '../support/harness.js';

/** Starts a simulator plugin on a free local port. */
export async function startSimulator<T extends FastifyPluginOptions>(
  plugin: FastifyPluginAsync<T>,
  options: T,
): Promise<{ app: FastifyInstance; baseUrl: string }> {
  const app = Fastify({ logger: false });
  await app.register(plugin, options);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, baseUrl: address };
}

export const SENDER: WaybillContact = {
  name: '南京小店仓库',
  phone: '13900002222',
  company: '南京小店',
  address: { province: '浙江省', city: '杭州市', district: '西湖区', detail: '文一西路998号' },
};

export const RECEIVER: WaybillContact = {
  name: '张三',
  phone: '13800001234',
  address: {
    province: '北京市',
    city: '北京市',
    district: '朝阳区',
    detail: '建国路88号SOHO现代城5号楼1201',
  },
};

export function waybillRequest(overrides: Partial<WaybillRequest> = {}): WaybillRequest {
  return {
    requestId: `shipment-${Math.random().toString(36).slice(2, 10)}`,
    carrier: 'SF',
    sender: SENDER,
    receiver: { protected: false, ...RECEIVER },
    parcel: { weightG: 1200, items: [{ name: '纯棉T恤', quantity: 2 }] },
    orderIds: ['4012345678901234567'],
    ...overrides,
  };
}

/** Posts a form the way a carrier's client would, returning the parsed JSON answer. */
export async function postForm(
  url: string,
  fields: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
    body: new URLSearchParams(fields).toString(),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body };
}

/**
 * Carrier activities that issue only through the shops' own waybill accounts: the deployment has
 * no waybill service of its own, so a shop without an account for the carrier gets none.
 */
export function accountCarrierActivities(h: Harness): CarrierActivities {
  return createCarrierActivities({
    db: h.db,
    waybillProvider: () => undefined,
    waybillAccounts: createWaybillAccountIssuer({
      db: h.db,
      services: createCarrierServices(h.config).accounts!,
      secrets: waybillSecretsCipher(h.config),
    }),
  });
}

/** A Cainiao branch the sandbox opens on a session: the carrier, the branch's code and name, waybills left. */
export interface SandboxBranch {
  carrier: string;
  code: string;
  name: string;
  quantity: number;
}

/**
 * The carriers' sandbox on a free port with one Cainiao app whose sessions hold these branches, and
 * the settings a harness needs to reach it (the waybill-account tests' world).
 */
export async function startBranchSandbox(options: {
  appKey: string;
  sessions: string[];
  branches: Array<SandboxBranch & { session: string }>;
}) {
  const sandbox = createCarrierSandbox({
    accounts: {
      sf: { partnerId: 'SANDBOX-SF', checkword: 'sandbox-sf-checkword' },
      cainiao: { appKey: options.appKey, appSecret: 'isv-top-secret', sessions: options.sessions },
      kuaidi100: { customer: 'K', key: 'k' },
      kdniao: { eBusinessId: '1', appKey: 'k' },
    },
  });
  for (const b of options.branches) {
    sandbox.cainiaoBranches.open(b.session, b.carrier, { code: b.code, name: b.name, quantity: b.quantity });
  }
  const server = Fastify({ logger: false });
  await sandbox.register(server);
  const base = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    sandbox,
    server,
    base,
    config: {
      CAINIAO_BASE_URL: base + CARRIER_SANDBOX_PREFIXES.cainiao,
      CAINIAO_APP_KEY: options.appKey,
      CAINIAO_APP_SECRET: 'isv-top-secret',
    },
  };
}
