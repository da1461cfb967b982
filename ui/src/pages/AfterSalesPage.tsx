import { LinkOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useSession } from '../auth/session';
import { api, ApiError, formFieldName, ok } from '../client/client';
import type { paths } from '../client/schema';
import type { Answer } from '../client/types';
import {
  DeadlineCell,
  DeadlineFilterItems,
  deadlineQuery,
  type DeadlineValues,
} from '../components/DeadlineFilter';
import { PendingNote, useAnswerLater } from '../components/AnswerLater';
import { CodeTag, Money, Time } from '../components/format';
import { RefreshFailed } from '../components/RefreshFailed';
import { ReturnParcel } from '../components/ReturnParcel';
import { useShops } from '../components/useShops';
import { caseActorName, caseWordsZh } from '../i18n/after-sales';
import { useLocale } from '../i18n/locale';
import { actorName } from '../i18n/timeline';
import { personText } from '../i18n/waiting';

type CaseRow = Answer<'/after-sales', 'get'>['cases'][number];
type CaseDetail = Answer<'/after-sales/{id}', 'get'>;
type ListQuery = NonNullable<paths['/after-sales']['get']['parameters']['query']>;
type DecisionBody = NonNullable<
  paths['/after-sales/{id}/decisions']['post']['requestBody']
>['content']['application/json'];

const KINDS = ['refund_only', 'return_refund', 'exchange', 'reship', 'price_difference'] as const;
const STATUSES = ['open', 'refunding', 'refunded', 'refused', 'closed', 'needs_person'] as const;
/** A seller deadline binds until the seller has answered (the API's deadline filter says the same). */
const ENDED_STATUSES = ['refunding', 'refunded', 'refused', 'closed', 'exchanged', 'reshipped'];
const caseUrl = (id: string) => `/after-sales/${encodeURIComponent(id)}`;

/** 售后: the cases waiting for a decision (oldest first) and every case with its filters. */
export function AfterSalesPage() {
  const { t } = useLocale();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('as.title')}</Typography.Title>
      <Tabs
        items={[
          { key: 'queue', label: t('as.queue'), children: <Queue /> },
          { key: 'all', label: t('as.all'), children: <AllCases /> },
        ]}
      />
    </Space>
  );
}

function useCaseColumns() {
  const { t, code } = useLocale();
  return [
    {
      title: t('as.case'),
      render: (_: unknown, c: CaseRow) => <Link to={caseUrl(c.id)}>{c.platformCaseId}</Link>,
    },
    { title: t('common.shop'), dataIndex: 'shopId' },
    { title: t('as.kind'), render: (_: unknown, c: CaseRow) => code(c.kind) },
    { title: t('common.status'), render: (_: unknown, c: CaseRow) => <CodeTag value={c.status} /> },
    { title: t('as.requested'), render: (_: unknown, c: CaseRow) => <Money fen={c.requestedFen} /> },
    { title: t('as.reason'), dataIndex: 'reason' },
    {
      title: t('as.age'),
      render: (_: unknown, c: CaseRow) => <span title={c.openedAt}>{dayjs(c.openedAt).fromNow(true)}</span>,
    },
    {
      title: t('as.deadline'),
      render: (_: unknown, c: CaseRow) => (
        <DeadlineCell at={c.sellerDeadline} open={!ENDED_STATUSES.includes(c.status)} />
      ),
    },
  ];
}

function Queue() {
  const { t } = useLocale();
  const [shopId, setShopId] = useState<string | undefined>();
  const shops = useShops();
  const queue = useQuery({
    queryKey: ['after-sales', 'reviews', shopId],
    queryFn: () => ok(api.GET('/after-sales/reviews', { params: { query: shopId ? { shopId } : {} } })),
    refetchInterval: 15_000,
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        allowClear
        aria-label={t('common.shop')}
        placeholder={t('common.shop')}
        style={{ width: 220 }}
        value={shopId}
        onChange={setShopId}
        options={(shops.data?.shops ?? []).map((s) => ({ value: s.id, label: s.name }))}
      />
      <Table<CaseRow>
        size="small"
        rowKey="id"
        data-testid="after-sale-queue"
        loading={queue.isPending}
        dataSource={queue.data?.cases ?? []}
        locale={{ emptyText: t('as.empty') }}
        pagination={false}
        columns={useCaseColumns()}
      />
    </Space>
  );
}

function AllCases() {
  const { t, code } = useLocale();
  const shops = useShops();
  const [filters, setFilters] = useState<ListQuery>({});
  const list = useQuery({
    queryKey: ['after-sales', 'list', filters],
    queryFn: () => ok(api.GET('/after-sales', { params: { query: filters } })),
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Form
        layout="inline"
        onFinish={({
          dueWithinHours,
          overdue,
          ...v
        }: Omit<ListQuery, 'dueWithinHours' | 'overdue'> & DeadlineValues) =>
          setFilters({
            ...Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== null)),
            ...deadlineQuery({ dueWithinHours, overdue }),
          })
        }
      >
        <Form.Item name="shopId" label={t('common.shop')}>
          <Select
            allowClear
            style={{ width: 200 }}
            options={(shops.data?.shops ?? []).map((s) => ({ value: s.id, label: s.name }))}
          />
        </Form.Item>
        <Form.Item name="kind" label={t('as.kind')}>
          <Select
            allowClear
            style={{ width: 140 }}
            options={KINDS.map((k) => ({ value: k, label: code(k) }))}
          />
        </Form.Item>
        <Form.Item name="status" label={t('common.status')}>
          <Select
            allowClear
            style={{ width: 140 }}
            options={STATUSES.map((s) => ({ value: s, label: code(s) }))}
          />
        </Form.Item>
        <Form.Item name="minAgeHours" label={t('as.minAge')}>
          <InputNumber min={0} style={{ width: 100 }} />
        </Form.Item>
        <DeadlineFilterItems />
        <Button htmlType="submit" type="primary">
          {t('common.search')}
        </Button>
      </Form>
      <Table<CaseRow>
        size="small"
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data?.cases ?? []}
        pagination={{ pageSize: 50 }}
        columns={useCaseColumns()}
      />
    </Space>
  );
}

/** One case: its lines, refunds, timeline and live state, with the decisions a person may take. */
export function AfterSaleCasePage() {
  const { id = '' } = useParams();
  const { t, code, platform, waitingText, language } = useLocale();
  const detail = useQuery({
    queryKey: ['after-sale', id],
    queryFn: () => ok(api.GET('/after-sales/{id}', { params: { path: { id } } })),
    refetchInterval: 5_000,
  });
  if (!detail.data) {
    if (detail.error)
      return <Alert type="error" showIcon title={String(detail.error.message)} role="alert" />;
    return <Card loading />;
  }
  const { case: c, lines, refunds, timeline, state, temporal } = detail.data;
  const audit = state?.audit;
  const caseCode = (value: string) => (language === 'zh' ? caseWordsZh[value] : undefined) ?? code(value);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <RefreshFailed error={detail.error} />
      <Card
        size="small"
        title={
          <Space wrap>
            <Typography.Text strong copyable>
              {c.platformCaseId}
            </Typography.Text>
            <CodeTag value={c.status} label={caseCode(c.status)} />
            <Tag>{code(c.kind)}</Tag>
            <Tag>{platform(c.platform)}</Tag>
            <Tag>{c.shopId}</Tag>
          </Space>
        }
        extra={
          <a href={temporal.url} target="_blank" rel="noreferrer" data-testid="temporal-link">
            <LinkOutlined /> {t('as.temporal')}
          </a>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={t('as.order')}>
            <Link to={`/orders/${encodeURIComponent(c.orderId)}`}>{c.orderId.split(':').at(-1)}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('as.waitingFor')}>
            <span data-testid="waiting-for">
              {/* The case's workflow did not answer its query (a busy worker): said in words, the
                  server's message on hover, as the order page does; the page asks again every 5 s. */}
              {state ? (
                (waitingText(state) ?? '—')
              ) : detail.data.stateError ? (
                <span title={detail.data.stateError}>{t('order.stateUnavailable')}</span>
              ) : (
                '—'
              )}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('as.reason')}>{c.reason || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('as.requested')}>
            <Money fen={c.requestedFen} />
          </Descriptions.Item>
          <Descriptions.Item label={t('as.agreed')}>
            {c.agreedFen === null ? '—' : <Money fen={c.agreedFen} />}
          </Descriptions.Item>
          <Descriptions.Item label={t('as.refunded')}>
            <Money fen={c.refundedFen} />
          </Descriptions.Item>
          <Descriptions.Item label={t('common.time')}>
            <Time at={c.openedAt} />
          </Descriptions.Item>
          <Descriptions.Item label={t('as.deadline')}>
            {c.sellerDeadline ? <Time at={c.sellerDeadline} /> : t('as.noDeadline')}
          </Descriptions.Item>
          {audit && (
            <Descriptions.Item label={t('as.audit')}>
              <Space wrap data-testid="audit-verdict">
                {t(`as.verdict.${audit.verdict}`)}
                {audit.agreedBy && <Tag color="green">{audit.agreedBy}</Tag>}
                {audit.holds.map((h) => (
                  <Tag key={h.reason} color={h.clearedBy === 'finance' ? 'red' : 'orange'} title={h.detail}>
                    {code(h.reason)} · {code(h.clearedBy)}
                  </Tag>
                ))}
              </Space>
            </Descriptions.Item>
          )}
        </Descriptions>
        <Decisions detail={detail.data} />
        <RetryRefund detail={detail.data} />
        <FinanceApproval detail={detail.data} />
      </Card>
      <ReturnParcel detail={detail.data} />
      <Card size="small" title={t('as.lines')}>
        <Table
          size="small"
          rowKey="lineId"
          pagination={false}
          dataSource={lines}
          columns={[
            { title: t('as.line'), dataIndex: 'lineId' },
            { title: t('common.qty'), dataIndex: 'quantity' },
            { title: t('as.requested'), render: (_, l) => <Money fen={l.requestedFen} /> },
            ...(lines.some((l) => l.exchangeSku)
              ? [
                  {
                    title: t('as.exchangeSku'),
                    render: (_: unknown, l: (typeof lines)[number]) => l.exchangeSku ?? '—',
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Card size="small" title={t('as.refunds')}>
        <Table
          size="small"
          rowKey="refundNo"
          pagination={false}
          dataSource={refunds}
          columns={[
            { title: t('as.refundNo'), dataIndex: 'refundNo' },
            { title: t('as.channel'), render: (_, r) => code(r.channel) },
            { title: t('as.refunded'), render: (_, r) => <Money fen={r.amountFen} /> },
            { title: t('common.status'), render: (_, r) => <CodeTag value={r.state} /> },
            { title: t('common.note'), dataIndex: 'detail' },
          ]}
        />
      </Card>
      <Card size="small" title={t('as.timeline')}>
        <Timeline
          data-testid="after-sale-timeline"
          items={timeline.map((e) => ({
            children: (
              <Space wrap>
                <Time at={e.at} />
                <CodeTag value={e.stage} label={caseCode(e.stage)} />
                <Typography.Text type="secondary">
                  {t('as.actor')}: {caseActorName(e.actor, language, platform, (a) => actorName(a, language))}
                </Typography.Text>
                <Typography.Text style={{ fontSize: 12 }}>
                  {summarize(e.detail, language === 'zh' && e.stage === 'needs_person' ? e.step : null)}
                </Typography.Text>
              </Space>
            ),
          }))}
        />
      </Card>
    </Space>
  );
}

/**
 * The parts of a timeline entry's detail a person reads. `personStep`: a case handed to a person,
 * read in Chinese — why from its step, the API's particulars after it.
 */
function summarize(detail: Record<string, unknown>, personStep: string | null): string {
  const parts: string[] = [];
  if (typeof detail.reason === 'string' && detail.reason) parts.push(detail.reason);
  if (typeof detail.note === 'string') parts.push(detail.note);
  if (typeof detail.agreedFen === 'number') parts.push(`¥${(detail.agreedFen / 100).toFixed(2)}`);
  if (typeof detail.why === 'string')
    parts.push(personStep ? personText(personStep, detail.why) : detail.why);
  if (Array.isArray(detail.holds)) {
    parts.push((detail.holds as Array<{ detail: string }>).map((h) => h.detail).join('; '));
  }
  // Exchanges for another SKU: the replacement a person named, or the swap the replacement order made.
  if (Array.isArray(detail.replacements)) {
    const named = detail.replacements as Array<{ lineId: string; skuCode: string }>;
    parts.push(named.map((r) => `#${r.lineId} → ${r.skuCode}`).join(', '));
  }
  if (Array.isArray(detail.swaps)) {
    const swaps = detail.swaps as Array<{ lineId: string; from: string; to: string }>;
    parts.push(swaps.map((r) => `#${r.lineId} ${r.from} → ${r.to}`).join(', '));
  }
  return parts.join(' · ');
}

type Dialog = 'partial' | 'refuse' | 'evidence' | 'exchange' | 'refund' | null;

/**
 * Agree, agree part, refuse with a reason or ask for evidence; an exchange the case offers to turn
 * into a refund (`exchangeChoices`) also 转为退款. Shown only to roles that may decide and while the
 * case waits for a decision — or, after an exchange was agreed, for the later decisions it offers
 * (refused at second review, turned into a refund): then only those. The API's 400/422 appear on
 * the field they name, 403/409 above the buttons.
 */
function Decisions({ detail }: { detail: CaseDetail }) {
  const { t, errorText, issueText } = useLocale();
  const session = useSession();
  const queryClient = useQueryClient();
  const id = detail.case.id;
  const [dialog, setDialog] = useState<Dialog>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [form] = Form.useForm();
  // On a busy system the decision shows 处理中 until the case's workflow answers; it applies once.
  const later = useAnswerLater();
  // Without the live state (the workflow's query timed out on a busy worker) the projection says
  // whether the case waits for a decision: hiding the buttons then would close an open dialog and
  // lose what the person typed.
  const choices = detail.state?.exchangeChoices ?? [];
  const firstOpen = !detail.state
    ? detail.case.waitingFor === 'a decision'
    : detail.state.waiting
      ? detail.state.waiting.code === 'case_decision'
      : detail.state.waitingFor === 'a decision';
  // After the exchange was agreed, the case takes only the decisions it offers now, once.
  const afterAgreed = !firstOpen && choices.length > 0;
  const open = firstOpen || afterAgreed;
  const decide = useMutation({
    mutationFn: (body: DecisionBody) =>
      later.run((headers) =>
        api.POST('/after-sales/{id}/decisions', { params: { path: { id } }, headers, body }),
      ),
    onSuccess: async () => {
      setProblem(null);
      setDialog(null);
      await queryClient.invalidateQueries({ queryKey: ['after-sale', id] });
      await queryClient.invalidateQueries({ queryKey: ['after-sales'] });
    },
    onError: (err) => {
      if (!(err instanceof ApiError)) return setProblem(String(err));
      const issues = err.problem.issues ?? [];
      // The replacement SKUs: the API names them by their place among those sent; said above the form.
      if (dialog === 'exchange') return setProblem(errorText(err));
      if (dialog && issues.length && (err.status === 400 || err.status === 422)) {
        // The form asks for yuan; the API names the amount in fen.
        const name = (field: string) =>
          formFieldName(field).map((part) => (part === 'amountFen' ? 'amountYuan' : part));
        form.setFields(issues.map((i) => ({ name: name(i.field) as never, errors: [issueText(i)] })));
        setProblem(null);
      } else if (dialog === 'partial' && err.status === 422) {
        form.setFields([{ name: 'amountYuan', errors: [errorText(err)] }]);
      } else {
        setProblem(errorText(err));
      }
    },
  });
  // An open dialog stays when the case moves on meanwhile (another person decided): what was typed
  // is kept and the API's 409 says why it was not taken.
  if (!open && dialog === null) return null;
  if (!session.can('POST', '/after-sales/:id/decisions')) {
    return <Alert type="info" showIcon title={t('as.notYours')} />;
  }
  const exchange = detail.case.kind === 'exchange';
  const swap = detail.state?.skuSwap;
  const submit = (values: {
    amountYuan?: number;
    reason?: string;
    note?: string;
    skus?: Record<string, string | undefined>;
  }) => {
    if (dialog === 'exchange') {
      const replacements = detail.lines.flatMap((line) => {
        const skuCode = values.skus?.[line.lineId]?.trim();
        return skuCode ? [{ lineId: line.lineId, skuCode }] : [];
      });
      decide.mutate({ decision: 'agree', ...(replacements.length ? { replacements } : {}) });
    } else if (dialog === 'partial') {
      decide.mutate({ decision: 'partial', amountFen: Math.round((values.amountYuan ?? 0) * 100) });
    } else if (dialog === 'refuse') decide.mutate({ decision: 'refuse', reason: values.reason ?? '' });
    else if (dialog === 'refund') decide.mutate({ decision: 'refund', reason: values.reason ?? '' });
    else if (dialog === 'evidence') decide.mutate({ decision: 'evidence', note: values.note ?? '' });
  };
  return (
    <div style={{ marginTop: 12 }}>
      <PendingNote text={later.pending} />
      {problem && !dialog && (
        <Alert
          type="error"
          showIcon
          title={problem}
          role="alert"
          data-testid="decision-problem"
          style={{ marginBottom: 8 }}
        />
      )}
      <Space wrap style={open ? undefined : { display: 'none' }}>
        {afterAgreed ? null : exchange ? (
          <Button type="primary" onClick={() => (setProblem(null), setDialog('exchange'))}>
            {t('as.agreeExchange')}
          </Button>
        ) : (
          <Button
            type="primary"
            loading={decide.isPending && !dialog}
            onClick={() => decide.mutate({ decision: 'agree' })}
          >
            {t('as.agree')}
          </Button>
        )}
        {!exchange && !afterAgreed && (
          <Button onClick={() => (setProblem(null), setDialog('partial'))}>{t('as.partial')}</Button>
        )}
        {choices.includes('refund') && (
          <Button onClick={() => (setProblem(null), setDialog('refund'))}>{t('as.refund')}</Button>
        )}
        {(!afterAgreed || choices.includes('refuse')) && (
          <Button danger onClick={() => (setProblem(null), setDialog('refuse'))}>
            {t('as.refuse')}
          </Button>
        )}
        {!afterAgreed && (
          <Button onClick={() => (setProblem(null), setDialog('evidence'))}>{t('as.evidence')}</Button>
        )}
      </Space>
      <Modal
        open={dialog !== null}
        title={dialog ? t(dialog === 'exchange' ? 'as.agreeExchange' : `as.${dialog}`) : ''}
        okText={t('common.submit')}
        okButtonProps={{ danger: dialog === 'refuse', loading: decide.isPending }}
        onOk={() => form.submit()}
        onCancel={() => setDialog(null)}
        destroyOnHidden
      >
        <PendingNote text={later.pending} />
        {problem && <Alert type="error" showIcon title={problem} role="alert" style={{ marginBottom: 8 }} />}
        <Form form={form} layout="vertical" preserve={false} onFinish={submit}>
          {dialog === 'exchange' && (
            <>
              {swap && (
                <Alert
                  type="warning"
                  showIcon
                  data-testid="sku-swap"
                  title={t('as.skuSwap', { bought: swap.bought, wanted: swap.wanted })}
                  style={{ marginBottom: 8 }}
                />
              )}
              {detail.lines.map((line) => (
                <Form.Item
                  key={line.lineId}
                  label={t('as.replacementSku', { line: line.lineId })}
                  name={['skus', line.lineId]}
                  initialValue={line.exchangeSku ?? ''}
                  rules={
                    swap ? [{ required: true, whitespace: true, message: t('as.replacementRequired') }] : []
                  }
                >
                  <Input maxLength={64} placeholder={t('as.replacementSame')} />
                </Form.Item>
              ))}
            </>
          )}
          {dialog === 'partial' && (
            <Form.Item
              label={t('as.amountYuan')}
              name="amountYuan"
              rules={[{ required: true, message: t('as.amountRequired') }]}
            >
              <InputNumber autoFocus min={0.01} step={1} precision={2} style={{ width: 200 }} />
            </Form.Item>
          )}
          {dialog === 'refuse' && (
            <Form.Item
              label={t('as.refuseReason')}
              name="reason"
              rules={[{ required: true, whitespace: true, message: t('as.refuseReasonRequired') }]}
            >
              <Input.TextArea autoFocus rows={3} maxLength={500} />
            </Form.Item>
          )}
          {dialog === 'refund' && (
            <Form.Item
              label={t('as.refundReason')}
              name="reason"
              rules={[{ required: true, whitespace: true, message: t('as.refundReasonRequired') }]}
            >
              <Input.TextArea autoFocus rows={3} maxLength={500} />
            </Form.Item>
          )}
          {dialog === 'evidence' && (
            <Form.Item
              label={t('as.evidenceNote')}
              name="note"
              rules={[{ required: true, whitespace: true, message: t('as.evidenceRequired') }]}
            >
              <Input.TextArea autoFocus rows={3} maxLength={500} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </div>
  );
}

/**
 * A refund stuck with the channel (refused, closed, not sent, ABNORMAL) sent again once a person
 * put right what stopped it; says whether it goes under a new refund number or is read back under
 * the same one. Shown only to roles that may retry and while the case has a stuck step.
 */
function RetryRefund({ detail }: { detail: CaseDetail }) {
  const { t, errorText } = useLocale();
  const session = useSession();
  const queryClient = useQueryClient();
  const id = detail.case.id;
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const later = useAnswerLater();
  const retry = useMutation({
    mutationFn: () =>
      later.run((headers) =>
        api.POST('/after-sales/{id}/retry', {
          params: { path: { id } },
          headers,
          body: note.trim() ? { note: note.trim() } : {},
        }),
      ),
    onSuccess: async () => {
      setProblem(null);
      await queryClient.invalidateQueries({ queryKey: ['after-sale', id] });
      await queryClient.invalidateQueries({ queryKey: ['after-sales'] });
    },
    onError: (err) => setProblem(err instanceof ApiError ? errorText(err) : String(err)),
  });
  const stuck = detail.state?.retry;
  // The live state lost meanwhile (a busy worker): the retry on its way still says 处理中.
  if (!stuck || !session.can('POST', '/after-sales/:id/retry')) return <PendingNote text={later.pending} />;
  return (
    <div style={{ marginTop: 12 }} data-testid="retry-refund">
      <Alert
        type="warning"
        showIcon
        title={t(stuck.number === 'new' ? 'as.retryNew' : 'as.retrySame')}
        style={{ marginBottom: 8 }}
      />
      <PendingNote text={later.pending} />
      {problem && <Alert type="error" showIcon title={problem} role="alert" style={{ marginBottom: 8 }} />}
      <Space wrap>
        <Input
          placeholder={t('as.retryNote')}
          aria-label={t('as.retryNote')}
          maxLength={500}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          style={{ width: 320 }}
        />
        <Button type="primary" loading={retry.isPending} onClick={() => retry.mutate()}>
          {t('as.retry')}
        </Button>
      </Space>
    </div>
  );
}

/**
 * A marketplace refund above the shop's approval limit: finance approves it (the platform is then
 * told to refund) or rejects it with a reason (the case goes to a person). Other roles see that the
 * case waits for finance.
 */
function FinanceApproval({ detail }: { detail: CaseDetail }) {
  const { t, errorText } = useLocale();
  const session = useSession();
  const queryClient = useQueryClient();
  const id = detail.case.id;
  const [problem, setProblem] = useState<string | null>(null);
  const [text, setText] = useState('');
  const later = useAnswerLater();
  const answer = useMutation({
    mutationFn: (body: { decision: 'approve'; note?: string } | { decision: 'reject'; reason: string }) =>
      later.run((headers) =>
        api.POST('/after-sales/{id}/approval', { params: { path: { id } }, headers, body }),
      ),
    onSuccess: async () => {
      setProblem(null);
      await queryClient.invalidateQueries({ queryKey: ['after-sale', id] });
      await queryClient.invalidateQueries({ queryKey: ['after-sales'] });
    },
    onError: (err) => setProblem(err instanceof ApiError ? errorText(err) : String(err)),
  });
  // Without the live state (a query timed out on a busy worker) the projection's words say it.
  const waits = detail.state?.waiting
    ? detail.state.waiting.code === 'case_finance_approval'
    : (detail.case.waitingFor ?? '').startsWith('finance approval of the refund');
  if (!waits) return <PendingNote text={later.pending} />;
  if (!session.can('POST', '/after-sales/:id/approval')) {
    return <Alert type="info" showIcon title={t('as.approvalNotYours')} style={{ marginTop: 12 }} />;
  }
  const note = text.trim();
  // The answer on its way (处理中 on a busy system): neither is sent again meanwhile — a second click
  // would be a second request under a key of its own.
  const sending = answer.isPending ? answer.variables.decision : null;
  return (
    <div style={{ marginTop: 12 }} data-testid="finance-approval">
      <Alert type="warning" showIcon title={t('as.approvalWaiting')} style={{ marginBottom: 8 }} />
      <PendingNote text={later.pending} />
      {problem && <Alert type="error" showIcon title={problem} role="alert" style={{ marginBottom: 8 }} />}
      <Space wrap>
        <Input
          placeholder={t('as.approvalNote')}
          aria-label={t('as.approvalNote')}
          maxLength={500}
          value={text}
          onChange={(e) => setText(e.target.value)}
          style={{ width: 320 }}
        />
        <Button
          type="primary"
          loading={sending === 'approve'}
          disabled={sending === 'reject'}
          onClick={() => answer.mutate({ decision: 'approve', ...(note ? { note } : {}) })}
        >
          {t('as.approve')}
        </Button>
        <Button
          danger
          loading={sending === 'reject'}
          disabled={!note || sending === 'approve'}
          title={note ? undefined : t('as.rejectNeedsReason')}
          onClick={() => answer.mutate({ decision: 'reject', reason: note })}
        >
          {t('as.rejectApproval')}
        </Button>
      </Space>
    </div>
  );
}
