import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Badge,
  Button,
  Card,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
  message,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError, formFieldName, ok } from '../client/client';
import type { Answer } from '../client/types';
import { useSession } from '../auth/session';
import { Time } from '../components/format';
import { alertKindName } from '../i18n/alerts';
import { useLocale } from '../i18n/locale';

type Shop = Answer<'/shops', 'get'>['shops'][number];
type Alert_ = Answer<'/alerts', 'get'>['alerts'][number];

/** The case an alert is about, linked to its page (its own id, as the platform shows it). */
function AlertCase({ subject }: { subject: string | null }) {
  if (!subject) return null;
  return <Link to={`/after-sales/${encodeURIComponent(subject)}`}>{subject.split(':').at(-1)}</Link>;
}

/** A short column's title stays on one line: a narrow empty column squeezed 售后单 into one character a line. */
const oneLineHeader = { onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' as const } }) };

/** One shop's alerts of one kind, a case each: what a grouped row stands for. */
function AlertGroup({ shopId, kind }: { shopId: string | null; kind: string }) {
  const { t, alertText } = useLocale();
  const members = useQuery({
    queryKey: ['alerts', 'group', shopId, kind],
    queryFn: () =>
      ok(
        api.GET('/alerts', {
          params: { query: { ...(shopId ? { shopId } : {}), kind: kind as never, limit: 500 } },
        }),
      ),
    refetchInterval: 15_000,
  });
  return (
    <Table<Alert_>
      size="small"
      rowKey="id"
      data-testid="alert-group-members"
      loading={members.isPending}
      dataSource={members.data?.alerts ?? []}
      pagination={{ pageSize: 20 }}
      columns={[
        {
          title: t('shops.alertCase'),
          render: (_, a) => <AlertCase subject={a.subject} />,
          ...oneLineHeader,
        },
        { title: t('shops.error'), render: (_, a) => alertText(a.kind, a.message) },
        { title: t('shops.occurrences'), dataIndex: 'occurrences', ...oneLineHeader },
        { title: t('common.time'), render: (_, a) => <Time at={a.lastSeen} /> },
      ]}
    />
  );
}

/** 店铺: each shop's sync (last poll, cursor, failures), open alerts, credentials (write-only), settings. */
export function ShopsPage() {
  const { t, language, platform, alertText } = useLocale();
  const session = useSession();
  const [open, setOpen] = useState<string | null>(null);
  const shops = useQuery({
    queryKey: ['shops'],
    queryFn: () => ok(api.GET('/shops')),
    refetchInterval: 15_000,
  });
  const canAlerts = session.can('GET', '/alerts');
  const alerts = useQuery({
    queryKey: ['alerts'],
    // Alerts about one case each (return parcels) come one row per shop and kind, so many stalled
    // parcels of one shop do not push its other alerts off the list; a row expands to its cases.
    queryFn: () => ok(api.GET('/alerts', { params: { query: { grouped: 'true' } } })),
    enabled: canAlerts,
    // Alerts refresh by themselves, like the review queue.
    refetchInterval: 5_000,
  });
  const alertsByShop = new Map<string, number>();
  for (const a of alerts.data?.alerts ?? [])
    if (a.shopId) alertsByShop.set(a.shopId, (alertsByShop.get(a.shopId) ?? 0) + a.groupSize);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('shops.title')}</Typography.Title>
      {canAlerts && (
        <Card
          size="small"
          title={
            <Badge count={alerts.data?.alerts.length ?? 0} offset={[12, 0]}>
              {t('shops.alerts')}
            </Badge>
          }
        >
          <Table<Alert_>
            size="small"
            rowKey="id"
            data-testid="alerts"
            dataSource={alerts.data?.alerts ?? []}
            pagination={{ pageSize: 10 }}
            expandable={{
              rowExpandable: (a) => a.groupSize > 1,
              expandedRowRender: (a) => <AlertGroup shopId={a.shopId} kind={a.kind} />,
            }}
            columns={[
              {
                title: t('common.status'),
                render: (_, a) => <Tag color="red">{alertKindName(a.kind, language)}</Tag>,
              },
              { title: t('common.shop'), dataIndex: 'shopId' },
              {
                title: t('shops.alertCase'),
                render: (_, a) =>
                  a.groupSize > 1 ? (
                    <Tag color="orange" title={t('shops.alertGroupHelp')} data-testid="alert-group">
                      {t('shops.alertGroup', { n: a.groupSize })}
                    </Tag>
                  ) : (
                    <AlertCase subject={a.subject} />
                  ),
                ...oneLineHeader,
              },
              { title: t('shops.error'), render: (_, a) => alertText(a.kind, a.message) },
              { title: t('shops.occurrences'), dataIndex: 'occurrences', ...oneLineHeader },
              { title: t('common.time'), render: (_, a) => <Time at={a.lastSeen} /> },
            ]}
          />
        </Card>
      )}
      <Table<Shop>
        size="small"
        rowKey="id"
        loading={shops.isPending}
        dataSource={shops.data?.shops ?? []}
        pagination={false}
        onRow={(s) => ({ onClick: () => setOpen(s.id), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t('common.shop'),
            render: (_, s) => (
              <Button type="link" size="small" onClick={() => setOpen(s.id)}>
                {s.name}
              </Button>
            ),
          },
          { title: t('common.platform'), render: (_, s) => platform(s.platform) },
          { title: 'id', dataIndex: 'id' },
          {
            title: t('shops.sync'),
            render: (_, s) =>
              !s.pullable ? (
                <Tag>push</Tag>
              ) : s.syncEnabled ? (
                <Tag color={s.sync.error ? 'red' : 'green'}>{s.sync.error ? t('shops.error') : 'OK'}</Tag>
              ) : (
                <Tag>off</Tag>
              ),
          },
          { title: t('shops.lastSynced'), render: (_, s) => <Time at={s.sync.lastSyncedAt} /> },
          { title: t('shops.cursor'), render: (_, s) => <Time at={s.sync.cursor} /> },
          {
            title: t('shops.error'),
            render: (_, s) => <Typography.Text type="danger">{s.sync.error}</Typography.Text>,
          },
          {
            title: t('shops.alerts'),
            render: (_, s) => (alertsByShop.get(s.id) ? <Badge count={alertsByShop.get(s.id)} /> : null),
          },
        ]}
      />
      <Drawer open={open !== null} width={640} onClose={() => setOpen(null)} title={open} destroyOnHidden>
        {open && <ShopDetail id={open} />}
      </Drawer>
    </Space>
  );
}

function ShopDetail({ id }: { id: string }) {
  const { t, errorText, issueText } = useLocale();
  const session = useSession();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const [settingsForm] = Form.useForm();
  const [credentialsForm] = Form.useForm();
  const shop = useQuery({
    queryKey: ['shop', id],
    queryFn: () => ok(api.GET('/shops/{id}', { params: { path: { id } } })),
    refetchInterval: 10_000,
  });
  const patch = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      ok(api.PATCH('/shops/{id}', { params: { path: { id } }, body: body as never })),
    onSuccess: async () => {
      setProblem(null);
      credentialsForm.resetFields();
      void message.success(t('shops.saved'));
      await queryClient.invalidateQueries({ queryKey: ['shop', id] });
      await queryClient.invalidateQueries({ queryKey: ['shops'] });
    },
    onError: (err, body) => {
      if (err instanceof ApiError && err.problem.issues?.length) {
        const credentials = 'credentials' in body;
        const form = credentials ? credentialsForm : settingsForm;
        form.setFields(
          err.problem.issues.map((i) => {
            const name = formFieldName(i.field);
            // The credentials form holds the fields of body.credentials at its top level.
            return { name: (credentials ? name.slice(1) : name) as never, errors: [issueText(i)] };
          }),
        );
      } else setProblem(errorText(err));
    },
  });
  if (!shop.data) return null;
  const s = shop.data;
  const state = s.sync.state;
  const canEdit = session.can('PATCH', '/shops/:id');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {problem && <Alert type="error" showIcon title={problem} role="alert" />}
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('common.shop')}>{s.name}</Descriptions.Item>
        <Descriptions.Item label={t('shops.activity')}>{state?.activity ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('shops.lastSynced')}>
          <Time at={s.sync.lastSyncedAt} />
        </Descriptions.Item>
        <Descriptions.Item label={t('shops.cursor')}>
          <Time at={s.sync.cursor} />
        </Descriptions.Item>
        <Descriptions.Item label={t('shops.failures')}>{state?.consecutiveFailures ?? 0}</Descriptions.Item>
        <Descriptions.Item label={t('shops.error')}>
          {state?.lastError?.message ?? s.sync.error ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('shops.credentials')}>
          {s.hasCredentials ? t('shops.credentialsStored') : t('shops.credentialsMissing')}
        </Descriptions.Item>
      </Descriptions>
      {canEdit && (
        <>
          <Card size="small" title={t('shops.settings')}>
            <Form
              form={settingsForm}
              layout="vertical"
              initialValues={{
                syncEnabled: s.syncEnabled,
                pollIntervalSeconds: s.pollIntervalSeconds,
                settings: JSON.stringify(s.settings, null, 2),
              }}
              onFinish={(v: { syncEnabled: boolean; pollIntervalSeconds: number; settings: string }) => {
                let settings: Record<string, unknown>;
                try {
                  settings = JSON.parse(v.settings || '{}') as Record<string, unknown>;
                } catch {
                  settingsForm.setFields([{ name: 'settings', errors: ['JSON'] }]);
                  return;
                }
                patch.mutate({
                  ...(s.pullable ? { syncEnabled: v.syncEnabled } : {}),
                  pollIntervalSeconds: v.pollIntervalSeconds,
                  settings,
                });
              }}
            >
              {s.pullable && (
                <Form.Item label={t('shops.enabled')} name="syncEnabled" valuePropName="checked">
                  <Switch />
                </Form.Item>
              )}
              <Form.Item label={t('shops.pollInterval')} name="pollIntervalSeconds">
                <InputNumber min={1} max={86400} />
              </Form.Item>
              <Form.Item label={t('shops.settings')} name="settings">
                <Input.TextArea rows={5} style={{ fontFamily: 'monospace' }} />
              </Form.Item>
              <Button htmlType="submit" type="primary" loading={patch.isPending}>
                {t('common.save')}
              </Button>
            </Form>
          </Card>
          <Card size="small" title={t('shops.updateCredentials')}>
            <Form
              form={credentialsForm}
              layout="vertical"
              autoComplete="off"
              onFinish={(v: Record<string, string | undefined>) => {
                const credentials = Object.fromEntries(
                  Object.entries(v).filter(([, value]) => value && value.trim()),
                );
                if (Object.keys(credentials).length) patch.mutate({ credentials });
              }}
            >
              {(['appKey', 'appSecret', 'accessToken', 'refreshToken', 'webhookSecret'] as const).map((f) => (
                <Form.Item key={f} label={f} name={f}>
                  <Input.Password autoComplete="new-password" visibilityToggle={false} />
                </Form.Item>
              ))}
              <Button htmlType="submit" loading={patch.isPending}>
                {t('common.save')}
              </Button>
            </Form>
          </Card>
        </>
      )}
    </Space>
  );
}
