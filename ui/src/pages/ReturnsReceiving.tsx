import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  message,
  type InputRef,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useSession } from '../auth/session';
import { api, ApiError, ok } from '../client/client';
import { humanAction } from '../client/human-action';
import type { Answer } from '../client/types';
import { CodeTag, Time } from '../components/format';
import { useWarehouses } from '../components/useWarehouses';
import { useLocale } from '../i18n/locale';

type ReturnParcel = Answer<'/wms/returns', 'get'>['returns'][number];

/** The columns that say what a return should bring back: the count desk and the read-only view share them. */
const expectedLineColumns = (t: ReturnType<typeof useLocale>['t']) => [
  { title: t('returns.line'), dataIndex: 'lineId' },
  { title: t('common.sku'), dataIndex: 'sku' },
  { title: t('returns.title'), dataIndex: 'title' },
  { title: t('returns.expectedQty'), dataIndex: 'quantity' },
];
type Condition = 'resaleable' | 'damaged' | 'wrong_item';
/** One case line as counted at the desk: units per condition, and why the damaged ones are. */
interface CountedLine {
  resaleable?: number | null;
  damaged?: number | null;
  damagedReason?: string;
  wrong_item?: number | null;
}
interface CountForm {
  lines: CountedLine[];
}

const CONDITIONS: Condition[] = ['resaleable', 'damaged', 'wrong_item'];
const WAREHOUSE_KEY = 'erp.returns.warehouse';
const LABEL = {
  resaleable: 'returns.resaleable',
  damaged: 'returns.damaged',
  wrong_item: 'returns.wrongItem',
} as const satisfies Record<Condition, string>;

/**
 * 退货入库: the receiving desk. A scanner types the return tracking number (or the case id written
 * on the parcel) and Enter; the desk shows the lines the case covers, the person counts each as
 * resaleable, damaged (with a reason) or wrong item, and one receipt goes to
 * `POST /wms/returns/receipts`. The case itself restocks, writes off and refunds from it.
 */
export function ReturnsReceiving() {
  const { t } = useLocale();
  const session = useSession();
  const queryClient = useQueryClient();
  const warehouses = useWarehouses();
  const scanRef = useRef<InputRef>(null);
  const [warehouse, setWarehouse] = useState<string | undefined>(
    () => localStorage.getItem(WAREHOUSE_KEY) ?? undefined,
  );
  const [scan, setScan] = useState('');
  const [scanned, setScanned] = useState<string | null>(null);
  const [stage, setStage] = useState<'expected' | 'received'>('expected');
  const mayReceive = session.can('POST', '/wms/returns/receipts');

  useEffect(() => {
    const first = warehouses.data?.warehouses[0]?.code;
    if (!warehouse && first) setWarehouse(first);
  }, [warehouse, warehouses.data]);

  const found = useQuery({
    queryKey: ['wms-returns', 'scan', scanned],
    queryFn: () => ok(api.GET('/wms/returns', { params: { query: { scan: scanned!, limit: 1 } } })),
    enabled: scanned !== null,
  });
  const list = useQuery({
    queryKey: ['wms-returns', 'list', stage],
    queryFn: () => ok(api.GET('/wms/returns', { params: { query: { stage, limit: 100 } } })),
    refetchInterval: 10_000,
  });
  const parcel = found.data?.returns[0];

  const lookUp = (value: string) => {
    const trimmed = value.trim();
    if (!trimmed) return;
    setScanned(trimmed);
    void queryClient.invalidateQueries({ queryKey: ['wms-returns', 'scan', trimmed] });
  };
  const nextParcel = () => {
    setScan('');
    setScanned(null);
    scanRef.current?.focus();
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap align="start">
          <Select
            aria-label={t('common.warehouse')}
            placeholder={t('common.warehouse')}
            style={{ width: 180 }}
            value={warehouse}
            onChange={(code: string) => (localStorage.setItem(WAREHOUSE_KEY, code), setWarehouse(code))}
            options={(warehouses.data?.warehouses ?? []).map((w) => ({ value: w.code, label: w.name }))}
          />
          <Input.Search
            ref={scanRef}
            autoFocus
            aria-label={t('returns.scan')}
            placeholder={t('returns.scan')}
            enterButton={t('common.search')}
            style={{ width: 420 }}
            value={scan}
            onChange={(e) => setScan(e.target.value)}
            onSearch={lookUp}
            loading={found.isFetching}
          />
        </Space>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {t('returns.scanHelp')}
        </Typography.Paragraph>
      </Card>
      {scanned !== null && found.error && (
        <Alert type="error" showIcon role="alert" title={found.error.message} />
      )}
      {scanned !== null && found.data && !parcel && (
        <Alert type="warning" showIcon role="alert" title={t('returns.notFound', { scan: scanned })} />
      )}
      {parcel && (
        <ParcelCard
          key={parcel.caseId}
          parcel={parcel}
          warehouse={warehouse}
          mayReceive={mayReceive}
          onReceived={async () => {
            await queryClient.invalidateQueries({ queryKey: ['wms-returns'] });
            nextParcel();
          }}
        />
      )}
      <Segmented
        aria-label={t('common.status')}
        value={stage}
        onChange={(v) => setStage(v as 'expected' | 'received')}
        options={[
          { value: 'expected', label: t('returns.expectedList') },
          { value: 'received', label: t('returns.receivedList') },
        ]}
      />
      <Table<ReturnParcel>
        size="small"
        rowKey="caseId"
        data-testid="wms-returns"
        loading={list.isPending}
        dataSource={list.data?.returns ?? []}
        pagination={{ pageSize: 20 }}
        onRow={(r) => ({
          onClick: () => (setScan(r.trackingNo ?? r.caseId), lookUp(r.trackingNo ?? r.caseId)),
          style: { cursor: 'pointer' },
        })}
        columns={[
          { title: t('returns.case'), dataIndex: 'caseId' },
          { title: t('returns.kind'), render: (_, r) => <CodeTag value={r.kind} /> },
          {
            title: t('returns.tracking'),
            render: (_, r) => (r.trackingNo ? `${r.carrierCode ?? ''} ${r.trackingNo}` : '—'),
          },
          { title: t('returns.parcelStatus'), render: (_, r) => <CodeTag value={r.status} /> },
          {
            title: t('returns.title'),
            render: (_, r) => r.lines.map((l) => `${l.sku} × ${l.quantity}`).join('，'),
          },
          { title: t('common.warehouse'), render: (_, r) => r.warehouse ?? '—' },
          { title: t('common.time'), render: (_, r) => <Time at={r.receivedAt ?? r.createdAt} /> },
        ]}
      />
    </Space>
  );
}

function ParcelCard({
  parcel,
  warehouse,
  mayReceive,
  onReceived,
}: {
  parcel: ReturnParcel;
  warehouse: string | undefined;
  mayReceive: boolean;
  onReceived: () => Promise<void>;
}) {
  const { t, errorText } = useLocale();
  const [form] = Form.useForm<CountForm>();
  const [problem, setProblem] = useState<string | null>(null);
  const counted = Form.useWatch('lines', form) ?? [];
  const awaited = parcel.status === 'awaiting_parcel' || parcel.status === 'in_transit';

  const receive = useMutation({
    mutationFn: async (values: CountForm) => {
      // Each (case line, condition) with units becomes one receipt line; `where` remembers which
      // form field it came from, so the API's answer about `lines.N` lands under that field.
      const where: { index: number; condition: Condition }[] = [];
      const lines = parcel.lines.flatMap((line, index) =>
        CONDITIONS.flatMap((condition) => {
          const qty = values.lines[index]?.[condition] ?? 0;
          if (!qty) return [];
          where.push({ index, condition });
          const reason = values.lines[index]?.damagedReason?.trim();
          return [
            {
              lineId: line.lineId,
              qty,
              condition,
              ...(condition === 'damaged' && reason ? { reason } : {}),
            },
          ];
        }),
      );
      if (lines.length === 0) throw new Error(t('returns.nothingCounted'));
      try {
        return await humanAction((headers) =>
          ok(
            api.POST('/wms/returns/receipts', {
              headers,
              body: { warehouse: warehouse ?? '', scan: parcel.trackingNo ?? parcel.caseId, lines },
            }),
          ),
        );
      } catch (err) {
        throw Object.assign(err as Error, { where });
      }
    },
    onSuccess: async (answer) => {
      setProblem(null);
      void message.success(
        t(answer.duplicate ? 'returns.duplicate' : 'returns.received', { caseId: answer.caseId }),
      );
      await onReceived();
    },
    onError: (err: Error & { where?: { index: number; condition: Condition }[] }) => {
      const unplaced: string[] = [];
      const where = err.where;
      if (err instanceof ApiError && err.problem.issues?.length) {
        const fields = err.problem.issues.flatMap((issue) => {
          const at = /^body\.lines\.(\d+)\.(\w+)/.exec(issue.field);
          const source = at ? where?.[Number(at[1])] : undefined;
          if (!at || !source) {
            unplaced.push(`${issue.field}: ${issue.problem}`);
            return [];
          }
          const field = at[2] === 'reason' ? 'damagedReason' : source.condition;
          return [{ name: ['lines', source.index, field] as never, errors: [issue.problem] }];
        });
        form.setFields(fields);
        setProblem(unplaced.length ? `${err.status} · ${unplaced.join('; ')}` : null);
      } else setProblem(errorText(err));
    },
  });

  return (
    <Card
      size="small"
      data-testid="return-parcel"
      title={
        <Space wrap>
          {t('returns.case')}
          <Link to={`/after-sales/${encodeURIComponent(parcel.caseId)}`}>{parcel.caseId}</Link>
          <CodeTag value={parcel.status} color={awaited ? 'blue' : 'green'} />
        </Space>
      }
    >
      <Descriptions size="small" column={4} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('returns.order')}>
          <Link to={`/orders/${encodeURIComponent(parcel.orderId)}`}>{parcel.orderId}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('returns.kind')}>
          <CodeTag value={parcel.kind} />
        </Descriptions.Item>
        <Descriptions.Item label={t('returns.tracking')}>
          {parcel.trackingNo ? `${parcel.carrierCode ?? ''} ${parcel.trackingNo}` : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('common.warehouse')}>
          {parcel.warehouse ?? warehouse ?? '—'}
        </Descriptions.Item>
      </Descriptions>
      {awaited && mayReceive ? (
        <Form<CountForm>
          form={form}
          initialValues={{ lines: parcel.lines.map((l) => ({ resaleable: l.quantity })) }}
          onFinish={(values) => receive.mutate(values)}
        >
          <Table
            size="small"
            rowKey="lineId"
            pagination={false}
            dataSource={parcel.lines}
            columns={[
              ...expectedLineColumns(t),
              ...CONDITIONS.map((condition) => ({
                title: t(LABEL[condition]),
                render: (_: unknown, line: ReturnParcel['lines'][number], index: number) => (
                  <Space direction="vertical" size={4}>
                    <Form.Item name={['lines', index, condition]} style={{ margin: 0 }}>
                      <InputNumber
                        min={0}
                        precision={0}
                        style={{ width: 90 }}
                        aria-label={`${line.sku} ${t(LABEL[condition])}`}
                      />
                    </Form.Item>
                    {condition === 'damaged' && (counted[index]?.damaged ?? 0) > 0 && (
                      <Form.Item name={['lines', index, 'damagedReason']} style={{ margin: 0 }}>
                        <Input
                          style={{ width: 200 }}
                          maxLength={200}
                          placeholder={t('returns.damagedReason')}
                          aria-label={`${line.sku} ${t('returns.damagedReason')}`}
                        />
                      </Form.Item>
                    )}
                  </Space>
                ),
              })),
              {
                title: '',
                render: (_: unknown, line: ReturnParcel['lines'][number], index: number) => {
                  const c = counted[index] ?? {};
                  const total = (c.resaleable ?? 0) + (c.damaged ?? 0) + (c.wrong_item ?? 0);
                  if (total < line.quantity)
                    return <Tag color="orange">{t('returns.missing', { n: line.quantity - total })}</Tag>;
                  if (total > line.quantity)
                    return <Tag color="orange">{t('returns.extra', { n: total - line.quantity })}</Tag>;
                  return <Tag color="green">✓</Tag>;
                },
              },
            ]}
          />
          {problem && <Alert type="error" showIcon role="alert" title={problem} style={{ marginTop: 8 }} />}
          <Space style={{ marginTop: 12 }}>
            <Button type="primary" htmlType="submit" loading={receive.isPending}>
              {t('returns.submit')}
            </Button>
          </Space>
        </Form>
      ) : (
        <Inspection parcel={parcel} />
      )}
    </Card>
  );
}

/** What the case found once it inspected the receipt (or the lines still to come, for other roles). */
function Inspection({ parcel }: { parcel: ReturnParcel }) {
  const { t } = useLocale();
  if (parcel.inspected.length === 0)
    return (
      <Table
        size="small"
        rowKey="lineId"
        pagination={false}
        dataSource={parcel.lines}
        columns={expectedLineColumns(t)}
      />
    );
  return (
    <Table
      size="small"
      rowKey="lineId"
      pagination={false}
      title={() => t('returns.inspected')}
      dataSource={parcel.inspected}
      columns={[
        { title: t('returns.line'), dataIndex: 'lineId' },
        { title: t('common.sku'), dataIndex: 'sku' },
        { title: t('returns.expectedQty'), dataIndex: 'expected' },
        { title: t('returns.restocked'), dataIndex: 'restocked' },
        { title: t('returns.writtenOff'), dataIndex: 'writtenOff' },
        {
          title: t('returns.held'),
          render: (_, l) => (l.held ? <Tag color="red">{l.held}</Tag> : 0),
        },
        { title: t('common.note'), render: (_, l) => l.notes ?? '' },
      ]}
    />
  );
}
