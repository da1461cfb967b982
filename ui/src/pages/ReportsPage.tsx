import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Input,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, downloadFile, ok } from '../client/client';
import { EChart } from '../components/EChart';
import { Money } from '../components/format';
import { useShops } from '../components/useShops';
import { useLocale } from '../i18n/locale';
import { ItemsetsPanel } from './reports/ItemsetsPanel';
import { TrafficUpload } from './reports/TrafficUpload';
import type { MessageKey } from '../i18n/messages';

type Granularity = 'day' | 'week' | 'month';
interface Filter {
  from: string;
  to: string;
  shopId?: string;
}

const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`;
const yuan = (fen: number) => (fen / 100).toFixed(2);
const hours = (s: number) => (s / 3600).toFixed(1);
/** A duration nobody has measured yet (no parcel scanned or delivered in the period) reads as a dash. */
const hoursOrDash = (s: number | null) => (s === null ? '—' : hours(s));

function Change({ value }: { value: number | null | undefined }) {
  if (value === null || value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Tag color={value >= 0 ? 'green' : 'red'}>{`${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`}</Tag>
  );
}

type Report = 'sales' | 'basket' | 'efficiency';

/** A table's title with its exports (GET /reports/export, the same filters as the table): CSV and Excel. */
function ExportTitle({
  title,
  report,
  table,
  query,
}: {
  title: string;
  report: Report;
  table: string;
  query: Record<string, string | number | undefined>;
}) {
  const { t, errorText } = useLocale();
  const [problem, setProblem] = useState<string | null>(null);
  const exportAs = (format: 'csv' | 'xlsx') => {
    const params = new URLSearchParams({ report, table, format });
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    downloadFile(`/reports/export?${params.toString()}`).then(
      () => setProblem(null),
      (err: unknown) => setProblem(errorText(err)),
    );
  };
  return (
    <Space>
      <span>{title}</span>
      <Button size="small" aria-label={`${t('reports.exportCsv')} ${title}`} onClick={() => exportAs('csv')}>
        {t('reports.exportCsv')}
      </Button>
      <Button
        size="small"
        aria-label={`${t('reports.exportXlsx')} ${title}`}
        onClick={() => exportAs('xlsx')}
      >
        {t('reports.exportXlsx')}
      </Button>
      {problem && <Typography.Text type="danger">{problem}</Typography.Text>}
    </Space>
  );
}

/**
 * Today's date in China: the reports count China calendar days (Asia/Shanghai), so the default
 * period ends there whatever the browser's clock says (a browser on UTC left today's orders out
 * for eight hours a day).
 */
function chinaToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

/** 报表: sales against the previous period, basket pairs and bundles, where orders wait. */
export function ReportsPage() {
  const { t } = useLocale();
  const shops = useShops();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'sales';
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [
    dayjs(params.get('from') ?? dayjs(chinaToday()).subtract(29, 'day').format('YYYY-MM-DD')),
    dayjs(params.get('to') ?? chinaToday()),
  ]);
  const [shopId, setShopId] = useState<string | undefined>(params.get('shopId') ?? undefined);
  const filter: Filter = {
    from: range[0].format('YYYY-MM-DD'),
    to: range[1].format('YYYY-MM-DD'),
    ...(shopId ? { shopId } : {}),
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('nav.reports')}</Typography.Title>
      <Space wrap>
        <DatePicker.RangePicker
          aria-label={t('reports.period')}
          allowClear={false}
          value={range}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
        />
        <Select
          aria-label={t('reports.shop')}
          placeholder={t('reports.allShops')}
          allowClear
          style={{ width: 220 }}
          value={shopId}
          onChange={setShopId}
          options={(shops.data?.shops ?? []).map((s) => ({ value: s.id, label: s.name }))}
        />
      </Space>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams((p) => ({ ...Object.fromEntries(p), tab: key }))}
        items={[
          { key: 'sales', label: t('reports.sales'), children: <SalesTab filter={filter} /> },
          { key: 'basket', label: t('reports.basket'), children: <BasketTab filter={filter} /> },
          { key: 'efficiency', label: t('reports.efficiency'), children: <EfficiencyTab filter={filter} /> },
        ]}
      />
    </Space>
  );
}

function SalesTab({ filter }: { filter: Filter }) {
  const { t } = useLocale();
  const [granularity, setGranularity] = useState<Granularity>('day');
  const query = { ...filter, granularity, top: 10 };
  const report = useQuery({
    queryKey: ['reports', 'sales', query],
    queryFn: () => ok(api.GET('/reports/sales', { params: { query } })),
  });
  const r = report.data;
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' as const },
      // ECharts 6 puts the legend at the bottom by default, over the x axis's labels: it goes on
      // top, above the y axes' names (¥, 订单数), with room kept for both.
      legend: {
        data: [t('reports.paid'), t('reports.refunds'), t('reports.netSales'), t('reports.orders')],
        top: 0,
      },
      grid: { left: 60, right: 60, top: 60, bottom: 30 },
      xAxis: { type: 'category' as const, data: (r?.series ?? []).map((s) => s.bucket) },
      yAxis: [
        { type: 'value' as const, name: '¥' },
        { type: 'value' as const, name: t('reports.orders') },
      ],
      series: [
        {
          name: t('reports.paid'),
          type: 'bar' as const,
          data: (r?.series ?? []).map((s) => yuan(s.paidFen)),
        },
        {
          name: t('reports.refunds'),
          type: 'bar' as const,
          data: (r?.series ?? []).map((s) => yuan(s.refundFen)),
        },
        {
          name: t('reports.netSales'),
          type: 'line' as const,
          data: (r?.series ?? []).map((s) => yuan(s.netSalesFen)),
        },
        {
          name: t('reports.orders'),
          type: 'line' as const,
          yAxisIndex: 1,
          data: (r?.series ?? []).map((s) => s.paidOrders),
        },
      ],
    }),
    [r, t],
  );
  if (report.error) return <Alert type="error" message={String(report.error)} />;
  if (!r) return <Typography.Text>{t('common.loading')}</Typography.Text>;
  const cards: Array<[MessageKey, React.ReactNode, number | null | undefined]> = [
    ['reports.gmv', <Money fen={r.totals.gmvFen} />, r.change.gmvFen],
    ['reports.paid', <Money fen={r.totals.paidFen} />, r.change.paidFen],
    ['reports.refunds', <Money fen={r.totals.refundFen} />, r.change.refundFen],
    ['reports.netSales', <Money fen={r.totals.netSalesFen} />, r.change.netSalesFen],
    ['reports.orders', r.totals.paidOrders, r.change.paidOrders],
    ['reports.buyers', r.totals.payingBuyers, r.change.payingBuyers],
    ['reports.aov', r.totals.aovFen === null ? '—' : <Money fen={r.totals.aovFen} />, r.change.aovFen],
    ['reports.units', r.totals.units, r.change.units],
    ['reports.unitsPerOrder', r.totals.unitsPerOrder ?? '—', r.change.unitsPerOrder],
    ['reports.sellThrough', pct(r.sellThrough.rate), null],
    ['reports.conversion', pct(r.conversion.rate), null],
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">
        {t('reports.comparedWith', { from: r.previousPeriod.from, to: r.previousPeriod.to })}
      </Typography.Text>
      <Row gutter={[12, 12]}>
        {cards.map(([label, value, change]) => (
          <Col key={label} xs={12} md={6} xl={4}>
            <Card size="small">
              <Statistic
                title={t(label)}
                value={typeof value === 'number' ? value : undefined}
                formatter={() => value}
              />
              <Change value={change} />
            </Card>
          </Col>
        ))}
      </Row>
      {r.conversion.unknownReason && (
        <Alert
          type="info"
          showIcon
          message={
            r.conversion.missingShopDays > 0
              ? t('reports.trafficMissing', { n: r.conversion.missingShopDays })
              : t('reports.trafficNothing')
          }
        />
      )}
      <TrafficUpload />
      <Card size="small">
        <Space style={{ marginBottom: 8 }}>
          <Select
            aria-label={t('reports.granularity')}
            value={granularity}
            onChange={setGranularity}
            options={(['day', 'week', 'month'] as const).map((g) => ({
              value: g,
              label: t(`reports.by.${g}`),
            }))}
          />
        </Space>
        <EChart option={option} label={t('reports.salesChart')} />
      </Card>
      <Table
        size="small"
        rowKey="skuCode"
        title={() => (
          <ExportTitle title={t('reports.topSkus')} report="sales" table="topSkus" query={query} />
        )}
        pagination={false}
        dataSource={r.topSkus}
        columns={[
          { title: 'SKU', dataIndex: 'skuCode' },
          { title: t('reports.units'), dataIndex: 'units', align: 'right' },
          {
            title: t('reports.paid'),
            dataIndex: 'paidFen',
            align: 'right',
            render: (v: number) => <Money fen={v} />,
          },
          {
            title: t('reports.refunds'),
            dataIndex: 'refundFen',
            align: 'right',
            render: (v: number) => <Money fen={v} />,
          },
        ]}
      />
    </Space>
  );
}

function BasketTab({ filter }: { filter: Filter }) {
  const { t } = useLocale();
  const [minSupport, setMinSupport] = useState('0.001');
  const [sku, setSku] = useState('');
  const query = { ...filter, minSupport: Number(minSupport) || 0, limit: 50 };
  const basket = useQuery({
    queryKey: ['reports', 'basket', query],
    queryFn: () => ok(api.GET('/reports/basket', { params: { query } })),
  });
  const rules = (basket.data?.rules ?? []).filter((r) => !sku || r.antecedent === sku);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Input
          aria-label={t('reports.minSupport')}
          addonBefore={t('reports.minSupport')}
          style={{ width: 220 }}
          value={minSupport}
          onChange={(e) => setMinSupport(e.target.value)}
        />
        <Input.Search
          aria-label={t('reports.alsoBought')}
          placeholder={t('reports.alsoBought')}
          allowClear
          style={{ width: 260 }}
          onSearch={setSku}
        />
        {basket.data && (
          <Typography.Text type="secondary">
            {t('reports.basketOrders', { n: basket.data.orders })}
          </Typography.Text>
        )}
      </Space>
      {basket.error && <Alert type="error" message={String(basket.error)} />}
      <Table
        size="small"
        title={() => (
          <ExportTitle title={t('reports.bundles')} report="basket" table="bundles" query={query} />
        )}
        rowKey={(b) => b.skus.join('+')}
        pagination={false}
        dataSource={basket.data?.bundles ?? []}
        columns={[
          { title: 'SKU', dataIndex: 'skus', render: (s: string[]) => s.map((x) => <Tag key={x}>{x}</Tag>) },
          { title: t('reports.orders'), dataIndex: 'orders', align: 'right' },
          { title: t('reports.lift'), dataIndex: 'lift', align: 'right' },
          {
            title: t('reports.why'),
            dataIndex: 'because',
            render: (_: string, b) =>
              t('reports.because', {
                bought: b.antecedent.join(' + '),
                pct: `${Math.round(b.confidence * 100)}%`,
                also: b.consequent,
                lift: b.lift,
              }),
          },
        ]}
      />
      <Table
        size="small"
        title={() => <ExportTitle title={t('reports.pairs')} report="basket" table="rules" query={query} />}
        rowKey={(r) => `${r.antecedent}>${r.consequent}`}
        dataSource={rules}
        columns={[
          { title: 'A', dataIndex: 'antecedent' },
          { title: 'B', dataIndex: 'consequent' },
          { title: t('reports.orders'), dataIndex: 'orders', align: 'right' },
          { title: t('reports.support'), dataIndex: 'support', align: 'right', render: pct },
          { title: t('reports.confidence'), dataIndex: 'confidence', align: 'right', render: pct },
          { title: t('reports.lift'), dataIndex: 'lift', align: 'right' },
        ]}
      />
      <ItemsetsPanel filter={filter} />
    </Space>
  );
}

function EfficiencyTab({ filter }: { filter: Filter }) {
  const { t, code } = useLocale();
  const [by, setBy] = useState<'shop' | 'warehouse' | 'carrier' | undefined>();
  const query = { ...filter, ...(by ? { by } : {}) };
  const report = useQuery({
    queryKey: ['reports', 'efficiency', query],
    queryFn: () => ok(api.GET('/reports/efficiency', { params: { query } })),
  });
  const r = report.data;
  const overall = (r?.stages ?? []).filter((s) => s.key === null || !by);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' as const },
      legend: { data: ['p50', 'p90'], top: 0 },
      grid: { left: 110, right: 40, top: 36, bottom: 30 },
      yAxis: {
        type: 'category' as const,
        data: overall.map((s) => t(`reports.stage.${s.stage}` as MessageKey)),
      },
      xAxis: { type: 'value' as const, name: 'h' },
      series: [
        { name: 'p50', type: 'bar' as const, data: overall.map((s) => hours(s.p50Seconds)) },
        { name: 'p90', type: 'bar' as const, data: overall.map((s) => hours(s.p90Seconds)) },
      ],
    }),
    [overall, t],
  );
  if (report.error) return <Alert type="error" message={String(report.error)} />;
  if (!r) return <Typography.Text>{t('common.loading')}</Typography.Text>;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Row gutter={[12, 12]}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('reports.rate24h')} value={pct(r.shipping.rate24h)} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('reports.rate48h')} value={pct(r.shipping.rate48h)} />
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small">
            <Statistic
              title={t('reports.bottleneck')}
              value={
                r.bottleneck
                  ? `${t(`reports.stage.${r.bottleneck.stage}` as MessageKey)} · p90 ${hours(r.bottleneck.p90Seconds)} h`
                  : '—'
              }
            />
            {r.bottleneck && <Tag>{t(`reports.trend.${r.bottleneck.trend}` as MessageKey)}</Tag>}
          </Card>
        </Col>
      </Row>
      {!by && (
        <Card size="small">
          <EChart option={option} label={t('reports.stageChart')} />
        </Card>
      )}
      <Select
        aria-label={t('reports.splitBy')}
        placeholder={t('reports.splitBy')}
        allowClear
        style={{ width: 200 }}
        value={by}
        onChange={setBy}
        options={(['shop', 'warehouse', 'carrier'] as const).map((d) => ({
          value: d,
          label: t(`reports.dim.${d}`),
        }))}
      />
      <Table
        size="small"
        title={() => (
          <ExportTitle title={t('reports.stages')} report="efficiency" table="stages" query={query} />
        )}
        rowKey={(s) => `${s.key ?? ''}:${s.stage}`}
        pagination={false}
        dataSource={r.stages}
        columns={[
          ...(by
            ? [{ title: t(`reports.dim.${by}`), dataIndex: 'key', render: (k: string | null) => k ?? '—' }]
            : []),
          {
            title: t('reports.stageName'),
            dataIndex: 'stage',
            render: (s: string) => t(`reports.stage.${s}` as MessageKey),
          },
          { title: t('reports.orders'), dataIndex: 'orders', align: 'right' as const },
          { title: 'p50 (h)', dataIndex: 'p50Seconds', align: 'right' as const, render: hours },
          { title: 'p90 (h)', dataIndex: 'p90Seconds', align: 'right' as const, render: hours },
          { title: 'p99 (h)', dataIndex: 'p99Seconds', align: 'right' as const, render: hours },
          { title: t('reports.waitingNow'), dataIndex: 'waitingNow', align: 'right' as const },
        ]}
      />
      <Table
        size="small"
        title={() => (
          <ExportTitle title={t('reports.holds')} report="efficiency" table="holds" query={query} />
        )}
        rowKey="reason"
        pagination={false}
        dataSource={r.holds}
        columns={[
          { title: t('reports.reason'), dataIndex: 'reason', render: (v: string) => code(v) },
          { title: t('reports.orders'), dataIndex: 'holds', align: 'right' },
          { title: t('reports.open'), dataIndex: 'open', align: 'right' },
          { title: 'p50 (h)', dataIndex: 'p50Seconds', align: 'right', render: hours },
          { title: 'p90 (h)', dataIndex: 'p90Seconds', align: 'right', render: hours },
        ]}
      />
      <Table
        size="small"
        title={() => (
          <ExportTitle title={t('reports.carriers')} report="efficiency" table="carriers" query={query} />
        )}
        rowKey={(c) => `${c.carrier}:${c.province ?? ''}`}
        pagination={false}
        dataSource={r.carriers}
        columns={[
          { title: t('reports.dim.carrier'), dataIndex: 'carrier' },
          { title: t('reports.province'), dataIndex: 'province', render: (p: string | null) => p ?? '—' },
          { title: t('reports.orders'), dataIndex: 'orders', align: 'right' },
          { title: t('reports.delivered'), dataIndex: 'delivered', align: 'right' },
          {
            title: `${t('reports.toFirstScan')} p50 (h)`,
            dataIndex: 'handoverToScanP50Seconds',
            align: 'right',
            render: hoursOrDash,
          },
          {
            title: `${t('reports.toDelivered')} p50 (h)`,
            dataIndex: 'handoverToDeliveredP50Seconds',
            align: 'right',
            render: hoursOrDash,
          },
          {
            title: `${t('reports.toDelivered')} p90 (h)`,
            dataIndex: 'handoverToDeliveredP90Seconds',
            align: 'right',
            render: hoursOrDash,
          },
        ]}
      />
    </Space>
  );
}
