import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { acceptedPending, approveAll, type BulkAttempt, type BulkState } from '../client/bulk-approval';
import {
  Alert,
  Badge,
  Button,
  Card,
  Col,
  Empty,
  List,
  Modal,
  Row,
  Select,
  Spin,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, ApiError, ok, type Problem } from '../client/client';
import type { QueueItem } from '../client/types';
import { CodeTag, Countdown, Money, Time } from '../components/format';
import { OrderDetail } from '../components/OrderDetail';
import { typingInField } from '../components/ReviewActions';
import { useShops } from '../components/useShops';
import { useSession } from '../auth/session';
import { holdText } from '../i18n/hold-reasons';
import { useLocale } from '../i18n/locale';

const ROLES = ['reviewer', 'customer-service', 'finance', 'ops'] as const;
const REASONS = [
  'blacklisted',
  'address_invalid',
  'buyer_remark',
  'seller_memo',
  'custom_made',
  'large_amount',
  'payment_mismatch',
  'unmapped_sku',
  'no_exchange_rate',
];
const PLATFORMS = ['taobao', 'jd', 'pdd', 'douyin', 'shopee', 'amazon', 'shopify', 'woocommerce', 'own'];

interface BulkResult {
  orderId: string;
  platformOrderId: string;
  /** sending → pending (not decided yet, asked again) → ok / left (the queue) / refused. */
  state: BulkState;
  message: string;
  /** The API's code of a refusal (DecisionConflict: someone else decided first). */
  code?: string;
}

const DONE: readonly BulkState[] = ['ok', 'left', 'refused'];

/**
 * 审核队列: held orders oldest first with the open order beside the list. The list refreshes by
 * itself every few seconds; what a person types in the order's forms lives outside the list, so a
 * refresh never loses it.
 */
export function ReviewQueuePage() {
  const { t, code, errorText, language, platform } = useLocale();
  const session = useSession();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [live, setLive] = useState(true);
  const [checked, setChecked] = useState<string[]>([]);
  const [results, setResults] = useState<BulkResult[] | null>(null);
  const [resultsOpen, setResultsOpen] = useState(false);
  // Asking again for undecided approvals stops when the page goes.
  const gone = useRef(false);
  useEffect(() => {
    gone.current = false;
    return () => {
      gone.current = true;
    };
  }, []);
  // Orders whose approval is on its way: marked in the list, not to be ticked again.
  const inFlight = useMemo(
    () => new Set((results ?? []).filter((r) => !DONE.includes(r.state)).map((r) => r.orderId)),
    [results],
  );
  const selected = params.get('order');
  const filter = {
    ...(params.get('role') ? { role: params.get('role') as (typeof ROLES)[number] } : {}),
    ...(params.get('reason') ? { reason: params.get('reason')! } : {}),
    ...(params.get('platform') ? { platform: params.get('platform') as never } : {}),
    ...(params.get('shopId') ? { shopId: params.get('shopId')! } : {}),
    ...(params.get('overdue') === 'true' ? { overdue: 'true' as const } : {}),
  };
  const shops = useShops();
  const queue = useQuery({
    queryKey: ['reviews', filter],
    queryFn: () => ok(api.GET('/reviews', { params: { query: { ...filter, limit: 200 } } })),
    refetchInterval: live ? 5_000 : false,
  });
  const items = useMemo(() => queue.data?.items ?? [], [queue.data]);

  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const select = useCallback(
    (orderId: string | null) => {
      const next = new URLSearchParams(params);
      if (orderId) next.set('order', orderId);
      else next.delete('order');
      setParams(next, { replace: true });
    },
    [params, setParams],
  );

  // After a decision the order leaves the queue: the next one opens.
  const onDecided = useCallback(
    (orderId: string) => {
      const index = items.findIndex((i) => i.orderId === orderId);
      const next = items[index + 1] ?? items[index - 1];
      select(next && next.orderId !== orderId ? next.orderId : null);
      setChecked((c) => c.filter((id) => id !== orderId));
    },
    [items, select],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (typingInField(event) || event.ctrlKey || event.metaKey || event.altKey) return;
      const index = items.findIndex((i) => i.orderId === selected);
      if (event.key === 'ArrowDown' || event.key === 'j') {
        const next = items[Math.min(items.length - 1, index + 1)];
        if (next) select(next.orderId);
      } else if (event.key === 'ArrowUp' || event.key === 'k') {
        const next = items[Math.max(0, index - 1)];
        if (next) select(next.orderId);
      } else if (event.key === 'x' && selected) {
        setChecked((c) => (c.includes(selected) ? c.filter((id) => id !== selected) : [...c, selected]));
      } else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, selected, select]);

  const bulkMessage = (state: BulkState, attempt: BulkAttempt): string => {
    if (state === 'ok') return t('review.approved');
    if (state === 'pending')
      return t(acceptedPending(attempt) ? 'review.pendingAccepted' : 'review.pendingBusy');
    const body = attempt.body as Problem | undefined;
    const problem: Problem =
      body && typeof body === 'object' && 'message' in body
        ? body
        : { statusCode: attempt.status, message: String(attempt.status) };
    const words = errorText(new ApiError(attempt.status, problem));
    return words;
  };

  const bulk = useMutation({
    mutationFn: async (orderIds: string[]) => {
      const rows: BulkResult[] = orderIds.map((orderId) => ({
        orderId,
        platformOrderId: items.find((i) => i.orderId === orderId)?.platformOrderId ?? orderId,
        state: 'sending',
        message: t('review.approving'),
      }));
      setResults(rows);
      setResultsOpen(true);
      setChecked([]);
      // Each answer is the order's own (approved, not decided yet, or why not), shown as it arrives;
      // an order not decided yet is asked again with its key until it is.
      return approveAll(rows, {
        send: async (row, key, waitSeconds) => {
          const { data, error, response } = await api.POST('/orders/{id}/review', {
            params: { path: { id: row.orderId } },
            headers: { 'idempotency-key': key, prefer: `respond-async, wait=${waitSeconds}` },
            body: { decision: 'approve' },
          });
          return {
            status: response.status,
            body: data ?? error,
            retryAfterSeconds: Number(response.headers.get('retry-after')) || null,
          };
        },
        report: (index, state, attempt) => {
          const message = bulkMessage(state, attempt);
          const code = (attempt.body as Problem | undefined)?.code;
          setResults(
            (now) =>
              now?.map((r, i) => (i === index ? { ...r, state, message, ...(code ? { code } : {}) } : r)) ??
              now,
          );
          if (DONE.includes(state)) void queryClient.invalidateQueries({ queryKey: ['reviews'] });
        },
        stopped: () => gone.current,
      });
    },
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: ['reviews'] });
    },
  });
  const bulkTitle = results
    ? `${t('review.bulkResults')} ${t('review.bulkProgress', {
        done: results.filter((r) => DONE.includes(r.state)).length,
        n: results.length,
      })}${
        results.some((r) => r.state === 'pending')
          ? ` ${t('review.bulkPending', { n: results.filter((r) => r.state === 'pending').length })}`
          : ''
      }`
    : t('review.bulkResults');
  const closeResults = () => {
    setResultsOpen(false);
    if (!bulk.isPending) setResults(null);
  };

  const canDecide = session.can('POST', '/orders/:id/review');

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space align="center" wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('review.title')}
        </Typography.Title>
        <Badge count={items.length} showZero color="orange" />
        <Space>
          <Switch checked={live} onChange={setLive} aria-label={t('common.live')} />
          {t('common.live')}
        </Space>
        <Typography.Text type="secondary">
          {t('common.keyboard')}: {t('review.keys')}
        </Typography.Text>
      </Space>
      <Card size="small">
        <Space wrap role="search" aria-label={t('review.title')}>
          <Select
            allowClear
            aria-label={t('review.byRole')}
            placeholder={t('review.byRole')}
            style={{ width: 140 }}
            value={filter.role}
            options={ROLES.map((r) => ({ value: r, label: code(r) }))}
            onChange={(v?: string) => setFilter('role', v)}
          />
          <Select
            allowClear
            aria-label={t('review.reason')}
            placeholder={t('review.reason')}
            style={{ width: 160 }}
            value={filter.reason}
            options={REASONS.map((r) => ({ value: r, label: code(r) }))}
            onChange={(v?: string) => setFilter('reason', v)}
          />
          <Select
            allowClear
            aria-label={t('common.platform')}
            placeholder={t('common.platform')}
            style={{ width: 120 }}
            value={filter.platform}
            options={PLATFORMS.map((p) => ({ value: p, label: platform(p) }))}
            onChange={(v?: string) => setFilter('platform', v)}
          />
          <Select
            allowClear
            showSearch
            aria-label={t('common.shop')}
            placeholder={t('common.shop')}
            style={{ width: 160 }}
            value={filter.shopId}
            options={(shops.data?.shops ?? []).map((s) => ({ value: s.id, label: s.name }))}
            onChange={(v?: string) => setFilter('shopId', v)}
          />
          <Space>
            <Switch
              aria-label={t('review.overdueOnly')}
              checked={filter.overdue === 'true'}
              onChange={(on) => setFilter('overdue', on ? 'true' : undefined)}
            />
            {t('review.overdueOnly')}
          </Space>
          {canDecide && (
            <Button
              type="primary"
              disabled={checked.length === 0}
              loading={bulk.isPending}
              onClick={() => bulk.mutate(checked)}
            >
              {t('review.bulkApprove', { n: checked.length })}
            </Button>
          )}
          {results && !resultsOpen && (
            <Button onClick={() => setResultsOpen(true)} data-testid="bulk-results-reopen">
              {bulkTitle}
            </Button>
          )}
        </Space>
      </Card>
      {queue.isError && <Alert type="error" showIcon title={queue.error.message} />}
      <Row gutter={16}>
        <Col xs={24} xl={10}>
          <Table<QueueItem>
            size="small"
            rowKey="orderId"
            data-testid="review-queue"
            loading={queue.isPending}
            dataSource={items}
            pagination={false}
            scroll={{ y: 'calc(100vh - 280px)' }}
            locale={{ emptyText: <Empty description={t('review.empty')} /> }}
            rowSelection={
              canDecide
                ? {
                    selectedRowKeys: checked,
                    onChange: (keys) => setChecked(keys as string[]),
                    getCheckboxProps: (item) => ({
                      disabled: !item.mayDecide || inFlight.has(item.orderId),
                      'aria-label': item.platformOrderId,
                    }),
                  }
                : undefined
            }
            rowClassName={(item) => (item.orderId === selected ? 'ant-table-row-selected' : '')}
            onRow={(item) => ({
              onClick: () => select(item.orderId),
              style: { cursor: 'pointer' },
              'data-order-id': item.orderId,
            })}
            columns={[
              {
                title: t('order.platformOrderId'),
                render: (_, item) => (
                  <Space direction="vertical" size={0}>
                    <Typography.Text strong>{item.platformOrderId}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {platform(item.platform)} · {item.shopId}
                    </Typography.Text>
                  </Space>
                ),
              },
              {
                title: t('review.reasons'),
                render: (_, item) => (
                  <Space size={2} wrap>
                    <Tag color="orange">{code(`stage.${item.stage}`)}</Tag>
                    {inFlight.has(item.orderId) && <Tag color="processing">{t('review.approving')}</Tag>}
                    {item.holds.map((h) => (
                      <Tag key={h.key} title={holdText(h, language)}>
                        {code(h.reason)}
                      </Tag>
                    ))}
                    {item.locked && <Tag color="red">{t('order.locked')}</Tag>}
                    {item.buyerRemark && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {item.buyerRemark}
                        {item.buyerRemarkTranslation &&
                          ` · ${t('order.remarkTranslation')}: ${item.buyerRemarkTranslation.text}`}
                      </Typography.Text>
                    )}
                  </Space>
                ),
              },
              { title: t('review.heldSince'), render: (_, item) => <Time at={item.heldSince} /> },
              { title: t('review.sla'), render: (_, item) => <Countdown at={item.slaDueAt} /> },
              {
                title: t('review.amount'),
                render: (_, item) => (
                  <span>
                    <Money fen={item.amountDueFen} /> / <Money fen={item.paidFen} />
                  </span>
                ),
              },
            ]}
          />
        </Col>
        <Col xs={24} xl={14}>
          {selected ? (
            <OrderDetail key={selected} orderId={selected} keyboard onDecided={onDecided} />
          ) : (
            <Card>
              <Empty description={t('review.noneSelected')} />
            </Card>
          )}
        </Col>
      </Row>
      <Modal
        open={results !== null && resultsOpen}
        title={bulkTitle}
        onOk={closeResults}
        onCancel={closeResults}
        cancelButtonProps={{ style: { display: 'none' } }}
      >
        <List
          data-testid="bulk-results"
          dataSource={results ?? []}
          renderItem={(r) => (
            <List.Item data-testid="bulk-result" data-state={r.state} data-order-id={r.orderId}>
              <Space>
                {r.state === 'ok' || r.state === 'refused' ? (
                  <CodeTag value={r.state === 'ok' ? 'resolved' : 'exception'} />
                ) : r.state === 'left' ? (
                  <Tag>
                    {t(r.code === 'DecisionConflict' ? 'review.decidedElsewhere' : 'review.leftQueue')}
                  </Tag>
                ) : (
                  <Spin size="small" />
                )}
                <Typography.Text strong>{r.platformOrderId}</Typography.Text>
                <Typography.Text
                  type={
                    r.state === 'ok'
                      ? 'success'
                      : r.state === 'refused'
                        ? 'danger'
                        : r.state === 'left'
                          ? 'warning'
                          : 'secondary'
                  }
                >
                  {r.message}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      </Modal>
    </Space>
  );
}
