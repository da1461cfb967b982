import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Drawer, Form, Input, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ApiError, formFieldName, ok, openFile } from '../client/client';
import type { Shipment } from '../client/types';
import { useSession } from '../auth/session';
import { PendingNote, useAnswerLater } from '../components/AnswerLater';
import { CodeTag, Time } from '../components/format';
import { Tracking } from '../components/OrderDetail';
import { exceptionDetailZh, exceptionKindName } from '../i18n/exceptions';
import { useLocale } from '../i18n/locale';

const STAGES = [
  'picking',
  'picked',
  'packed',
  'labelled',
  'shipped',
  'tracking_uploaded',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'cancelled',
] as const;
type Stage = (typeof STAGES)[number];

/** 物流: parcels in exception with the carrier's reason and what to do, every parcel, label reprint. */
export function ShipmentsPage() {
  const { t, code, errorText, language } = useLocale();
  const session = useSession();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'exceptions';
  const [stage, setStage] = useState<Stage | undefined>();
  const [tracking, setTracking] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [reprinting, setReprinting] = useState<Shipment | null>(null);
  const query = {
    limit: 200,
    // 异常包裹: the exceptions a person resolves here; 丢件: parcels closed as lost, decided on their order.
    ...(tab === 'exceptions'
      ? { exception: 'open' as const }
      : tab === 'lost'
        ? { exception: 'lost' as const }
        : stage
          ? { stage }
          : {}),
    ...(tracking ? { trackingNumber: tracking } : {}),
  };
  const list = useQuery({
    queryKey: ['shipments', query],
    queryFn: () => ok(api.GET('/shipments', { params: { query } })),
    refetchInterval: 10_000,
  });
  // Answered by the shipment's workflow: on a busy system 处理中 until it answers, applied once.
  const later = useAnswerLater();
  const resolve = useMutation({
    mutationFn: (v: { id: string; action: 'resume' | 'lost' }) =>
      later.run((headers) =>
        api.POST('/shipments/{id}/resolve', {
          params: { path: { id: v.id } },
          headers,
          body: { action: v.action, ...(note ? { note } : {}) },
        }),
      ),
    onSuccess: async () => {
      setProblem(null);
      setNote('');
      await queryClient.invalidateQueries({ queryKey: ['shipments'] });
    },
    onError: (err) => setProblem(errorText(err)),
  });
  const canResolve = session.can('POST', '/shipments/:id/resolve');
  // The parcel whose resolution is on its way: its buttons wait for the outcome.
  const resolving = (id: string, action: 'resume' | 'lost') =>
    resolve.isPending && resolve.variables?.id === id && resolve.variables.action === action;
  const canLabel = session.can('POST', '/shipments/:id/label/reprint');
  // A parcel kept tracking (继续跟踪) stays at its stage until the carrier scans it again, its
  // exception cleared: it is no exception for a person any more, so it leaves the list.
  const shown = (list.data?.shipments ?? []).filter((s) => tab !== 'exceptions' || s.exception_kind);
  // Lost (the carrier said so, silence, or a person marked it: 标记丢件), the parcel's shipment is
  // closed and leaves 异常包裹 for 丢件: the order's page decides 补发 or 退款, not this one.
  const resolvable = (s: Shipment) =>
    s.stage === 'exception' && s.exception_kind !== null && s.exception_kind !== 'lost';

  const table = (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {tab === 'all' && (
          <Select
            aria-label={t('shipments.stage')}
            placeholder={t('shipments.stage')}
            allowClear
            style={{ width: 140 }}
            value={stage}
            onChange={setStage}
            options={STAGES.map((s) => ({ value: s, label: code(s) }))}
          />
        )}
        <Input.Search
          aria-label={t('shipments.trackingNumber')}
          placeholder={t('shipments.trackingNumber')}
          allowClear
          onSearch={(v) => setTracking(v.trim())}
          style={{ width: 220 }}
        />
      </Space>
      <PendingNote text={later.pending} />
      {problem && <Alert type="error" showIcon title={problem} role="alert" />}
      <Table<Shipment>
        size="small"
        rowKey="id"
        loading={list.isPending}
        dataSource={shown}
        pagination={{ pageSize: 50 }}
        columns={[
          {
            title: t('warehouse.parcel'),
            render: (_, s) => (
              <Button type="link" size="small" onClick={() => setOpen(s.id)}>
                {s.id}
              </Button>
            ),
          },
          { title: t('shipments.stage'), render: (_, s) => <CodeTag value={s.stage} /> },
          { title: t('shipments.carrier'), dataIndex: 'carrier' },
          { title: t('shipments.trackingNumber'), dataIndex: 'tracking_number' },
          {
            title: t('shipments.exception'),
            render: (_, s) =>
              s.exception_kind ? (
                <Space direction="vertical" size={0}>
                  <Tag color="red">{exceptionKindName(s.exception_kind, language)}</Tag>
                  <Typography.Text type="secondary">
                    {language === 'zh' && s.exception_detail
                      ? exceptionDetailZh(s.exception_detail)
                      : s.exception_detail}
                  </Typography.Text>
                </Space>
              ) : null,
          },
          {
            title: t('order.detail'),
            render: (_, s) =>
              s.order_ids.map((id) => (
                <div key={id}>
                  <Link to={`/orders/${encodeURIComponent(id)}`}>{id.split(':').at(-1)}</Link>
                </div>
              )),
          },
          { title: t('common.time'), render: (_, s) => <Time at={String(s.updated_at)} /> },
          {
            title: t('common.actions'),
            render: (_, s) => (
              <Space wrap>
                {canResolve && s.stage === 'exception' && s.exception_kind === 'lost' && (
                  <Typography.Text type="secondary">{t('shipments.lostOnOrder')}</Typography.Text>
                )}
                {canResolve && resolvable(s) && (
                  <>
                    <Button
                      size="small"
                      type="primary"
                      loading={resolving(s.id, 'resume')}
                      disabled={resolving(s.id, 'lost')}
                      onClick={() => resolve.mutate({ id: s.id, action: 'resume' })}
                    >
                      {t('shipments.resume')}
                    </Button>
                    <Button
                      size="small"
                      danger
                      loading={resolving(s.id, 'lost')}
                      disabled={resolving(s.id, 'resume')}
                      onClick={() => resolve.mutate({ id: s.id, action: 'lost' })}
                    >
                      {t('shipments.lost')}
                    </Button>
                  </>
                )}
                {canLabel && s.tracking_number && (
                  <Button size="small" onClick={() => setReprinting(s)}>
                    {t('shipments.label')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {canResolve && tab === 'exceptions' && (
        <Input
          aria-label={t('common.note')}
          placeholder={t('common.note')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          style={{ maxWidth: 400 }}
        />
      )}
    </Space>
  );

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('shipments.title')}</Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key })}
        items={[
          { key: 'exceptions', label: t('shipments.exceptions'), children: table },
          { key: 'lost', label: t('shipments.lostTab'), children: table },
          { key: 'all', label: t('shipments.all'), children: table },
        ]}
      />
      {reprinting && <ReprintLabel shipment={reprinting} onClose={() => setReprinting(null)} />}
      <Drawer open={open !== null} width={720} onClose={() => setOpen(null)} title={open} destroyOnHidden>
        {open && <Tracking shipmentId={open} />}
      </Drawer>
    </Space>
  );
}

/** Reprinting a label says why: the reason goes on the parcel's and its orders' timelines. */
function ReprintLabel({ shipment, onClose }: { shipment: Shipment; onClose: () => void }) {
  const { t, errorText, issueText } = useLocale();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason?: string }>();
  const [problem, setProblem] = useState<string | null>(null);
  const reprint = useMutation({
    mutationFn: (reason: string) =>
      ok(
        api.POST('/shipments/{id}/label/reprint', {
          params: { path: { id: shipment.id } },
          body: { reason },
        }),
      ),
    onSuccess: async (answer) => {
      onClose();
      await queryClient.invalidateQueries({ queryKey: ['shipment', shipment.id] });
      await openFile(answer.print);
    },
    onError: (err) => {
      if (err instanceof ApiError && err.problem.issues?.length) {
        form.setFields(
          err.problem.issues.map((i) => ({ name: formFieldName(i.field) as never, errors: [issueText(i)] })),
        );
        setProblem(null);
      } else setProblem(errorText(err));
    },
  });
  return (
    <Modal
      open
      title={`${t('shipments.label')} · ${shipment.tracking_number ?? shipment.id}`}
      okText={t('shipments.label')}
      okButtonProps={{ loading: reprint.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {problem && <Alert type="error" showIcon role="alert" title={problem} style={{ marginBottom: 8 }} />}
      <Form
        form={form}
        name="reprint-label"
        layout="vertical"
        onFinish={(v) => reprint.mutate(v.reason ?? '')}
      >
        <Form.Item label={t('shipments.reprintReason')} name="reason">
          <Input autoFocus maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
