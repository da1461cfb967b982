import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { humanAction } from '../client/human-action';
import {
  Alert,
  Button,
  Card,
  Drawer,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  message,
} from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ApiError, formFieldName, ok, openFile } from '../client/client';
import type { Answer } from '../client/types';
import { useSession } from '../auth/session';
import { CodeTag, Time } from '../components/format';
import { useWarehouses } from '../components/useWarehouses';
import { useLocale } from '../i18n/locale';
import { ReturnsReceiving } from './ReturnsReceiving';

type Exception = Answer<'/wms/exceptions', 'get'>['exceptions'][number];
type Wave = Answer<'/wms/waves', 'get'>['waves'][number];

/** 仓库: waves with their pick lists and pack tasks, pick exceptions, handover, stock and ledger. */
export function WarehousePage() {
  const { t } = useLocale();
  const [params, setParams] = useSearchParams();
  const session = useSession();
  const tab = params.get('tab') ?? 'exceptions';
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('warehouse.title')}</Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key })}
        items={[
          { key: 'exceptions', label: t('warehouse.exceptions'), children: <Exceptions /> },
          { key: 'waves', label: t('warehouse.waves'), children: <Waves /> },
          { key: 'handover', label: t('warehouse.handover'), children: <Handover /> },
          ...(session.can('GET', '/wms/returns')
            ? [{ key: 'returns', label: t('returns.tab'), children: <ReturnsReceiving /> }]
            : []),
          { key: 'stock', label: t('warehouse.stock'), children: <Stock /> },
        ]}
      />
    </Space>
  );
}

function Exceptions() {
  const { t, code, errorText, issueText } = useLocale();
  const session = useSession();
  const queryClient = useQueryClient();
  const warehouses = useWarehouses();
  const [status, setStatus] = useState<'open' | 'resolved' | undefined>('open');
  const [warehouse, setWarehouse] = useState<string | undefined>();
  const [resolving, setResolving] = useState<Exception | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [form] = Form.useForm<{ resolution: string }>();
  const list = useQuery({
    queryKey: ['wms-exceptions', status, warehouse],
    queryFn: () =>
      ok(
        api.GET('/wms/exceptions', {
          params: {
            query: { limit: 200, ...(status ? { status } : {}), ...(warehouse ? { warehouse } : {}) },
          },
        }),
      ),
    refetchInterval: 10_000,
  });
  const resolve = useMutation({
    mutationFn: (v: { id: number; resolution: string }) =>
      ok(
        api.POST('/wms/exceptions/{id}/resolve', {
          params: { path: { id: v.id } },
          body: { resolution: v.resolution },
        }),
      ),
    onSuccess: async () => {
      setResolving(null);
      setProblem(null);
      void message.success(t('warehouse.resolved'));
      await queryClient.invalidateQueries({ queryKey: ['wms-exceptions'] });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.problem.issues?.length) {
        form.setFields(
          err.problem.issues.map((i) => ({ name: formFieldName(i.field) as never, errors: [issueText(i)] })),
        );
      } else setProblem(errorText(err));
    },
  });
  const canResolve = session.can('POST', '/wms/exceptions/:id/resolve');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          aria-label={t('common.status')}
          allowClear
          style={{ width: 120 }}
          value={status}
          onChange={setStatus}
          options={[
            { value: 'open', label: t('warehouse.open') },
            { value: 'resolved', label: t('warehouse.resolved') },
          ]}
        />
        <Select
          aria-label={t('common.warehouse')}
          placeholder={t('common.warehouse')}
          allowClear
          style={{ width: 160 }}
          value={warehouse}
          onChange={setWarehouse}
          options={(warehouses.data?.warehouses ?? []).map((w) => ({ value: w.code, label: w.name }))}
        />
      </Space>
      <Table<Exception>
        size="small"
        rowKey="id"
        data-testid="wms-exceptions"
        loading={list.isPending}
        dataSource={list.data?.exceptions ?? []}
        pagination={{ pageSize: 50 }}
        columns={[
          { title: '#', dataIndex: 'id' },
          { title: t('common.status'), render: (_, e) => <CodeTag value={e.kind} color="red" /> },
          { title: t('common.warehouse'), dataIndex: 'warehouse' },
          { title: t('common.sku'), dataIndex: 'sku' },
          { title: t('warehouse.bin'), dataIndex: 'bin' },
          { title: t('common.qty'), dataIndex: 'qty' },
          {
            title: t('order.detail'),
            render: (_, e) => <Link to={`/orders/${encodeURIComponent(e.orderId)}`}>{e.orderId}</Link>,
          },
          { title: t('warehouse.parcel'), dataIndex: 'parcelId' },
          { title: t('common.time'), render: (_, e) => <Time at={e.createdAt} /> },
          {
            title: t('common.actions'),
            render: (_, e) =>
              e.status === 'open' ? (
                canResolve ? (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => (form.resetFields(), setProblem(null), setResolving(e))}
                  >
                    {t('warehouse.resolve')}
                  </Button>
                ) : (
                  <CodeTag value="open" />
                )
              ) : (
                <Space>
                  <CodeTag value={e.status} />
                  {e.resolution}
                </Space>
              ),
          },
        ]}
      />
      <Modal
        open={resolving !== null}
        title={`${t('warehouse.resolve')} #${resolving?.id ?? ''} · ${code(resolving?.kind)} · ${resolving?.sku ?? ''}`}
        okText={t('warehouse.resolve')}
        okButtonProps={{ loading: resolve.isPending }}
        onOk={() => form.submit()}
        onCancel={() => setResolving(null)}
        destroyOnHidden
      >
        {problem && <Alert type="error" showIcon title={problem} role="alert" style={{ marginBottom: 8 }} />}
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => resolving && resolve.mutate({ id: resolving.id, resolution: v.resolution })}
        >
          <Form.Item
            label={t('warehouse.resolution')}
            name="resolution"
            extra={t('warehouse.resolutionHelp')}
            rules={[{ required: true, whitespace: true, message: t('warehouse.resolutionHelp') }]}
          >
            <Input.TextArea autoFocus rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

function Waves() {
  const { t, errorText } = useLocale();
  const session = useSession();
  const warehouses = useWarehouses();
  const [warehouse, setWarehouse] = useState<string | undefined>();
  const [open, setOpen] = useState<string | null>(null);
  const [flushProblem, setFlushProblem] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const flush = useMutation({
    mutationFn: (code: string) => ok(api.POST('/wms/waves/flush', { body: { warehouse: code } })),
    onSuccess: async (answer) => {
      setFlushProblem(null);
      void message.success(t('warehouse.waveFlushed', { n: answer.orders }));
      await queryClient.invalidateQueries({ queryKey: ['waves'] });
    },
    onError: (err) => setFlushProblem(errorText(err)),
  });
  const waves = useQuery({
    queryKey: ['waves', warehouse],
    queryFn: () =>
      ok(api.GET('/wms/waves', { params: { query: { limit: 100, ...(warehouse ? { warehouse } : {}) } } })),
    refetchInterval: 10_000,
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          aria-label={t('common.warehouse')}
          placeholder={t('common.warehouse')}
          allowClear
          style={{ width: 160 }}
          value={warehouse}
          onChange={setWarehouse}
          options={(warehouses.data?.warehouses ?? []).map((w) => ({ value: w.code, label: w.name }))}
        />
        {session.can('POST', '/wms/waves/flush') && (
          <Button
            disabled={!warehouse}
            title={warehouse ? undefined : t('warehouse.flushWaveHelp')}
            loading={flush.isPending}
            onClick={() => warehouse && flush.mutate(warehouse)}
          >
            {t('warehouse.flushWave')}
          </Button>
        )}
      </Space>
      {flushProblem && <Alert type="error" showIcon title={flushProblem} />}
      <Table<Wave>
        size="small"
        rowKey="waveId"
        loading={waves.isPending}
        dataSource={waves.data?.waves ?? []}
        pagination={{ pageSize: 50 }}
        onRow={(w) => ({ onClick: () => setOpen(w.waveId), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('warehouse.waves'), dataIndex: 'waveId' },
          { title: t('common.warehouse'), dataIndex: 'warehouse' },
          { title: t('common.status'), render: (_, w) => <CodeTag value={w.status} /> },
          { title: t('warehouse.parcel'), dataIndex: 'parcels' },
          { title: t('warehouse.units'), dataIndex: 'units' },
          { title: t('common.time'), render: (_, w) => <Time at={w.createdAt} /> },
        ]}
      />
      <Drawer open={open !== null} width={900} onClose={() => setOpen(null)} title={open} destroyOnHidden>
        {open && <WaveDetail waveId={open} canLabels={session.can('GET', '/wms/waves/:id/labels.pdf')} />}
      </Drawer>
    </Space>
  );
}

function WaveDetail({ waveId, canLabels }: { waveId: string; canLabels: boolean }) {
  const { t, errorText } = useLocale();
  const [problem, setProblem] = useState<string | null>(null);
  const wave = useQuery({
    queryKey: ['wave', waveId],
    queryFn: () => ok(api.GET('/wms/waves/{id}', { params: { path: { id: waveId } } })),
    refetchInterval: 10_000,
  });
  const open = (path: string) => openFile(path).catch((err: unknown) => setProblem(errorText(err)));
  if (!wave.data) return null;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {problem && <Alert type="error" showIcon title={problem} />}
      <Space>
        <Button onClick={() => void open(`/wms/waves/${encodeURIComponent(waveId)}/pick-list.pdf`)}>
          {t('warehouse.pickListPdf')}
        </Button>
        {canLabels && (
          <Button onClick={() => void open(`/wms/waves/${encodeURIComponent(waveId)}/labels.pdf`)}>
            {t('warehouse.labelsPdf')}
          </Button>
        )}
      </Space>
      <Typography.Title level={5}>{t('warehouse.pickList')}</Typography.Title>
      <Table
        size="small"
        rowKey="seq"
        pagination={false}
        dataSource={wave.data.pickList}
        columns={[
          { title: '#', dataIndex: 'seq' },
          { title: t('warehouse.bin'), dataIndex: 'bin' },
          { title: t('common.sku'), dataIndex: 'sku' },
          { title: t('common.qty'), dataIndex: 'qty' },
          { title: '✓', dataIndex: 'picked' },
          {
            title: '短',
            render: (_, l) => (l.short || l.damaged ? <Tag color="red">{l.short + l.damaged}</Tag> : 0),
          },
        ]}
      />
      <Typography.Title level={5}>{t('warehouse.packTasks')}</Typography.Title>
      <Table
        size="small"
        rowKey="parcelId"
        pagination={false}
        dataSource={wave.data.packTasks}
        columns={[
          { title: t('warehouse.parcel'), dataIndex: 'parcelId' },
          { title: t('common.status'), render: (_, p) => <CodeTag value={p.status} /> },
          { title: t('order.detail'), render: (_, p) => p.orderIds.join(', ') },
          { title: 'g', dataIndex: 'estimatedWeightG' },
        ]}
      />
    </Space>
  );
}

function Handover() {
  const { t, errorText } = useLocale();
  const session = useSession();
  const [form] = Form.useForm<{ parcelId: string }>();
  const [done, setDone] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const handover = useMutation({
    mutationFn: (parcelId: string) =>
      humanAction((headers) => ok(api.POST('/wms/handovers', { headers, body: { parcelId } }))),
    onSuccess: (_, parcelId) => {
      setProblem(null);
      setDone((d) => [parcelId, ...d].slice(0, 20));
      form.resetFields();
    },
    onError: (err) => setProblem(errorText(err)),
  });
  if (!session.can('POST', '/wms/handovers'))
    return <Alert type="info" title={t('warehouse.handoverScan')} />;
  return (
    <Card size="small">
      <Form form={form} layout="inline" onFinish={(v) => handover.mutate(v.parcelId.trim())}>
        <Form.Item
          label={t('warehouse.handoverScan')}
          name="parcelId"
          rules={[{ required: true, whitespace: true }]}
        >
          <Input autoFocus style={{ width: 280 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={handover.isPending}>
          {t('common.submit')}
        </Button>
      </Form>
      {problem && <Alert type="error" showIcon title={problem} role="alert" style={{ marginTop: 8 }} />}
      {done.map((p) => (
        <div key={p}>
          <Tag color="green">{t('warehouse.handoverDone')}</Tag> {p}
        </div>
      ))}
    </Card>
  );
}

function Stock() {
  const { t, code } = useLocale();
  const warehouses = useWarehouses();
  const [warehouse, setWarehouse] = useState<string | undefined>();
  const [sku, setSku] = useState<string>('');
  const [ledgerFor, setLedgerFor] = useState<{ warehouse: string; sku: string } | null>(null);
  const stock = useQuery({
    queryKey: ['stock', warehouse, sku],
    queryFn: () =>
      ok(
        api.GET('/stock', {
          params: { query: { limit: 200, ...(warehouse ? { warehouse } : {}), ...(sku ? { sku } : {}) } },
        }),
      ),
  });
  const ledger = useQuery({
    queryKey: ['ledger', ledgerFor],
    queryFn: () => ok(api.GET('/stock/ledger', { params: { query: { limit: 100, ...ledgerFor! } } })),
    enabled: ledgerFor !== null,
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          aria-label={t('common.warehouse')}
          placeholder={t('common.warehouse')}
          allowClear
          style={{ width: 160 }}
          value={warehouse}
          onChange={setWarehouse}
          options={(warehouses.data?.warehouses ?? []).map((w) => ({ value: w.code, label: w.name }))}
        />
        <Input.Search
          aria-label={t('common.sku')}
          placeholder={t('common.sku')}
          allowClear
          onSearch={(v) => setSku(v.trim())}
          style={{ width: 200 }}
        />
      </Space>
      <Table
        size="small"
        rowKey={(r) => `${r.warehouse}/${r.sku}`}
        loading={stock.isPending}
        dataSource={stock.data?.stock ?? []}
        pagination={{ pageSize: 50 }}
        onRow={(r) => ({
          onClick: () => setLedgerFor({ warehouse: r.warehouse, sku: r.sku }),
          style: { cursor: 'pointer' },
        })}
        columns={[
          { title: t('common.warehouse'), dataIndex: 'warehouse' },
          { title: t('common.sku'), dataIndex: 'sku' },
          { title: t('warehouse.onHand'), dataIndex: 'onHand' },
          { title: t('warehouse.reserved'), dataIndex: 'reserved' },
          {
            title: t('warehouse.available'),
            render: (_, r) => <Tag color={r.available > 0 ? 'green' : 'red'}>{r.available}</Tag>,
          },
          { title: t('common.time'), render: (_, r) => <Time at={r.updatedAt} /> },
        ]}
      />
      <Drawer
        open={ledgerFor !== null}
        width={820}
        onClose={() => setLedgerFor(null)}
        title={`${t('warehouse.ledger')} · ${ledgerFor?.warehouse ?? ''} · ${ledgerFor?.sku ?? ''}`}
      >
        <Table
          size="small"
          rowKey="id"
          loading={ledger.isPending}
          dataSource={ledger.data?.movements ?? []}
          pagination={false}
          columns={[
            { title: t('common.time'), render: (_, m) => <Time at={m.at} /> },
            { title: t('common.status'), render: (_, m) => code(m.kind) },
            { title: t('warehouse.onHand'), dataIndex: 'onHandDelta' },
            { title: t('warehouse.reserved'), dataIndex: 'reservedDelta' },
            { title: t('order.detail'), dataIndex: 'orderId' },
            { title: 'actor', dataIndex: 'actor' },
            { title: t('common.note'), render: (_, m) => m.reason ?? m.reference },
          ]}
        />
      </Drawer>
    </Space>
  );
}
