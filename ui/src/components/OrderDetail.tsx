import { LinkOutlined, LockOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Collapse,
  Descriptions,
  Empty,
  Form,
  Input,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api, ok } from '../client/client';
import type { OrderDetail as Detail } from '../client/types';
import { useSession } from '../auth/session';
import { useLocale } from '../i18n/locale';
import { exceptionText } from '../i18n/exceptions';
import { holdText } from '../i18n/hold-reasons';
import { actorName, detailFieldZh, detailValueZh, timelineEventName } from '../i18n/timeline';
import { PendingNote, useAnswerLater } from './AnswerLater';
import { CodeTag, Countdown, Money, Time } from './format';
import { LostParcels } from './LostParcels';
import { RefreshFailed } from './RefreshFailed';
import { TrackingEvents } from './TrackingEvents';
import { DecisionStatus, ReviewActions, useReviewDecision, type ReviewDecision } from './ReviewActions';

const FLAGS = [
  'urgent',
  'gift',
  'vip',
  'fragile',
  'cold_chain',
  'custom_made',
  'invoice',
  'cross_border',
  'large_order',
  'remark',
];

/** One order, live: what it waits for, its holds, parcels, timeline, and what the caller may do. */
export function OrderDetail({
  orderId,
  keyboard = false,
  onDecided,
}: {
  orderId: string;
  keyboard?: boolean;
  onDecided?: (orderId: string) => void;
}) {
  const { t } = useLocale();
  const query = useQuery({
    queryKey: ['order', orderId],
    queryFn: () => ok(api.GET('/orders/{id}', { params: { path: { id: orderId } } })),
    refetchInterval: 5_000,
  });
  // A review decision outlives the live state it was made from (lost while the worker is busy).
  const decision = useReviewDecision(orderId, onDecided);
  if (query.isPending) return <Spin />;
  if (query.isError && !query.data) {
    return (
      <>
        <DecisionStatus decision={decision} />
        <Alert type="error" showIcon title={t('order.notFound')} description={query.error.message} />
      </>
    );
  }
  return (
    <>
      <RefreshFailed error={query.error} />
      <DetailView detail={query.data} keyboard={keyboard} decision={decision} />
    </>
  );
}

function DetailView({
  detail,
  keyboard,
  decision,
}: {
  detail: Detail;
  keyboard: boolean;
  decision: ReviewDecision;
}) {
  const { t, code, language, platform, waitingText } = useLocale();
  const { order, state } = detail;
  const receiver = (order.effective_receiver ?? order.receiver) as Record<string, string | undefined>;
  const openHolds = (state?.holds ?? []).filter((h) => h.clearedAt === null);
  const ended = order.status === 'completed' || order.status === 'cancelled';
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="order-detail">
      <Card
        size="small"
        title={
          <Space wrap>
            <Typography.Text strong copyable>
              {order.platform_order_id}
            </Typography.Text>
            <CodeTag value={order.status} />
            <Tag>{platform(order.platform)}</Tag>
            <Tag>{order.shop_id}</Tag>
            {order.order_type !== 'normal' && <CodeTag value={order.order_type} color="purple" />}
            {order.locked && (
              <Tag icon={<LockOutlined />} color="red">
                {t('order.locked')}
              </Tag>
            )}
            {order.flags.map((f) => (
              <CodeTag key={f} value={f} color="gold" />
            ))}
          </Space>
        }
        extra={
          <a href={detail.temporal.url} target="_blank" rel="noreferrer" data-testid="temporal-link">
            <LinkOutlined /> {t('order.temporal')}
          </a>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={t('order.id')}>
            <Typography.Text copyable style={{ fontSize: 12 }}>
              {order.id}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('order.waitingFor')}>
            <span data-testid="waiting-for">
              {ended
                ? t('order.ended')
                : state
                  ? (waitingText(state) ?? t('order.moving'))
                  : t('order.stateUnavailable')}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('order.nextDeadline')}>
            {state?.nextDeadline ? (
              <Space>
                {code(state.nextDeadline.kind)}
                <Countdown at={state.nextDeadline.at} />
              </Space>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('order.buyer')}>{order.buyer_nick ?? order.buyer_id}</Descriptions.Item>
          <Descriptions.Item label={t('order.receiver')}>
            {[receiver.name, receiver.phone].filter(Boolean).join(' ')}
            <br />
            {[receiver.province, receiver.city, receiver.district, receiver.detail].filter(Boolean).join(' ')}
          </Descriptions.Item>
          <Descriptions.Item label={t('order.amount')}>
            <Money fen={order.paid_fen} />
          </Descriptions.Item>
          <Descriptions.Item label={t('order.shipBy')}>
            <Time at={state?.shipBy?.at ?? null} />
          </Descriptions.Item>
          {order.buyer_remark && (
            <Descriptions.Item label={t('order.remark')}>
              {order.buyer_remark}
              {order.buyer_remark_translation && (
                <>
                  <br />
                  <Typography.Text type="secondary">
                    {t('order.remarkTranslation')} ({order.buyer_remark_translation.provider}):{' '}
                    {order.buyer_remark_translation.text}
                  </Typography.Text>
                </>
              )}
            </Descriptions.Item>
          )}
          {order.internal_memo && (
            <Descriptions.Item label={t('order.memos')}>{order.internal_memo}</Descriptions.Item>
          )}
        </Descriptions>
        {/* An ended order waits for nothing: its workflow's state is not worth a warning when the
            query of a closed workflow (a replay of its whole history) does not answer in time. */}
        {detail.stateError && !ended && (
          <Alert
            type="warning"
            showIcon
            title={t('order.stateUnavailable')}
            description={
              <span title={detail.stateError}>
                {language === 'zh' ? t('order.stateRetry') : detail.stateError}
              </span>
            }
          />
        )}
      </Card>

      {openHolds.length > 0 && (
        <Card size="small" title={t('order.holds')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            {openHolds.map((h) => (
              <div key={h.key}>
                <Space wrap>
                  <Tag color="orange">{code(`stage.${h.stage}`)}</Tag>
                  <Typography.Text strong>{code(h.reason)}</Typography.Text>
                  <Typography.Text type="secondary" data-testid="hold-text">
                    {holdText(h, language)}
                  </Typography.Text>
                  <Tag>{code(h.clearedBy)}</Tag>
                </Space>
              </div>
            ))}
            <ReviewActions detail={detail} decision={decision} keyboard={keyboard} />
          </Space>
        </Card>
      )}
      {/* Without its holds (the live state lost, or the order decided) a decision on its way still
          says 处理中, and its outcome shows here when it arrives. */}
      {openHolds.length === 0 && <DecisionStatus decision={decision} />}

      <LostParcels orderId={order.id} parcels={state?.parcels ?? []} />

      <ServiceActions detail={detail} />

      <Card size="small" title={t('order.lines')}>
        <Table
          size="small"
          pagination={false}
          rowKey="line_id"
          dataSource={detail.lines}
          columns={[
            { title: t('common.sku'), dataIndex: 'sku_code' },
            { title: '', dataIndex: 'title' },
            { title: t('common.qty'), dataIndex: 'quantity' },
            { title: '¥', render: (_, l) => <Money fen={l.unit_price_fen} /> },
          ]}
        />
      </Card>

      <Parcels orderId={order.id} />

      <Card size="small" title={t('order.timeline')}>
        <Timeline
          data-testid="timeline"
          items={[...detail.timeline].reverse().map((e) => ({
            key: `${e.seq}:${e.stage}:${e.at}`,
            color: e.status === 'held' ? 'orange' : e.status === 'cancelled' ? 'gray' : 'blue',
            children: (
              <div>
                <Space wrap>
                  <Time at={e.at} />
                  <Typography.Text strong>{timelineEventName(e.stage, language)}</Typography.Text>
                  <CodeTag value={e.status} />
                  <Typography.Text type="secondary" data-testid="timeline-actor">
                    {actorName(e.actor, language)}
                  </Typography.Text>
                </Space>
                <EventDetail detail={e.detail} />
              </div>
            ),
          }))}
        />
      </Card>
    </Space>
  );
}

/** The parts of an event's detail a person reads: short values inline, the rest folded. */
function EventDetail({ detail }: { detail: unknown }) {
  const { language, code } = useLocale();
  if (!detail || typeof detail !== 'object') return null;
  const entries = Object.entries(detail as Record<string, unknown>);
  if (entries.length === 0) return null;
  const short = entries.filter(
    ([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean',
  );
  return (
    <div style={{ fontSize: 12, color: '#666' }}>
      {short.map(([k, v]) => (
        <span key={k} style={{ marginRight: 12 }}>
          {language === 'zh' ? (detailFieldZh[k] ?? k) : k}:{' '}
          {language === 'zh'
            ? detailValueZh(k, v, code)
            : typeof v === 'string' && /^[a-z][a-z0-9_]*$/.test(v)
              ? code(v)
              : String(v)}
        </span>
      ))}
      {short.length < entries.length && (
        <details>
          <summary>…</summary>
          <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{JSON.stringify(detail, null, 1)}</pre>
        </details>
      )}
    </div>
  );
}

function Parcels({ orderId }: { orderId: string }) {
  const { t } = useLocale();
  const shipments = useQuery({
    queryKey: ['shipments', { orderId }],
    queryFn: () => ok(api.GET('/shipments', { params: { query: { orderId } } })),
    refetchInterval: 10_000,
  });
  const rows = shipments.data?.shipments ?? [];
  return (
    <Card size="small" title={t('order.parcels')} data-testid="parcels">
      {shipments.isPending ? (
        <Spin />
      ) : rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('order.noParcels')} />
      ) : (
        <Collapse
          items={rows.map((s) => ({
            key: s.id,
            label: (
              <Space wrap>
                <Typography.Text>{s.id}</Typography.Text>
                <CodeTag value={s.stage} />
                {s.carrier && <Tag>{s.carrier}</Tag>}
                {s.tracking_number && <Typography.Text copyable>{s.tracking_number}</Typography.Text>}
              </Space>
            ),
            children: <Tracking shipmentId={s.id} />,
          }))}
        />
      )}
    </Card>
  );
}

export function Tracking({ shipmentId }: { shipmentId: string }) {
  const { t, waitingText, language } = useLocale();
  const detail = useQuery({
    queryKey: ['shipment', shipmentId],
    queryFn: () => ok(api.GET('/shipments/{id}', { params: { path: { id: shipmentId } } })),
    refetchInterval: 10_000,
  });
  if (!detail.data) return <Spin />;
  const { tracking, state, shipment } = detail.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {state?.waitingFor && (
        <Typography.Text>
          {t('order.waitingFor')}: {waitingText(state)}
        </Typography.Text>
      )}
      {shipment.exception_kind && (
        <Alert
          type="error"
          showIcon
          title={exceptionText(shipment.exception_kind, shipment.exception_detail, language)}
        />
      )}
      <Typography.Text strong>{t('order.tracking.events')}</Typography.Text>
      <TrackingEvents events={tracking.map((e) => ({ ...e, at: String(e.at) }))} />
    </Space>
  );
}

/**
 * Customer service: lock / unlock, flags and memos, each shown only when the roles allow it. Each is
 * answered by the order's workflow: on a busy system it shows 处理中 until the outcome comes
 * (useAnswerLater), and applies once.
 */
function ServiceActions({ detail }: { detail: Detail }) {
  const { t, code, errorText } = useLocale();
  const session = useSession();
  const queryClient = useQueryClient();
  const later = useAnswerLater();
  const id = detail.order.id;
  const [problem, setProblem] = useState<string | null>(null);
  const [memoForm] = Form.useForm<{ memo: string }>();
  const [lockForm] = Form.useForm<{ reason: string }>();
  const done = async () => {
    setProblem(null);
    await queryClient.invalidateQueries({ queryKey: ['order', id] });
  };
  const fail = (err: Error) => setProblem(errorText(err));
  const params = { params: { path: { id } } };
  const lock = useMutation({
    mutationFn: (reason: string) =>
      later.run((headers) => api.POST('/orders/{id}/lock', { ...params, headers, body: { reason } })),
    onSuccess: () => (lockForm.resetFields(), done()),
    onError: fail,
  });
  const unlock = useMutation({
    mutationFn: () =>
      later.run((headers) => api.POST('/orders/{id}/unlock', { ...params, headers, body: {} })),
    onSuccess: done,
    onError: fail,
  });
  const flag = useMutation({
    mutationFn: (f: string) =>
      later.run((headers) =>
        api.POST('/orders/{id}/flags', { ...params, headers, body: { flag: f as never } }),
      ),
    onSuccess: done,
    onError: fail,
  });
  const memo = useMutation({
    mutationFn: (m: string) =>
      later.run((headers) => api.POST('/orders/{id}/memos', { ...params, headers, body: { memo: m } })),
    onSuccess: () => (memoForm.resetFields(), done()),
    onError: fail,
  });
  const canLock = session.can('POST', '/orders/:id/lock');
  const canUnlock = session.can('POST', '/orders/:id/unlock');
  const canFlag = session.can('POST', '/orders/:id/flags');
  const canMemo = session.can('POST', '/orders/:id/memos');
  const finished = ['completed', 'cancelled'].includes(detail.order.status);
  if (finished || !(canLock || canUnlock || canFlag || canMemo)) return null;
  return (
    <Card size="small" title={t('common.actions')}>
      <PendingNote text={later.pending} />
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 8 }} role="alert" />}
      <Space wrap align="start">
        {canLock && !detail.order.locked && (
          <Form form={lockForm} layout="inline" onFinish={(v) => lock.mutate(v.reason)}>
            <Form.Item
              name="reason"
              label={t('order.lockReason')}
              rules={[{ required: true, whitespace: true }]}
            >
              <Input style={{ width: 180 }} />
            </Form.Item>
            <Button htmlType="submit" icon={<LockOutlined />} loading={lock.isPending}>
              {t('order.lock')}
            </Button>
          </Form>
        )}
        {canUnlock && detail.order.locked && (
          <Button onClick={() => unlock.mutate()} loading={unlock.isPending}>
            {t('order.unlock')}
          </Button>
        )}
        {canFlag && (
          <Select
            aria-label={t('order.addFlag')}
            placeholder={t('order.addFlag')}
            style={{ width: 140 }}
            value={null}
            options={FLAGS.filter((f) => !detail.order.flags.includes(f)).map((f) => ({
              value: f,
              label: code(f),
            }))}
            onChange={(f: string) => flag.mutate(f)}
          />
        )}
        {canMemo && (
          <Form form={memoForm} layout="inline" onFinish={(v) => memo.mutate(v.memo)}>
            <Form.Item name="memo" label={t('order.addMemo')} rules={[{ required: true, whitespace: true }]}>
              <Input style={{ width: 220 }} />
            </Form.Item>
            <Button htmlType="submit" loading={memo.isPending}>
              {t('common.submit')}
            </Button>
          </Form>
        )}
      </Space>
    </Card>
  );
}
