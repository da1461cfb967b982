import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyPluginOptions } from 'fastify';
import { createCarrierActivities, type CarrierActivities } from '../../activities/carriers/activities.js';
import { createWaybillAccountIssuer } from '../../activities/carriers/waybill-accounts.js';
import { createCarrierServices } from '../../integrations/carriers/services.js';
import type { WaybillContact, WaybillRequest } from '../../integrations/carriers/types.js';
import { waybillSecretsCipher } from '../../services/carriers/waybill-secrets.js';
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
