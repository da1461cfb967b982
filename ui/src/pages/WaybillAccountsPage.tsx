import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Drawer,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
  Upload,
  message,
} from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useSession } from '../auth/session';
import { api, ApiError, formFieldName, ok } from '../client/client';
import type { paths } from '../client/schema';
import type { Answer } from '../client/types';
import { CodeTag, Time } from '../components/format';
import { useShops } from '../components/useShops';
import { useWarehouses } from '../components/useWarehouses';
import { useLocale } from '../i18n/locale';
import { rejectionZh } from '../i18n/rejections';
import { reasonZh } from '../i18n/timeline';

type Account = Answer<'/shops/{id}/waybill-accounts', 'get'>['accounts'][number];
type NewAccount = NonNullable<
  paths['/shops/{id}/waybill-accounts']['post']['requestBody']
>['content']['application/json'];
type AccountPatch = NonNullable<
  paths['/shops/{id}/waybill-accounts/{accountId}']['patch']['requestBody']
>['content']['application/json'];

/** The carriers sellers draw e-waybills for most; the API takes any of its registry's codes. */
const CARRIERS: NewAccount['carrier'][] = [
  'ZTO',
  'YTO',
  'STO',
  'YUNDA',
  'JTSD',
  'SF',
  'JD',
  'EMS',
  'POSTB',
  'DBKD',
];
const SERVICES: NewAccount['service'][] = ['cainiao', 'sf', 'pdd', 'douyin'];
const SECRETS = [
  ['session', 'wba.session'],
  ['appKey', 'wba.appKey'],
  ['appSecret', 'wba.appSecret'],
] as const;
/** The warehouse picker's "every warehouse of the shop" (null in the API). */
const ALL = '*';

interface FormValues {
  carrier: NewAccount['carrier'];
  service: NewAccount['service'];
  name?: string;
  warehouseCode: string;
  branchCode?: string;
  branchName?: string;
  monthlyAccount?: string;
  productType?: string;
  priority: number;
  enabled: boolean;
  lowBalanceAt: number;
  labelSize: NewAccount['labelSize'];
  credentials?: { session?: string; appKey?: string; appSecret?: string };
}

type RateRow = NonNullable<Account['rateTable']>[number];
const yuanText = (fen: number) => (fen / 100).toFixed(2);
const kgText = (g: number) => String(Number((g / 1000).toFixed(3)));
/** The header of a branch's rate sheet, as the API reads it (docs/waybill-accounts.md). */
const RATE_HEADER = '目的省份,首重(kg),首重价格(元),续重(kg),续重价格(元)';
interface RateColumns {
  /** The weight bands' upper bounds (g), when every banded row has the same bands. */
  bands: number[];
  first: boolean;
  origin: boolean;
  city: boolean;
  surcharge: boolean;
}
/** A stored row as one line of the rate table's CSV: `浙江省,1,3.00,1,1.00` (band and optional columns as the header has them). */
const rateLine = (r: RateRow, cols: RateColumns) =>
  [
    r.province,
    ...cols.bands.map((_, n) => (r.bands ? yuanText(r.bands[n]!.fen) : '')),
    ...(cols.first
      ? r.bands && cols.bands.length
        ? ['', '']
        : [kgText(r.firstWeightG), yuanText(r.firstFen)]
      : []),
    kgText(r.additionalUnitG),
    yuanText(r.additionalFen),
    ...(cols.city ? [r.city ?? ''] : []),
    ...(cols.origin ? [r.originProvince ?? ''] : []),
    ...(cols.surcharge ? [r.surchargeFen ? yuanText(r.surchargeFen) : ''] : []),
  ].join(',');
/** A row in a line for the table's tooltip: `广东省 0-0.5kg 3.00 0.5-1kg 3.50 续重1kg 1.20`. */
const rateSummary = (r: RateRow) =>
  [
    [r.province, r.city, r.originProvince && `(${r.originProvince}发)`].filter(Boolean).join(' '),
    ...(r.bands?.length
      ? r.bands.map(
          (b, n) => `${kgText(n ? r.bands![n - 1]!.upToG : 0)}-${kgText(b.upToG)}kg ${yuanText(b.fen)}`,
        )
      : [`首重${kgText(r.firstWeightG)}kg ${yuanText(r.firstFen)}`]),
    `续重${kgText(r.additionalUnitG)}kg ${yuanText(r.additionalFen)}`,
    ...(r.surchargeFen ? [`附加费 ${yuanText(r.surchargeFen)}`] : []),
  ].join(' ');
/**
 * The stored table as the CSV the API takes back: weight bands as columns headed by their range
 * (`0-0.5kg`) when the banded rows share their bands (otherwise a banded row shows its first band as
 * its first weight), the optional columns only when some row uses them.
 */
function rateCsv(rows: readonly RateRow[]): string {
  const banded = rows.filter((r) => r.bands?.length);
  const bounds = banded[0]?.bands?.map((b) => b.upToG) ?? [];
  const same = banded.every((r) => r.bands!.map((b) => b.upToG).join() === bounds.join());
  const cols: RateColumns = {
    bands: same ? bounds : [],
    first: !same || banded.length < rows.length,
    city: rows.some((r) => r.city),
    origin: rows.some((r) => r.originProvince),
    surcharge: rows.some((r) => r.surchargeFen),
  };
  const header = [
    '目的省份',
    ...cols.bands.map((g, n) => `${kgText(n ? cols.bands[n - 1]! : 0)}-${kgText(g)}kg`),
    ...(cols.first ? ['首重(kg)', '首重价格(元)'] : []),
    '续重(kg)',
    '续重价格(元)',
    ...(cols.city ? ['目的城市'] : []),
    ...(cols.origin ? ['始发省份'] : []),
    ...(cols.surcharge ? ['偏远附加费(元)'] : []),
  ].join(',');
  return [header, ...rows.map((r) => rateLine(r, cols))].join('\n');
}

/** The media type of an Excel workbook (.xlsx): the branch's quote sent as it is. */
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** An old Excel workbook (.xls): not read; sent so the API can say to save it as .xlsx. */
const XLS_TYPE = 'application/vnd.ms-excel';

const filled = (v: string | undefined | null) => (v && v.trim() ? v.trim() : undefined);
const accountsKey = (shopId: string) => ['waybill-accounts', shopId];

/**
 * 面单账号: a shop's electronic-waybill accounts per warehouse, with their balances, states and
 * alerts; add, edit (secrets write-only), re-check the balance, remove (docs/waybill-accounts.md).
 */
export function WaybillAccountsPage() {
  const { t } = useLocale();
  const session = useSession();
  const shops = useShops();
  const warehouses = useWarehouses();
  const [params, setParams] = useSearchParams();
  const shopId = params.get('shop') ?? shops.data?.shops[0]?.id;
  const warehouse = params.get('warehouse') ?? undefined;
  const [editing, setEditing] = useState<Account | 'new' | null>(null);
  const accounts = useQuery({
    queryKey: accountsKey(shopId ?? ''),
    queryFn: () => ok(api.GET('/shops/{id}/waybill-accounts', { params: { path: { id: shopId! } } })),
    enabled: Boolean(shopId),
    refetchInterval: 15_000,
  });
  const select = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  const rows = (accounts.data?.accounts ?? []).filter(
    (a) => !warehouse || (warehouse === ALL ? a.warehouseCode === null : a.warehouseCode === warehouse),
  );
  const canAdd = session.can('POST', '/shops/:id/waybill-accounts');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('wba.title')}</Typography.Title>
      <Space wrap>
        <Select
          aria-label={t('common.shop')}
          placeholder={t('wba.pickShop')}
          showSearch
          optionFilterProp="label"
          style={{ width: 240 }}
          value={shopId}
          onChange={(v) => select('shop', v)}
          options={(shops.data?.shops ?? []).map((s) => ({ value: s.id, label: s.name }))}
        />
        <Select
          allowClear
          aria-label={t('wba.warehouse')}
          placeholder={t('wba.warehouse')}
          style={{ width: 200 }}
          value={warehouse}
          onChange={(v) => select('warehouse', v)}
          options={[
            { value: ALL, label: t('wba.allWarehouses') },
            ...(warehouses.data?.warehouses ?? []).map((w) => ({ value: w.code, label: w.name })),
          ]}
        />
        {canAdd && shopId && (
          <Button type="primary" onClick={() => setEditing('new')}>
            {t('wba.add')}
          </Button>
        )}
      </Space>
      {shopId && session.can('GET', '/alerts') && <WaybillAlerts shopId={shopId} />}
      {shopId && session.can('GET', '/shops/:id/waybill-accounts/quote') && <QuoteCard shopId={shopId} />}
      {shopId && (
        <AccountTable shopId={shopId} rows={rows} loading={accounts.isPending} onEdit={setEditing} />
      )}
      <Drawer
        open={editing !== null}
        width={560}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('wba.add') : editing?.name}
        destroyOnHidden
      >
        {editing !== null && shopId && (
          <AccountForm
            shopId={shopId}
            account={editing === 'new' ? null : editing}
            defaultWarehouse={warehouse}
            onDone={() => setEditing(null)}
          />
        )}
      </Drawer>
    </Space>
  );
}

type QuoteAsk = { warehouseCode: string; province: string; weightG: number };

/**
 * 运费试算: what carrier selection would choose now for a parcel from a warehouse to a province —
 * the carrier, the account that would issue, the price and where it comes from. Asked again when
 * the accounts or their rate tables change (its query lives under the accounts' key).
 */
function QuoteCard({ shopId }: { shopId: string }) {
  const { t, errorText, language } = useLocale();
  const warehouses = useWarehouses();
  const [warehouseCode, setWarehouseCode] = useState<string>();
  const [province, setProvince] = useState('');
  const [weightKg, setWeightKg] = useState<number | null>(1);
  const [asked, setAsked] = useState<QuoteAsk | null>(null);
  const from = warehouseCode ?? warehouses.data?.warehouses[0]?.code;
  const quote = useQuery({
    queryKey: [...accountsKey(shopId), 'quote', asked],
    queryFn: () =>
      ok(
        api.GET('/shops/{id}/waybill-accounts/quote', {
          params: { path: { id: shopId }, query: asked! },
        }),
      ),
    enabled: asked !== null,
  });
  const q = quote.data;
  return (
    <Card size="small" title={t('wba.quote')} data-testid="waybill-quote">
      <Typography.Paragraph type="secondary">{t('wba.quoteHelp')}</Typography.Paragraph>
      <Space wrap>
        <Select
          aria-label={t('wba.quoteFrom')}
          placeholder={t('wba.quoteFrom')}
          style={{ width: 200 }}
          value={from}
          onChange={setWarehouseCode}
          options={(warehouses.data?.warehouses ?? []).map((w) => ({ value: w.code, label: w.name }))}
        />
        <Input
          aria-label={t('wba.quoteProvince')}
          placeholder={t('wba.quoteProvince')}
          style={{ width: 160 }}
          value={province}
          onChange={(e) => setProvince(e.target.value)}
        />
        <InputNumber
          aria-label={t('wba.quoteWeight')}
          placeholder={t('wba.quoteWeight')}
          min={0.001}
          max={1000}
          step={0.1}
          value={weightKg}
          onChange={setWeightKg}
          addonAfter="kg"
        />
        <Button
          disabled={!from || !province.trim() || !weightKg}
          loading={quote.isFetching}
          onClick={() =>
            setAsked({
              warehouseCode: from!,
              province: province.trim(),
              weightG: Math.round(weightKg! * 1000),
            })
          }
        >
          {t('wba.quoteRun')}
        </Button>
      </Space>
      {quote.error && <Alert type="error" showIcon title={errorText(quote.error)} role="alert" />}
      {q && (
        <Space direction="vertical" style={{ marginTop: 12 }} data-testid="waybill-quote-result">
          {q.chosen ? (
            <Typography.Text strong data-testid="waybill-quote-chosen">
              {t('wba.quoteChosen', {
                carrier: q.chosen.carrier,
                price: `¥${yuanText(q.chosen.costFen)}`,
                kg: kgText(q.chosen.chargeableWeightG),
              })}
            </Typography.Text>
          ) : (
            <Typography.Text type="danger">{t('wba.quoteNone')}</Typography.Text>
          )}
          {q.chosen && (
            <Typography.Text data-testid="waybill-quote-account">
              {q.account ? t('wba.quoteAccount', { name: q.account.name }) : t('wba.quoteNoAccount')}
            </Typography.Text>
          )}
          <Typography.Text type="secondary">
            {language === 'zh' ? reasonZh(q.reason) : q.reason}
          </Typography.Text>
          {q.alternatives.length > 0 && (
            <Typography.Text>
              {t('wba.quoteOthers')}：
              {q.alternatives.map((a) => `${a.carrier} ¥${yuanText(a.costFen)}`).join('，')}
            </Typography.Text>
          )}
          {q.rejected.length > 0 && (
            <Typography.Text type="secondary" data-testid="waybill-quote-rejected">
              {t('wba.quoteRejected')}：
              {q.rejected
                .map(
                  (r) =>
                    `${r.carrier}（${r.reasons
                      .map((x) => (language === 'zh' ? rejectionZh(x) : x.message))
                      .join('；')}）`,
                )
                .join('，')}
            </Typography.Text>
          )}
        </Space>
      )}
    </Card>
  );
}

function WaybillAlerts({ shopId }: { shopId: string }) {
  const { t, alertDetail } = useLocale();
  const alerts = useQuery({
    queryKey: ['alerts', shopId],
    queryFn: () => ok(api.GET('/alerts', { params: { query: { shopId } } })),
    refetchInterval: 5_000,
  });
  const waybill = (alerts.data?.alerts ?? []).filter((a) => a.kind.startsWith('waybill_'));
  return (
    <Card size="small" title={t('wba.alerts')} data-testid="waybill-alerts">
      {waybill.length === 0 ? (
        <Typography.Text type="secondary">{t('wba.noAlerts')}</Typography.Text>
      ) : (
        <Space direction="vertical">
          {waybill.map((a) => (
            <Space key={a.id} wrap>
              <CodeTag value={a.kind} color="red" />
              <span data-testid="waybill-alert">{alertDetail(a.kind, a.message)}</span>
              <Time at={a.lastSeen} />
            </Space>
          ))}
        </Space>
      )}
    </Card>
  );
}

function AccountTable({
  shopId,
  rows,
  loading,
  onEdit,
}: {
  shopId: string;
  rows: Account[];
  loading: boolean;
  onEdit: (a: Account) => void;
}) {
  const { t, code, errorText } = useLocale();
  const session = useSession();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const path = (a: Account) => ({ params: { path: { id: shopId, accountId: a.id } } });
  const settle = {
    onError: (err: Error) => setProblem(errorText(err)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: accountsKey(shopId) }),
  };
  const check = useMutation({
    mutationFn: (a: Account) => ok(api.POST('/shops/{id}/waybill-accounts/{accountId}/check', path(a))),
    onSuccess: () => {
      setProblem(null);
      void message.success(t('wba.checked'));
      void queryClient.invalidateQueries({ queryKey: ['alerts', shopId] });
    },
    ...settle,
  });
  const remove = useMutation({
    mutationFn: (a: Account) => ok(api.DELETE('/shops/{id}/waybill-accounts/{accountId}', path(a))),
    onSuccess: () => setProblem(null),
    ...settle,
  });
  const canEdit = session.can('PATCH', '/shops/:id/waybill-accounts/:accountId');
  const canCheck = session.can('POST', '/shops/:id/waybill-accounts/:accountId/check');
  const canRemove = session.can('DELETE', '/shops/:id/waybill-accounts/:accountId');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {problem && <Alert type="error" showIcon title={problem} role="alert" />}
      <Table<Account>
        size="small"
        rowKey="id"
        data-testid="waybill-accounts"
        loading={loading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: t('wba.empty') }}
        columns={[
          { title: t('wba.name'), dataIndex: 'name' },
          { title: t('wba.carrier'), dataIndex: 'carrier' },
          { title: t('wba.service'), render: (_, a) => code(a.service) },
          { title: t('wba.warehouse'), render: (_, a) => a.warehouseCode ?? t('wba.allWarehouses') },
          {
            title: t('wba.branchName'),
            render: (_, a) => [a.branchCode, a.branchName].filter(Boolean).join(' ') || '—',
          },
          { title: t('wba.monthlyAccount'), render: (_, a) => a.monthlyAccount ?? '—' },
          { title: t('wba.priority'), dataIndex: 'priority' },
          { title: t('wba.labelSize'), render: (_, a) => (a.labelSize === '76x130' ? '76×130' : '100×150') },
          {
            title: t('wba.rates'),
            render: (_, a) =>
              a.rateTable ? (
                <Tooltip title={a.rateTable.map((r) => rateSummary(r)).join('；')}>
                  <span>{t('wba.ratesRows', { n: a.rateTable.length })}</span>
                </Tooltip>
              ) : (
                <Typography.Text type="secondary">{t('wba.ratesNone')}</Typography.Text>
              ),
          },
          {
            title: t('wba.balance'),
            render: (_, a) =>
              a.balance === null ? (
                <Typography.Text type="secondary">{t('wba.balanceUnknown')}</Typography.Text>
              ) : (
                <Tooltip title={<Time at={a.balanceCheckedAt} />}>
                  <Space size={4}>
                    <span style={{ fontVariantNumeric: 'tabular-nums' }}>{a.balance}</span>
                    {a.balance <= a.lowBalanceAt && <Tag color="orange">{t('wba.low')}</Tag>}
                  </Space>
                </Tooltip>
              ),
          },
          {
            title: t('wba.state'),
            render: (_, a) => (
              <Space size={4} wrap>
                {a.enabled ? (
                  <CodeTag value={a.state} color={a.state === 'ok' ? 'green' : 'red'} />
                ) : (
                  <Tag>
                    {t('common.no')}
                    {t('wba.enabled')}
                  </Tag>
                )}
                {a.stateReason && <Typography.Text type="danger">{a.stateReason}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t('wba.secrets'),
            render: (_, a) =>
              a.hasCredentials ? t('shops.credentialsStored') : t('shops.credentialsMissing'),
          },
          {
            title: t('common.actions'),
            render: (_, a) => (
              <Space size={0}>
                {canEdit && (
                  <Button
                    type="link"
                    size="small"
                    aria-label={`${t('wba.edit')} ${a.name}`}
                    onClick={() => onEdit(a)}
                  >
                    {t('wba.edit')}
                  </Button>
                )}
                {canCheck && (
                  <Button
                    type="link"
                    size="small"
                    aria-label={`${t('wba.check')} ${a.name}`}
                    loading={check.isPending && check.variables?.id === a.id}
                    onClick={() => check.mutate(a)}
                  >
                    {t('wba.check')}
                  </Button>
                )}
                {canRemove && (
                  <Popconfirm title={t('wba.removeConfirm')} onConfirm={() => remove.mutate(a)}>
                    <Button type="link" size="small" danger aria-label={`${t('wba.remove')} ${a.name}`}>
                      {t('wba.remove')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}

/** The body of a new account: empty fields left out, "every warehouse" as null. */
function newAccountBody(v: FormValues): NewAccount {
  const credentials = Object.fromEntries(
    Object.entries(v.credentials ?? {}).flatMap(([k, x]) => (filled(x) ? [[k, filled(x)]] : [])),
  );
  return {
    carrier: v.carrier,
    service: v.service,
    warehouseCode: v.warehouseCode === ALL ? null : v.warehouseCode,
    priority: v.priority,
    enabled: v.enabled,
    lowBalanceAt: v.lowBalanceAt,
    labelSize: v.labelSize,
    credentials,
    ...Object.fromEntries(
      (['name', 'branchCode', 'branchName', 'monthlyAccount', 'productType'] as const).flatMap((k) =>
        filled(v[k]) ? [[k, filled(v[k])]] : [],
      ),
    ),
  };
}

/**
 * What changed, as the PATCH body: only changed fields (a new branch or new secrets make the API
 * ask the service again), cleared optional fields as null, secrets only when typed.
 */
function patchBody(a: Account, v: FormValues): AccountPatch {
  const body: AccountPatch = {};
  const name = filled(v.name);
  if (name && name !== a.name) body.name = name;
  const warehouseCode = v.warehouseCode === ALL ? null : v.warehouseCode;
  if (warehouseCode !== a.warehouseCode) body.warehouseCode = warehouseCode;
  for (const k of ['branchCode', 'monthlyAccount', 'productType'] as const) {
    const next = filled(v[k]) ?? null;
    if (next !== a[k]) body[k] = next;
  }
  const branchName = filled(v.branchName);
  if (branchName && branchName !== a.branchName) body.branchName = branchName;
  if (v.priority !== a.priority) body.priority = v.priority;
  if (v.enabled !== a.enabled) body.enabled = v.enabled;
  if (v.lowBalanceAt !== a.lowBalanceAt) body.lowBalanceAt = v.lowBalanceAt;
  if (v.labelSize !== a.labelSize) body.labelSize = v.labelSize;
  const secrets = newAccountBody(v).credentials;
  if (secrets && Object.keys(secrets).length) body.credentials = secrets;
  return body;
}

function AccountForm({
  shopId,
  account,
  defaultWarehouse,
  onDone,
}: {
  shopId: string;
  account: Account | null;
  defaultWarehouse: string | undefined;
  onDone: () => void;
}) {
  const { t, code, errorText, issueText } = useLocale();
  const queryClient = useQueryClient();
  const warehouses = useWarehouses();
  const [form] = Form.useForm<FormValues>();
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (v: FormValues) =>
      account
        ? ok(
            api.PATCH('/shops/{id}/waybill-accounts/{accountId}', {
              params: { path: { id: shopId, accountId: account.id } },
              body: patchBody(account, v),
            }),
          )
        : ok(
            api.POST('/shops/{id}/waybill-accounts', {
              params: { path: { id: shopId } },
              body: newAccountBody(v),
            }),
          ),
    onSuccess: async () => {
      void message.success(t('wba.saved'));
      await queryClient.invalidateQueries({ queryKey: accountsKey(shopId) });
      onDone();
    },
    onError: (err) => {
      // A 400 naming fields (a refused session, an unknown branch) goes under those fields.
      if (err instanceof ApiError && err.problem.issues?.length) {
        setProblem(null);
        form.setFields(
          err.problem.issues.map((i) => ({ name: formFieldName(i.field) as never, errors: [issueText(i)] })),
        );
      } else setProblem(errorText(err));
    },
  });
  const initial: Partial<FormValues> = account
    ? {
        carrier: account.carrier as FormValues['carrier'],
        service: account.service,
        name: account.name,
        warehouseCode: account.warehouseCode ?? ALL,
        branchCode: account.branchCode ?? undefined,
        branchName: account.branchName ?? undefined,
        monthlyAccount: account.monthlyAccount ?? undefined,
        productType: account.productType ?? undefined,
        priority: account.priority,
        enabled: account.enabled,
        lowBalanceAt: account.lowBalanceAt,
        labelSize: account.labelSize,
      }
    : {
        carrier: 'ZTO',
        service: 'cainiao',
        warehouseCode: defaultWarehouse ?? ALL,
        priority: 100,
        enabled: true,
        lowBalanceAt: 100,
        labelSize: '100x150',
      };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Form<FormValues>
        form={form}
        layout="vertical"
        autoComplete="off"
        initialValues={initial}
        onFinish={(v) => save.mutate(v)}
        data-testid="waybill-account-form"
      >
        <Space wrap>
          <Form.Item name="carrier" label={t('wba.carrier')} rules={[{ required: true }]}>
            <Select
              disabled={account !== null}
              style={{ width: 160 }}
              options={CARRIERS.map((c) => ({ value: c, label: c }))}
            />
          </Form.Item>
          <Form.Item name="service" label={t('wba.service')} rules={[{ required: true }]}>
            <Select
              disabled={account !== null}
              style={{ width: 180 }}
              options={SERVICES.map((s) => ({ value: s, label: code(s) }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="name" label={t('wba.name')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="warehouseCode" label={t('wba.warehouse')}>
          <Select
            options={[
              { value: ALL, label: t('wba.allWarehouses') },
              ...(warehouses.data?.warehouses ?? []).map((w) => ({ value: w.code, label: w.name })),
            ]}
          />
        </Form.Item>
        <Space wrap>
          <Form.Item name="branchCode" label={t('wba.branchCode')}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="branchName" label={t('wba.branchName')}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="monthlyAccount" label={t('wba.monthlyAccount')}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="productType" label={t('wba.productType')}>
            <Input maxLength={32} />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="priority" label={t('wba.priority')}>
            <InputNumber min={0} max={10_000} />
          </Form.Item>
          <Form.Item name="lowBalanceAt" label={t('wba.lowBalanceAt')}>
            <InputNumber min={0} max={1_000_000} />
          </Form.Item>
          <Form.Item name="enabled" label={t('wba.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="labelSize" label={t('wba.labelSize')}>
            <Select
              style={{ width: 140 }}
              options={[
                { value: '100x150', label: '100×150 mm' },
                { value: '76x130', label: '76×130 mm' },
              ]}
            />
          </Form.Item>
        </Space>
        <Card size="small" title={t('wba.secrets')}>
          {account?.hasCredentials && (
            <Typography.Paragraph type="secondary">{t('wba.secretsStored')}</Typography.Paragraph>
          )}
          {SECRETS.map(([key, label]) => (
            <Form.Item key={key} name={['credentials', key]} label={t(label)}>
              <Input.Password autoComplete="new-password" visibilityToggle={false} />
            </Form.Item>
          ))}
        </Card>
        {problem && <Alert type="error" showIcon title={problem} role="alert" style={{ marginTop: 12 }} />}
        <Button htmlType="submit" type="primary" loading={save.isPending} style={{ marginTop: 12 }}>
          {t('common.save')}
        </Button>
      </Form>
      {account && <RateTableCard shopId={shopId} account={account} />}
    </Space>
  );
}

/**
 * 运费模板: the account's rate table as the branch's sheet — a workbook (.xlsx, PUT …/rates/xlsx), a
 * CSV file (UTF-8 or the GBK a Chinese Excel saves) or the text edited here (PUT …/rates/csv); a refused line is
 * shown under the field with its line and column.
 */
function RateTableCard({ shopId, account }: { shopId: string; account: Account }) {
  const { t, errorText, issueText } = useLocale();
  const session = useSession();
  const queryClient = useQueryClient();
  const [text, setText] = useState(() => (account.rateTable ? rateCsv(account.rateTable) : ''));
  const [problems, setProblems] = useState<string[]>([]);
  const path = { params: { path: { id: shopId, accountId: account.id } } };
  const settle = {
    onError: (err: Error) =>
      setProblems(
        err instanceof ApiError && err.problem.issues?.length
          ? err.problem.issues.map((i) => issueText(i))
          : [errorText(err)],
      ),
  };
  const save = useMutation({
    /** The file's bytes as they are (the API reads their encoding), or the text typed here. */
    mutationFn: (sheet: File | string) =>
      typeof sheet !== 'string' && /\.xlsx?$/i.test(sheet.name)
        ? ok(
            api.PUT('/shops/{id}/waybill-accounts/{accountId}/rates/xlsx', {
              ...path,
              body: sheet as never,
              bodySerializer: (b: unknown) => b as string,
              // An old .xls goes as what it is: the API refuses it saying to save it as .xlsx.
              headers: { 'content-type': /\.xls$/i.test(sheet.name) ? XLS_TYPE : XLSX_TYPE },
            }),
          )
        : ok(
            api.PUT('/shops/{id}/waybill-accounts/{accountId}/rates/csv', {
              ...path,
              body: sheet as string,
              bodySerializer: (b: unknown) => b as string,
              headers: { 'content-type': 'text/csv' },
            }),
          ),
    onSuccess: async (saved) => {
      setProblems([]);
      setText(saved.rateTable ? rateCsv(saved.rateTable) : '');
      void message.success(t('wba.ratesSaved'));
      await queryClient.invalidateQueries({ queryKey: accountsKey(shopId) });
    },
    ...settle,
  });
  const remove = useMutation({
    mutationFn: () => ok(api.DELETE('/shops/{id}/waybill-accounts/{accountId}/rates', path)),
    onSuccess: async () => {
      setProblems([]);
      setText('');
      void message.success(t('wba.ratesRemoved'));
      await queryClient.invalidateQueries({ queryKey: accountsKey(shopId) });
    },
    ...settle,
  });
  if (!session.can('PUT', '/shops/:id/waybill-accounts/:accountId/rates/csv')) return null;
  return (
    <Card size="small" title={t('wba.rates')} data-testid="waybill-account-rates">
      <Typography.Paragraph type="secondary">{t('wba.ratesHelp')}</Typography.Paragraph>
      <Form layout="vertical" component="div">
        <Form.Item
          label={t('wba.rates')}
          htmlFor={`rates-${account.id}`}
          validateStatus={problems.length ? 'error' : undefined}
          help={
            problems.length ? (
              <ul role="alert" style={{ margin: 0, paddingInlineStart: 16 }}>
                {problems.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            ) : undefined
          }
        >
          <Input.TextArea
            id={`rates-${account.id}`}
            rows={6}
            value={text}
            placeholder={`${RATE_HEADER}\n浙江,1,3.00,1,1.00\n*,1,8.00,1,4.00`}
            onChange={(e) => setText(e.target.value)}
          />
        </Form.Item>
      </Form>
      <Space wrap>
        <Upload
          accept={`.csv,.txt,.xlsx,.xls,text/csv,${XLSX_TYPE},${XLS_TYPE}`}
          showUploadList={false}
          beforeUpload={(file) => {
            save.mutate(file);
            return false;
          }}
        >
          <Button loading={save.isPending && typeof save.variables !== 'string'}>
            {t('wba.ratesUpload')}
          </Button>
        </Upload>
        <Button
          type="primary"
          disabled={!text.trim()}
          loading={save.isPending && typeof save.variables === 'string'}
          onClick={() => save.mutate(text)}
        >
          {t('wba.ratesSave')}
        </Button>
        {account.rateTable && (
          <Button danger loading={remove.isPending} onClick={() => remove.mutate()}>
            {t('wba.ratesRemove')}
          </Button>
        )}
      </Space>
    </Card>
  );
}
