import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loadShopCarriers } from '../../db/queries/carriers.js';
import { findShop } from '../../db/queries/shops.js';
import {
  findWaybillAccountRow,
  listWaybillAccounts,
  recordWaybillAccountState,
  saveWaybillAccountRates,
  toWaybillAccount,
  type WaybillAccountRow,
} from '../../db/queries/waybill-accounts.js';
import { resolveAlerts } from '../../db/queries/alerts.js';
import { ShopIdSchema } from '../../domain/ids.js';
import { LABEL_SIZES } from '../../domain/carriers/label-size.js';
import {
  MAX_RATE_TABLE_ROWS,
  RateTableInputSchema,
  rateTableRows,
} from '../../domain/carriers/rate-table.js';
import {
  decodeCsv,
  parseRateTableCsv,
  type RateCsvIssue,
  type RateCsvParse,
} from '../../domain/carriers/rate-table-csv.js';
import { parseRateTableXlsx, XLSX_TYPE } from '../../domain/carriers/rate-table-xlsx.js';
import { priceByAccounts, stoppedCarriers } from '../../domain/carriers/account-selection.js';
import { findProvince } from '../../domain/carriers/regions.js';
import { selectCarrier } from '../../domain/carriers/select.js';
import {
  accountsToTry,
  REQUIRED_SECRETS,
  WaybillAccountInputSchema,
  WaybillSecretsSchema,
  type WaybillAccount,
  type WaybillSecrets,
} from '../../domain/carriers/waybill-account.js';
import { createAccountServices, type AccountServices } from '../../integrations/carriers/accounts.js';
import { waybillSecretsCipher } from '../../services/carriers/waybill-secrets.js';
import { shopEndpoint } from '../../services/carriers/shop-endpoint.js';
import { actorOf } from '../auth/plugin.js';
import { HttpProblem, invalid, type FieldIssue, type ProblemParams } from '../errors.js';
import type { ApiDeps } from '../deps.js';
import {
  WaybillAccountListResponse,
  WaybillAccountView,
  WaybillQuoteResponse,
} from '../responses/waybill-accounts.js';

const Params = z.object({ id: ShopIdSchema });
const QuoteQuery = z
  .object({
    /** The warehouse the parcel leaves from: its province is the origin; its own accounts come first. */
    warehouseCode: z.string().trim().min(1).max(64),
    /** Destination province as written (浙江, 浙江省, 33). */
    province: z.string().trim().min(1).max(20),
    city: z.string().trim().min(1).max(20).optional(),
    weightG: z.coerce.number().int().positive().max(1_000_000),
    lengthMm: z.coerce.number().int().positive().max(10_000).default(1),
    widthMm: z.coerce.number().int().positive().max(10_000).default(1),
    heightMm: z.coerce.number().int().positive().max(10_000).default(1),
  })
  .strict();
const AccountParams = z.object({ id: ShopIdSchema, accountId: z.string().min(1).max(64) });

// Zod applies a field's default even when `.partial()` made it optional, so the fields with defaults
// are restated without them: a patch leaves what it does not name as it is.
const AccountPatch = WaybillAccountInputSchema.omit({ carrier: true, service: true })
  .extend({
    name: z.string().trim().min(1).max(100),
    warehouseCode: z.string().trim().min(1).max(64).nullable(),
    priority: z.number().int().min(0).max(10_000),
    enabled: z.boolean(),
    lowBalanceAt: z.number().int().min(0).max(1_000_000),
    labelSize: z.enum(LABEL_SIZES),
    branchCode: z.string().trim().min(1).max(64).nullable(),
    monthlyAccount: z.string().trim().min(1).max(64).nullable(),
    productType: z.string().trim().min(1).max(32).nullable(),
    /** Merged over the stored secrets: the fields given replace the stored ones. */
    credentials: WaybillSecretsSchema,
  })
  .partial()
  .strict();

/**
 * A refused line or cell of an uploaded rate table: the field names the line and our column
 * (`body.lines.3.firstFen`), the problem the line and the column as the file heads it; code and
 * params let a client say it in its own words.
 */
function csvIssue(i: RateCsvIssue): FieldIssue {
  const params: ProblemParams = { line: i.line };
  if (i.heading !== null) params.column = i.heading;
  if (i.value !== null) params.value = i.value;
  if (i.firstLine !== undefined) params.firstLine = i.firstLine;
  if (i.kind === 'too_many_rows') params.maximum = MAX_RATE_TABLE_ROWS;
  return {
    field: ['body', 'lines', String(i.line), i.column].filter(Boolean).join('.'),
    problem: i.problem,
    ...(i.kind === 'invalid' ? {} : { code: `rate_csv_${i.kind}`, params }),
  };
}

/** The media type of an old Excel workbook (.xls). */
export const XLS_TYPE = 'application/vnd.ms-excel';
/** An OLE2 compound file (an old .xls workbook) starts with these eight bytes. */
const OLE2_SIGNATURE = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const isOldExcel = (bytes: Buffer) => bytes.subarray(0, 8).equals(OLE2_SIGNATURE);

/** The refusal of an old .xls workbook, in both languages (the page says it from the code). */
function oldExcel(): HttpProblem {
  return new HttpProblem(
    415,
    'an old Excel workbook (.xls) cannot be read: in Excel save it as "Excel 工作簿 (*.xlsx)" or as CSV and upload that file ' +
      '(旧版 Excel 工作簿（.xls）无法读取：请在 Excel 中另存为“Excel 工作簿 (*.xlsx)”或 CSV 后再上传)',
    [],
    'OLD_EXCEL_WORKBOOK',
  );
}

function view(account: WaybillAccount, hasCredentials: boolean) {
  return { ...account, hasCredentials };
}

function secretsIssues(account: WaybillAccount, secrets: WaybillSecrets) {
  return REQUIRED_SECRETS[account.service]
    .filter((key) => !secrets[key])
    .map((key) => ({
      field: `body.credentials.${key}`,
      problem: `is required for ${account.service} accounts`,
    }));
}

/**
 * A shop's electronic-waybill accounts (docs/waybill-accounts.md). Secrets are write-only (stored
 * encrypted, shown as `hasCredentials`); saving an account asks its service whether it works
 * (Cainiao: the session, the carrier's subscription and the branch) and records the balance the
 * service reports. A check re-reads the balance and puts a stopped account back in use.
 */
export const waybillAccountRoutes: FastifyPluginAsyncZod<
  ApiDeps & { accountServices?: AccountServices }
> = async (app, { db, config, accountServices }) => {
  const services = accountServices ?? createAccountServices(config);
  const cipher = () => waybillSecretsCipher(config);
  // A rate table's file as saved from the spreadsheet: UTF-8, or GB18030 from a Chinese Excel.
  // An old Excel workbook (.xls) sent under any of the sheet types is refused by its bytes.
  app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: 1_000_000 }, (_req, body, done) =>
    isOldExcel(body as Buffer) ? done(oldExcel(), undefined) : done(null, decodeCsv(body as Buffer)),
  );
  // The branch's workbook itself (.xlsx): its bytes, read by the route.
  app.addContentTypeParser(XLSX_TYPE, { parseAs: 'buffer', bodyLimit: 5_000_000 }, (_req, body, done) =>
    isOldExcel(body as Buffer) ? done(oldExcel(), undefined) : done(null, body),
  );
  // .xls is not read (no library of ours reads the old binary format): a 415 saying what to do.
  app.addContentTypeParser(XLS_TYPE, { parseAs: 'buffer', bodyLimit: 5_000_000 }, (_req, _body, done) =>
    done(oldExcel(), undefined),
  );

  /** Saves a sheet's table, or answers 400 naming every refused line (nothing saved). */
  async function saveParsed(
    request: { params: { id: string; accountId: string } } & Parameters<typeof actorOf>[0],
    parsed: RateCsvParse,
  ) {
    const { id: shopId, accountId } = request.params;
    if (!parsed.ok) throw invalid(parsed.issues.map(csvIssue));
    await saveWaybillAccountRates(
      db,
      shopId,
      accountId,
      rateTableRows(RateTableInputSchema.parse(parsed.table)),
      actorOf(request).name,
    );
    return answer(shopId, accountId);
  }

  async function shopOr404(id: string) {
    if (!(await findShop(db, id))) throw new HttpProblem(404, `no shop with id "${id}"`);
  }

  async function rowOr404(shopId: string, accountId: string): Promise<WaybillAccountRow> {
    const row = await findWaybillAccountRow(db, shopId, accountId);
    if (!row) throw new HttpProblem(404, `no waybill account "${accountId}" in shop "${shopId}"`);
    return row;
  }

  /** Asks the service; a refusal is the caller's 400 on the field it concerns. */
  async function checked(account: WaybillAccount, secrets: WaybillSecrets) {
    const check = await services.check(account, secrets, {
      shopBaseUrl: await shopEndpoint(db, account.shopId),
    });
    if (!check.ok) throw invalid([{ field: check.field, problem: check.problem }]);
    return check;
  }

  async function answer(shopId: string, accountId: string) {
    const row = await rowOr404(shopId, accountId);
    return view(toWaybillAccount(row)!, true);
  }

  app.get(
    '/shops/:id/waybill-accounts',
    {
      config: { roles: ['ops', 'warehouse'] },
      schema: {
        tags: ['carriers'],
        summary: 'The shop’s electronic-waybill accounts, with balances (secrets are never returned)',
        params: Params,
        response: { 200: WaybillAccountListResponse },
      },
    },
    async (request) => {
      await shopOr404(request.params.id);
      return { accounts: (await listWaybillAccounts(db, request.params.id)).map((a) => view(a, true)) };
    },
  );

  app.get(
    '/shops/:id/waybill-accounts/quote',
    {
      config: { roles: ['ops', 'warehouse'] },
      schema: {
        tags: ['carriers'],
        summary:
          'What carrier selection would choose now for a parcel from a warehouse to a province (the shop’s carriers, accounts and rate tables), and the account that would issue it',
        params: Params,
        querystring: QuoteQuery,
        response: { 200: WaybillQuoteResponse },
      },
    },
    async (request) => {
      const shopId = request.params.id;
      await shopOr404(shopId);
      const q = request.query;
      const warehouse = await db
        .selectFrom('warehouses')
        .select('province')
        .where('code', '=', q.warehouseCode)
        .executeTakeFirst();
      const issues: FieldIssue[] = [];
      if (!warehouse)
        issues.push({ field: 'querystring.warehouseCode', problem: `no warehouse "${q.warehouseCode}"` });
      if (!findProvince(q.province))
        issues.push({ field: 'querystring.province', problem: `no mainland province "${q.province}"` });
      if (!warehouse || issues.length) throw invalid(issues);
      const [carriers, accounts] = await Promise.all([
        loadShopCarriers(db, shopId),
        listWaybillAccounts(db, shopId),
      ]);
      const input = {
        parcel: { weightG: q.weightG, lengthMm: q.lengthMm, widthMm: q.widthMm, heightMm: q.heightMm },
        origin: { province: warehouse.province },
        destination: { country: 'CN', province: q.province, ...(q.city ? { city: q.city } : {}) },
      };
      const pricing = priceByAccounts(carriers, accounts, input);
      const stopped = stoppedCarriers(carriers, accounts);
      const selection = selectCarrier({
        ...input,
        candidates: pricing.candidates ?? carriers.map((c) => c.profile),
        ...(pricing.rateSources.size ? { rateSources: pricing.rateSources } : {}),
        ...(pricing.unpriced.size ? { unpriced: pricing.unpriced } : {}),
        ...(stopped.size ? { stopped } : {}),
      });
      const quoted = (x: { carrier: string; costFen: number; chargeableWeightG: number }) => ({
        carrier: x.carrier,
        costFen: x.costFen,
        chargeableWeightG: x.chargeableWeightG,
      });
      const rejected = selection.rejected.map((r) => ({
        carrier: r.carrier,
        reasons: r.reasons.map((x) => ({
          code: x.code,
          message: x.message,
          ...(x.why ? { why: x.why } : {}),
        })),
      }));
      if (!selection.ok)
        return { ok: false, account: null, reason: selection.reason, alternatives: [], rejected };
      const issuer = accountsToTry(accounts, selection.carrier, q.warehouseCode, {
        province: q.province,
        city: q.city,
        origin: warehouse.province,
        weightG: selection.chargeableWeightG,
      })[0];
      return {
        ok: true,
        chosen: quoted(selection.quote),
        account: issuer ? { id: issuer.id, name: issuer.name } : null,
        reason: selection.reason,
        alternatives: selection.alternatives.map(quoted),
        rejected,
      };
    },
  );

  app.post(
    '/shops/:id/waybill-accounts',
    {
      config: { roles: ['ops'] },
      schema: {
        tags: ['carriers'],
        summary: 'Add a waybill account: checked with its service before it is saved',
        params: Params,
        body: WaybillAccountInputSchema,
        response: { 201: WaybillAccountView },
      },
    },
    async (request, reply) => {
      const shopId = request.params.id;
      await shopOr404(shopId);
      const body = request.body;
      const id = `wba_${randomBytes(8).toString('hex')}`;
      const draft: WaybillAccount = {
        id,
        shopId,
        warehouseCode: body.warehouseCode,
        carrier: body.carrier,
        service: body.service,
        name: body.name ?? `${body.carrier} ${body.service}${body.branchCode ? ` ${body.branchCode}` : ''}`,
        branchCode: body.branchCode ?? null,
        branchName: body.branchName ?? null,
        monthlyAccount: body.monthlyAccount ?? null,
        productType: body.productType ?? null,
        priority: body.priority,
        enabled: body.enabled,
        balance: null,
        balanceCheckedAt: null,
        lowBalanceAt: body.lowBalanceAt,
        state: 'ok',
        stateReason: null,
        rateTable: null,
        labelSize: body.labelSize,
      };
      const issues = secretsIssues(draft, body.credentials);
      if (issues.length) throw invalid(issues);
      const check = await checked(draft, body.credentials);
      await db
        .insertInto('waybill_accounts')
        .values({
          id,
          shop_id: shopId,
          warehouse_code: draft.warehouseCode,
          carrier: draft.carrier,
          service: draft.service,
          name: draft.name,
          branch_code: check.branchCode ?? draft.branchCode,
          branch_name: check.branchName ?? draft.branchName,
          monthly_account: draft.monthlyAccount,
          product_type: draft.productType,
          credentials_encrypted: cipher().encrypt(id, body.credentials),
          priority: draft.priority,
          enabled: draft.enabled,
          balance: check.balance,
          balance_checked_at: check.checked ? new Date() : null,
          low_balance_at: draft.lowBalanceAt,
          label_size: draft.labelSize,
        })
        .execute();
      return reply.code(201).send(await answer(shopId, id));
    },
  );

  app.patch(
    '/shops/:id/waybill-accounts/:accountId',
    {
      config: { roles: ['ops'] },
      schema: {
        tags: ['carriers'],
        summary: 'Change a waybill account (secrets merged); a new branch or secret is checked again',
        params: AccountParams,
        body: AccountPatch,
        response: { 200: WaybillAccountView },
      },
    },
    async (request) => {
      const { id: shopId, accountId } = request.params;
      const row = await rowOr404(shopId, accountId);
      const current = toWaybillAccount(row);
      if (!current)
        throw new HttpProblem(
          409,
          `waybill account "${accountId}" names a carrier or service no longer known`,
        );
      const body = request.body;
      const secrets = { ...cipher().decrypt(accountId, row.credentials_encrypted), ...body.credentials };
      const next: WaybillAccount = {
        ...current,
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.warehouseCode !== undefined ? { warehouseCode: body.warehouseCode } : {}),
        ...(body.branchCode !== undefined ? { branchCode: body.branchCode } : {}),
        ...(body.branchName !== undefined ? { branchName: body.branchName } : {}),
        ...(body.monthlyAccount !== undefined ? { monthlyAccount: body.monthlyAccount } : {}),
        ...(body.productType !== undefined ? { productType: body.productType } : {}),
        ...(body.priority !== undefined ? { priority: body.priority } : {}),
        ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
        ...(body.lowBalanceAt !== undefined ? { lowBalanceAt: body.lowBalanceAt } : {}),
        ...(body.labelSize !== undefined ? { labelSize: body.labelSize } : {}),
      };
      const issues = secretsIssues(next, secrets);
      if (issues.length) throw invalid(issues);
      const recheck = body.credentials !== undefined || body.branchCode !== undefined;
      const check = recheck ? await checked(next, secrets) : undefined;
      await db
        .updateTable('waybill_accounts')
        .set({
          name: next.name,
          warehouse_code: next.warehouseCode,
          branch_code: check?.branchCode ?? next.branchCode,
          branch_name: check?.branchName ?? next.branchName,
          monthly_account: next.monthlyAccount,
          product_type: next.productType,
          priority: next.priority,
          enabled: next.enabled,
          low_balance_at: next.lowBalanceAt,
          label_size: next.labelSize,
          ...(body.credentials ? { credentials_encrypted: cipher().encrypt(accountId, secrets) } : {}),
          ...(check
            ? {
                balance: check.balance,
                balance_checked_at: check.checked ? new Date() : null,
                state: 'ok',
                state_reason: null,
              }
            : {}),
          updated_at: new Date(),
        })
        .where('id', '=', accountId)
        .execute();
      return answer(shopId, accountId);
    },
  );

  app.post(
    '/shops/:id/waybill-accounts/:accountId/check',
    {
      config: { roles: ['ops', 'warehouse'] },
      schema: {
        tags: ['carriers'],
        summary: 'Re-read the balance from the service; a working account is put back in use',
        params: AccountParams,
        response: { 200: WaybillAccountView },
      },
    },
    async (request) => {
      const { id: shopId, accountId } = request.params;
      const row = await rowOr404(shopId, accountId);
      const account = toWaybillAccount(row);
      if (!account)
        throw new HttpProblem(
          409,
          `waybill account "${accountId}" names a carrier or service no longer known`,
        );
      const check = await checked(account, cipher().decrypt(accountId, row.credentials_encrypted));
      await recordWaybillAccountState(db, accountId, {
        state: 'ok',
        reason: null,
        ...(check.checked ? { balance: check.balance } : {}),
      });
      const accounts = await listWaybillAccounts(db, shopId);
      if (accounts.every((a) => a.state === 'ok'))
        await resolveAlerts(db, { shopId, kinds: ['waybill_account_failing'] });
      if (accounts.every((a) => a.balance === null || a.balance > a.lowBalanceAt))
        await resolveAlerts(db, { shopId, kinds: ['waybill_balance_low'] });
      return answer(shopId, accountId);
    },
  );

  app.put(
    '/shops/:id/waybill-accounts/:accountId/rates',
    {
      config: { roles: ['ops'] },
      schema: {
        tags: ['carriers'],
        summary:
          'Upload or replace the account’s rate table (by province: first weight, additional unit); carrier selection prices with it',
        params: AccountParams,
        body: RateTableInputSchema,
        response: { 200: WaybillAccountView },
      },
    },
    async (request) => {
      const { id: shopId, accountId } = request.params;
      await rowOr404(shopId, accountId);
      await saveWaybillAccountRates(
        db,
        shopId,
        accountId,
        rateTableRows(request.body),
        actorOf(request).name,
      );
      return answer(shopId, accountId);
    },
  );

  app.put(
    '/shops/:id/waybill-accounts/:accountId/rates/csv',
    {
      config: { roles: ['ops'] },
      schema: {
        tags: ['carriers'],
        summary:
          'Upload or replace the account’s rate table as the branch’s CSV (目的省份, 首重(kg), 首重价格(元), 续重(kg), 续重价格(元)); a bad cell is a 400 naming its line and column',
        consumes: ['text/csv'],
        params: AccountParams,
        body: z.string().max(1_000_000),
        response: { 200: WaybillAccountView },
      },
    },
    async (request) => {
      const { id: shopId, accountId } = request.params;
      await rowOr404(shopId, accountId);
      return saveParsed(request, parseRateTableCsv(request.body));
    },
  );

  app.put(
    '/shops/:id/waybill-accounts/:accountId/rates/xlsx',
    {
      config: { roles: ['ops'] },
      schema: {
        tags: ['carriers'],
        summary:
          'Upload or replace the account’s rate table as the branch’s workbook (.xlsx, first sheet with rows; the CSV’s columns); a bad cell is a 400 naming its row and column',
        consumes: [XLSX_TYPE],
        params: AccountParams,
        response: { 200: WaybillAccountView },
      },
    },
    async (request) => {
      const { id: shopId, accountId } = request.params;
      await rowOr404(shopId, accountId);
      if (!Buffer.isBuffer(request.body))
        throw invalid([{ field: 'body', problem: `send the workbook's bytes as ${XLSX_TYPE}` }]);
      return saveParsed(request, await parseRateTableXlsx(request.body));
    },
  );

  app.delete(
    '/shops/:id/waybill-accounts/:accountId/rates',
    {
      config: { roles: ['ops'] },
      schema: {
        tags: ['carriers'],
        summary: 'Remove the account’s rate table (the carrier’s contract or list prices apply again)',
        params: AccountParams,
        response: { 200: WaybillAccountView },
      },
    },
    async (request) => {
      const { id: shopId, accountId } = request.params;
      await rowOr404(shopId, accountId);
      await saveWaybillAccountRates(db, shopId, accountId, null, actorOf(request).name);
      return answer(shopId, accountId);
    },
  );

  app.delete(
    '/shops/:id/waybill-accounts/:accountId',
    {
      config: { roles: ['ops'] },
      schema: {
        tags: ['carriers'],
        summary: 'Remove a waybill account (its waybills already issued stay valid)',
        params: AccountParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const { id: shopId, accountId } = request.params;
      await rowOr404(shopId, accountId);
      await db.deleteFrom('waybill_accounts').where('id', '=', accountId).execute();
      return reply.code(204).send(null);
    },
  );
};
