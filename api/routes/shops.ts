import { randomBytes } from 'node:crypto';
import { scopedShops } from '../auth/shop-scope.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  credentialsCipher,
  ShopCredentialsSchema,
  type StoredCredentials,
} from '../../services/capture/credentials.js';
import { shopSyncWorkflowId, startShopSync, stopShopSync } from '../../services/capture/sync-control.js';
import { AFTER_SALES_SOURCES, channelCapabilities } from '../../integrations/platforms/catalogue.js';
import { defaultBaseUrl, hasPullApi, REQUIRED_CREDENTIALS } from '../../integrations/platforms/registry.js';
import { findShop, insertShop, listShops, updateShop, type ShopRow } from '../../db/queries/shops.js';
import { ShopIdSchema } from '../../domain/ids.js';
import { platformLogisticsSettingSchema } from '../../domain/platform-logistics.js';
import { PlatformCarrierCodesSchema } from '../../domain/platform-carrier-codes.js';
import { SplitShipmentModeSchema } from '../../domain/split-shipments.js';
import { OrderPolicySchema } from '../../domain/order-policy.js';
import { ReturnLabelSettingSchema } from '../../domain/after-sale-returns.js';
import {
  AfterHandoverModeSchema,
  RefundApprovalAboveFenSchema,
  PlatformRefundModeSchema,
  ReturnReceiptModeSchema,
} from '../../domain/after-sales.js';
import { PLATFORMS, PlatformSchema, type Platform } from '../../domain/platforms.js';
import { shopSyncStateQuery, type ShopSyncState } from '../../workflows/messages.js';
import { HttpProblem, invalid, type FieldIssue } from '../errors.js';
import type { ApiDeps } from '../deps.js';
import { ShopCreated, ShopListResponse, ShopView } from '../responses/shops.js';

const QUERY_TIMEOUT_MS = 2_000;

const secret = z.string().trim().min(1, 'must not be empty').max(4096);
/** Credentials as given: every field optional, so a PATCH can rotate one secret alone. */
const CredentialsInput = z
  .object({
    appKey: secret,
    appSecret: secret,
    accessToken: secret,
    refreshToken: secret,
    accessTokenExpiresAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }),
    webhookSecret: secret,
    extra: z.record(z.string().max(64), z.string().max(2048)),
  })
  .partial()
  .strict();

const baseUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .max(500)
  .transform((u) => u.replace(/\/+$/, ''));

/**
 * Shop settings: the order policy (unpaid-cancel, ship-by, hold SLA, …), the split-shipment
 * mode (domain/split-shipments.ts), platform logistics (domain/platform-logistics.ts: Shopee
 * orders through Shopee's logistics, or `false` for the seller's carriers) and the after-handover
 * mode (domain/after-sales.ts) checked field by field; other keys are kept for the areas that read
 * them.
 */
const SettingsInput = OrderPolicySchema.partial()
  .extend({
    splitShipments: SplitShipmentModeSchema.optional(),
    platformLogistics: platformLogisticsSettingSchema().optional(),
    /** After-sales on lines already with the carrier: `intercept` through the platform, or a `person`. */
    afterHandover: AfterHandoverModeSchema.optional(),
    /** Marketplace returns received here: the case tells the `platform`, or a `person` does. */
    returnReceipt: ReturnReceiptModeSchema.optional(),
    /** Marketplace refunds the platform takes by API (Amazon's adjustment feed): sent by the case, or a `person`. */
    platformRefund: PlatformRefundModeSchema.optional(),
    /** Marketplace refunds above this (CNY fen) wait for finance's approval before the platform is told. */
    refundApprovalAboveFen: RefundApprovalAboveFenSchema.optional(),
    /** Our carriers → the platform's carrier codes (Amazon MFN `carrierCode`). */
    platformCarrierCodes: PlatformCarrierCodesSchema.optional(),
    /** The seller provides return labels: `{issuer: sf|cainiao, carrier}` (domain/after-sale-returns.ts). */
    returnLabel: ReturnLabelSettingSchema.optional(),
  })
  .loose();

const ShopCreate = z
  .object({
    id: ShopIdSchema,
    platform: z.enum(PLATFORMS, { message: `must be one of ${PLATFORMS.join(', ')}` }),
    name: z.string().trim().min(1, 'must not be empty').max(100),
    /** Taobao seller nick, PDD mall id, JD venderId, Douyin/Shopee shop_id, Amazon seller id, Shopify domain, Woo site URL. */
    platformShopId: z.string().trim().max(200).default(''),
    baseUrl: baseUrl.optional(),
    credentials: CredentialsInput.optional(),
    pollIntervalSeconds: z.number().int('must be whole seconds').min(1).max(86_400).optional(),
    syncEnabled: z.boolean().optional(),
    settings: SettingsInput.default({}),
  })
  .strict();

const ShopPatch = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100),
    platformShopId: z.string().trim().max(200),
    baseUrl: baseUrl.nullable(),
    /** Merged over the stored credentials: the fields given replace the stored ones. */
    credentials: CredentialsInput,
    pollIntervalSeconds: z.number().int('must be whole seconds').min(1).max(86_400),
    syncEnabled: z.boolean(),
    /** Merged over the stored settings; a key set to null is removed. */
    settings: z.record(z.string(), z.unknown()),
  })
  .partial()
  .strict();

const Params = z.object({ id: ShopIdSchema });

function credentialIssues(platform: Platform, credentials: StoredCredentials): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const path of REQUIRED_CREDENTIALS[platform]) {
    const [head, key] = path.split('.') as [keyof StoredCredentials, string | undefined];
    const value = key ? credentials.extra?.[key] : credentials[head];
    if (typeof value !== 'string' || value.trim() === '') {
      issues.push({ field: `body.credentials.${path}`, problem: `is required for ${platform} shops` });
    }
  }
  return issues;
}

function settingsIssues(settings: Record<string, unknown>): FieldIssue[] {
  const parsed = SettingsInput.safeParse(settings);
  return parsed.success
    ? []
    : parsed.error.issues.map((i) => ({
        field: ['body', 'settings', ...i.path.map(String)].join('.'),
        problem: i.message,
      }));
}

function view(row: ShopRow, state?: ShopSyncState | null) {
  const platform = row.platform as Platform;
  const pullable = hasPullApi(platform);
  return {
    id: row.id,
    platform: row.platform,
    name: row.name,
    platformShopId: row.platform_shop_id,
    baseUrl: row.base_url ?? defaultBaseUrl(platform, row.platform_shop_id) ?? null,
    hasCredentials: row.credentials_encrypted !== null,
    pollIntervalSeconds: row.poll_interval_seconds,
    syncEnabled: row.sync_enabled,
    /** False for own stores: they push, there is nothing to poll. */
    pullable,
    settings: row.settings,
    sync: {
      workflowId: shopSyncWorkflowId(row.id),
      cursor: row.sync_cursor?.toISOString() ?? null,
      lastSyncedAt: row.last_synced_at?.toISOString() ?? null,
      error: row.sync_error,
      ...(state !== undefined ? { state } : {}),
    },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const PlatformListResponse = z.object({
  platforms: z.array(
    z.object({
      platform: PlatformSchema,
      name: z.string(),
      pull: z.boolean(),
      push: z.enum(['http', 'message_channel', 'none']),
      pushChannel: z.string().optional(),
      shipConfirm: z.boolean(),
      stockUpload: z.boolean(),
      afterSales: z
        .boolean()
        .describe(
          "After-sales cases are captured (from a case API, the orders, Amazon's returns report or an own store's push)",
        ),
      afterSalesSource: z
        .enum(AFTER_SALES_SOURCES)
        .describe(
          "Where cases come from: the platform's after-sales API, the after-sales markers on its orders (no case API in the facts), a report (Amazon's returns report), the store's own case push (own store), or nowhere (the platform offers none we know of)",
        ),
      afterSalesAnswers: z
        .boolean()
        .describe(
          "The seller's agreement or refusal takes effect through an API — the platform's, or for an own store the payment channel's refund (else the platform's back office)",
        ),
      requiredCredentials: z.array(z.string()),
    }),
  ),
});

/**
 * Shops: where orders come from. Credentials are write-only (stored AES-256-GCM encrypted, shown
 * as `hasCredentials`); an own store's webhook secret is generated when none is given and shown
 * once, in the answer to its creation. Creating or enabling a shop starts its sync workflow;
 * disabling stops it; any other change wakes it to reload its settings.
 */
export const shopRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db, temporal, config }) => {
  const cipher = () => credentialsCipher(config);

  app.get(
    '/shops',
    {
      config: { roles: 'any' },
      schema: {
        tags: ['shops'],
        summary: 'List shops (credentials are never returned)',
        querystring: z.object({ platform: PlatformSchema.optional() }),
        response: { 200: ShopListResponse },
      },
    },
    async (request) => ({
      shops: (await listShops(db, { ...request.query, ...scopedShops(request, undefined) })).map((row) =>
        view(row),
      ),
    }),
  );

  app.get(
    '/platforms',
    {
      config: { roles: 'any' },
      schema: {
        tags: ['shops'],
        summary: 'The sales channels shops can be registered on, and what the ERP does with each',
        response: { 200: PlatformListResponse },
      },
    },
    async () => ({ platforms: channelCapabilities() }),
  );

  app.get(
    '/shops/:id',
    {
      config: { roles: 'any' },
      schema: {
        tags: ['shops'],
        summary: 'One shop, with its sync workflow’s live state',
        params: Params,
        response: { 200: ShopView },
      },
    },
    async (request) => {
      const row = await findShop(db, request.params.id);
      if (!row) throw new HttpProblem(404, `no shop with id "${request.params.id}"`);
      let state: ShopSyncState | null;
      try {
        state = await temporal.withAbortSignal(AbortSignal.timeout(QUERY_TIMEOUT_MS), () =>
          temporal.workflow.getHandle(shopSyncWorkflowId(row.id)).query(shopSyncStateQuery),
        );
      } catch {
        state = null;
      }
      return view(row, state);
    },
  );

  app.post(
    '/shops',
    {
      config: { roles: ['ops'] },
      schema: {
        tags: ['shops'],
        summary: 'Register a shop',
        body: ShopCreate,
        response: { 201: ShopCreated },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const platform = body.platform;
      const pullable = hasPullApi(platform);
      let generatedSecret: string | undefined;
      const credentials = ShopCredentialsSchema.parse({ ...body.credentials });
      if (platform === 'own' && !credentials.webhookSecret) {
        generatedSecret = `whsec_${randomBytes(24).toString('base64url')}`;
        credentials.webhookSecret = generatedSecret;
      }
      const issues = credentialIssues(platform, credentials);
      if (platform !== 'own' && !body.platformShopId) {
        issues.unshift({ field: 'body.platformShopId', problem: `is required for ${platform} shops` });
      }
      if (pullable && !body.baseUrl && !defaultBaseUrl(platform, body.platformShopId)) {
        issues.push({ field: 'body.baseUrl', problem: `is required for ${platform} shops` });
      }
      if (issues.length) throw invalid(issues);

      const syncEnabled = pullable && (body.syncEnabled ?? true);
      const row = await insertShop(db, {
        id: body.id,
        platform,
        name: body.name,
        platformShopId: body.platformShopId,
        baseUrl: body.baseUrl ?? null,
        credentialsEncrypted: cipher().encrypt(body.id, credentials),
        pollIntervalSeconds: body.pollIntervalSeconds ?? Math.round(config.SYNC_POLL_SECONDS),
        syncEnabled,
        settings: body.settings,
      });
      if (!row) throw new HttpProblem(409, `a shop with id "${body.id}" already exists`, [], 'CONFLICT');
      if (syncEnabled) await startShopSync(temporal, config.TASK_QUEUE_ORDERS, row);
      return reply.code(201).send({
        ...view(row),
        // Shown this once: the seller signs their pushes with it (docs/own-store-push.md).
        ...(generatedSecret ? { webhookSecret: generatedSecret } : {}),
      });
    },
  );

  app.patch(
    '/shops/:id',
    {
      config: { roles: ['ops'] },
      schema: {
        tags: ['shops'],
        summary: 'Change a shop: credentials (merged), endpoint, polling, settings',
        params: Params,
        body: ShopPatch,
        response: { 200: ShopView },
      },
    },
    async (request) => {
      const { id } = request.params;
      const body = request.body;
      const row = await findShop(db, id);
      if (!row) throw new HttpProblem(404, `no shop with id "${id}"`);
      const platform = row.platform as Platform;
      const pullable = hasPullApi(platform);
      const issues: FieldIssue[] = [];

      let credentialsEncrypted: string | undefined;
      if (body.credentials) {
        const stored = row.credentials_encrypted
          ? cipher().decrypt(id, row.credentials_encrypted)
          : ShopCredentialsSchema.parse({});
        const merged = ShopCredentialsSchema.parse({
          ...stored,
          ...body.credentials,
          extra: { ...stored.extra, ...body.credentials.extra },
        });
        issues.push(...credentialIssues(platform, merged));
        credentialsEncrypted = cipher().encrypt(id, merged);
      }
      let settings: Record<string, unknown> | undefined;
      if (body.settings) {
        settings = { ...row.settings };
        for (const [key, value] of Object.entries(body.settings)) {
          if (value === null) delete settings[key];
          else settings[key] = value;
        }
        issues.push(...settingsIssues(settings));
      }
      if (body.syncEnabled && !pullable) {
        issues.push({ field: 'body.syncEnabled', problem: `${platform} shops have nothing to poll` });
      }
      if (issues.length) throw invalid(issues);

      const updated = await updateShop(db, id, {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.platformShopId !== undefined ? { platform_shop_id: body.platformShopId } : {}),
        ...(body.baseUrl !== undefined ? { base_url: body.baseUrl } : {}),
        ...(credentialsEncrypted ? { credentials_encrypted: credentialsEncrypted } : {}),
        ...(body.pollIntervalSeconds !== undefined
          ? { poll_interval_seconds: body.pollIntervalSeconds }
          : {}),
        ...(body.syncEnabled !== undefined ? { sync_enabled: body.syncEnabled } : {}),
        ...(settings ? { settings: JSON.stringify(settings) } : {}),
      });
      if (!updated) throw new HttpProblem(404, `no shop with id "${id}"`);
      if (updated.sync_enabled) await startShopSync(temporal, config.TASK_QUEUE_ORDERS, updated);
      else if (row.sync_enabled) await stopShopSync(temporal, id);
      return view(updated);
    },
  );
};
