import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, InputNumber, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../client/client';
import { useLocale } from '../../i18n/locale';
import type { MessageKey } from '../../i18n/messages';

interface Filter {
  from: string;
  to: string;
  shopId?: string;
}

/** While a run mines, its progress is read again this often; a finished run is not polled. */
const MINING_POLL_MS = 2_000;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const skuTags = (skus: string[]) => skus.map((s) => <Tag key={s}>{s}</Tag>);

/**
 * 多商品组合: itemsets of three SKUs and more over the chosen period and shop, mined in the
 * background (POST /reports/basket/itemsets, FP-growth as a Temporal activity) and read back while
 * it runs; pairs stay exact in the tables above. Past runs stay listed so a long year's mining is
 * read when it is done rather than waited for.
 */
export function ItemsetsPanel({ filter }: { filter: Filter }) {
  const { t, errorText } = useLocale();
  const queryClient = useQueryClient();
  const [minOrders, setMinOrders] = useState(2);
  const [maxSize, setMaxSize] = useState(4);
  const [openRun, setOpenRun] = useState<string | null>(null);

  const runs = useQuery({
    queryKey: ['reports', 'itemset-runs'],
    queryFn: () => ok(api.GET('/reports/basket/itemsets')),
    refetchInterval: (q) => (q.state.data?.runs.some((r) => r.status === 'running') ? MINING_POLL_MS : false),
  });
  const shownRun = openRun ?? runs.data?.runs[0]?.runId ?? null;
  const run = useQuery({
    queryKey: ['reports', 'itemset-run', shownRun],
    enabled: shownRun !== null,
    queryFn: () =>
      ok(
        api.GET('/reports/basket/itemsets/{runId}', {
          params: { path: { runId: shownRun! }, query: { minSize: 3 } },
        }),
      ),
    refetchInterval: (q) => (q.state.data?.run.status === 'running' ? MINING_POLL_MS : false),
  });
  const mine = useMutation({
    mutationFn: () => ok(api.POST('/reports/basket/itemsets', { body: { ...filter, minOrders, maxSize } })),
    onSuccess: async ({ runId }) => {
      setOpenRun(runId);
      await queryClient.invalidateQueries({ queryKey: ['reports', 'itemset-runs'] });
    },
  });

  const shown = run.data;
  return (
    <Card size="small" title={t('itemsets.title')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('itemsets.help')}</Typography.Text>
        <Space wrap>
          <InputNumber
            aria-label={t('itemsets.minOrders')}
            addonBefore={t('itemsets.minOrders')}
            min={2}
            precision={0}
            value={minOrders}
            onChange={(v) => setMinOrders(v ?? 2)}
          />
          <Select
            aria-label={t('itemsets.maxSize')}
            style={{ width: 160 }}
            value={maxSize}
            onChange={setMaxSize}
            options={[3, 4, 5, 6].map((n) => ({ value: n, label: `${t('itemsets.maxSize')} ${n}` }))}
          />
          <Button type="primary" loading={mine.isPending} onClick={() => mine.mutate()}>
            {t('itemsets.mine')}
          </Button>
          {mine.error && <Typography.Text type="danger">{errorText(mine.error)}</Typography.Text>}
        </Space>
        {runs.error && <Alert type="error" message={errorText(runs.error)} />}
        <Table
          size="small"
          title={() => t('itemsets.runs')}
          rowKey="runId"
          pagination={{ pageSize: 5, hideOnSinglePage: true }}
          dataSource={runs.data?.runs ?? []}
          rowClassName={(r) => (r.runId === shownRun ? 'ant-table-row-selected' : '')}
          columns={[
            {
              title: t('itemsets.period'),
              render: (_: unknown, r) => `${r.period.from} ~ ${r.period.to}`,
            },
            {
              title: t('reports.shop'),
              render: (_: unknown, r) => r.shopIds?.join(', ') ?? t('reports.allShops'),
            },
            { title: t('itemsets.minOrders'), dataIndex: 'minOrders', align: 'right' },
            {
              title: t('itemsets.status'),
              render: (_: unknown, r) => (
                <Tag color={r.status === 'done' ? 'green' : r.status === 'failed' ? 'red' : 'blue'}>
                  {t(`itemsets.status.${r.status}` as MessageKey)}
                </Tag>
              ),
            },
            { title: t('itemsets.requestedBy'), dataIndex: 'requestedBy' },
            {
              title: t('itemsets.startedAt'),
              dataIndex: 'startedAt',
              render: (at: string) => new Date(at).toLocaleString(),
            },
            {
              title: t('itemsets.open'),
              render: (_: unknown, r) => (
                <Button
                  size="small"
                  aria-label={`${t('itemsets.open')} ${r.runId}`}
                  onClick={() => setOpenRun(r.runId)}
                >
                  {t('itemsets.open')}
                </Button>
              ),
            },
          ]}
        />
        {run.error && <Alert type="error" message={errorText(run.error)} />}
        {shown && shown.run.status === 'running' && (
          <Progress
            aria-label={t('itemsets.status.running')}
            percent={
              shown.run.itemsTotal ? Math.round((shown.run.itemsMined / shown.run.itemsTotal) * 100) : 0
            }
            format={() =>
              t('itemsets.progress', { mined: shown.run.itemsMined, total: shown.run.itemsTotal ?? '…' })
            }
          />
        )}
        {shown?.run.status === 'failed' && <Alert type="error" message={shown.run.error ?? ''} />}
        {shown?.run.status === 'done' && (
          <>
            <Table
              size="small"
              title={() => `${t('itemsets.sets')} · ${t('itemsets.baskets', { n: shown.run.baskets ?? 0 })}`}
              rowKey={(s) => s.skus.join('+')}
              pagination={false}
              locale={{ emptyText: t('itemsets.none') }}
              dataSource={shown.itemsets}
              columns={[
                { title: 'SKU', dataIndex: 'skus', render: skuTags },
                { title: t('reports.orders'), dataIndex: 'orders', align: 'right' },
                { title: t('reports.support'), dataIndex: 'support', align: 'right', render: pct },
              ]}
            />
            <Table
              size="small"
              title={() => t('itemsets.rules')}
              rowKey={(r) => `${r.antecedent.join('+')}>${r.consequent}`}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              dataSource={shown.rules}
              columns={[
                { title: t('itemsets.ifBought'), dataIndex: 'antecedent', render: skuTags },
                { title: t('itemsets.alsoBuys'), dataIndex: 'consequent' },
                { title: t('reports.orders'), dataIndex: 'orders', align: 'right' },
                { title: t('reports.confidence'), dataIndex: 'confidence', align: 'right', render: pct },
                { title: t('reports.lift'), dataIndex: 'lift', align: 'right' },
              ]}
            />
          </>
        )}
      </Space>
    </Card>
  );
}
