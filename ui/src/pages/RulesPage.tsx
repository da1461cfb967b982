import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Statistic, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ok } from '../client/client';
import type { Answer } from '../client/types';
import { useSession } from '../auth/session';
import { useLocale } from '../i18n/locale';
import { actorName } from '../i18n/timeline';
import { AfterSaleRules } from './AfterSaleRules';
import { RuleCondition, RulesToolbar, RuleTitle } from '../components/RuleCells';

type Kind = 'audit' | 'routing';
type Rule = Answer<'/audit-rules', 'get'>['rules'][number] | Answer<'/routing-rules', 'get'>['rules'][number];
type AuditSummary = Answer<'/audit-rules/dry-run', 'post'>['summary'];
type RoutingSummary = Answer<'/routing-rules/dry-run', 'post'>['summary'];
interface DryRun {
  label: string;
  notAudited: number;
  audit?: AuditSummary;
  routing?: RoutingSummary;
}

const PREFIX = { audit: '/audit-rules', routing: '/routing-rules' } as const;

/**
 * 规则: audit and routing rules. Switching a rule on or off is shown first as a dry run over the
 * last days' orders (how many it would hold or route, with sample orders), then applied.
 */
export function RulesPage() {
  const { t } = useLocale();
  const session = useSession();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('rules.title')}</Typography.Title>
      <Tabs
        items={[
          { key: 'audit', label: t('rules.audit'), children: <Rules kind="audit" /> },
          { key: 'routing', label: t('rules.routing'), children: <Rules kind="routing" /> },
          ...(session.can('GET', '/after-sale-rules')
            ? [{ key: 'after-sale', label: t('rules.afterSales'), children: <AfterSaleRules /> }]
            : []),
        ]}
      />
    </Space>
  );
}

function Rules({ kind }: { kind: Kind }) {
  const { t, code, errorText, language } = useLocale();
  const session = useSession();
  const queryClient = useQueryClient();
  const prefix = PREFIX[kind];
  const [days, setDays] = useState(7);
  const [result, setResult] = useState<DryRun | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [showJson, setShowJson] = useState(false);
  const rules = useQuery({
    queryKey: ['rules', kind],
    queryFn: async (): Promise<{ rules: Rule[] }> =>
      kind === 'audit' ? ok(api.GET('/audit-rules')) : ok(api.GET('/routing-rules')),
  });
  const list: Rule[] = rules.data?.rules ?? [];
  const canDryRun = session.can('POST', `${prefix}/dry-run`);
  const canToggle = session.can('POST', `${prefix}/:id/enable`);

  const dryRun = useMutation({
    mutationFn: async (v: { draft?: Rule[]; label: string }): Promise<DryRun> => {
      const body = { days, sampleSize: 5, ...(v.draft ? { rules: v.draft as never } : {}) };
      if (kind === 'audit') {
        const r = await ok(api.POST('/audit-rules/dry-run', { body }));
        return { label: v.label, notAudited: r.notAudited, audit: r.summary };
      }
      const r = await ok(api.POST('/routing-rules/dry-run', { body }));
      return { label: v.label, notAudited: r.notAudited, routing: r.summary };
    },
    onSuccess: (r) => (setResult(r), setProblem(null)),
    onError: (err) => setProblem(errorText(err)),
  });
  const toggle = useMutation({
    mutationFn: async (v: { id: string; enable: boolean }) => {
      const params = { params: { path: { id: v.id } } };
      if (kind === 'audit') {
        return v.enable
          ? ok(api.POST('/audit-rules/{id}/enable', params))
          : ok(api.POST('/audit-rules/{id}/disable', params));
      }
      return v.enable
        ? ok(api.POST('/routing-rules/{id}/enable', params))
        : ok(api.POST('/routing-rules/{id}/disable', params));
    },
    onSuccess: async () => {
      setResult(null);
      await queryClient.invalidateQueries({ queryKey: ['rules', kind] });
    },
    onError: (err) => setProblem(errorText(err)),
  });

  /** The rules in force with one rule switched: what switching it would do. */
  const draftWith = (rule: Rule): Rule[] =>
    list.map((r) => (r.id === rule.id ? { ...r, enabled: !r.enabled } : r)).filter((r) => r.enabled);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <RulesToolbar
        dryRun={
          canDryRun
            ? {
                days,
                setDays,
                run: () => dryRun.mutate({ label: t(kind === 'audit' ? 'rules.audit' : 'rules.routing') }),
                pending: dryRun.isPending,
              }
            : null
        }
        json={showJson}
        setJson={setShowJson}
      />
      {problem && <Alert type="error" showIcon title={problem} role="alert" />}
      {result && <DryRunResult result={result} />}
      <Table<Rule>
        size="small"
        rowKey="id"
        loading={rules.isPending}
        dataSource={list}
        pagination={false}
        columns={[
          { title: t('rules.order'), dataIndex: 'order', width: 70 },
          { title: t('rules.rule'), render: (_, r) => <RuleTitle rule={r} /> },
          {
            title: t('rules.action'),
            render: (_, r) => {
              const action = r.action as {
                type: string;
                reason?: string;
                clearedBy?: string;
                stage?: number;
                flag?: string;
                group?: string;
                priority?: number;
              };
              return (
                <Space size={2} wrap>
                  {kind === 'audit' && (
                    <Tag color={action.type === 'hold' ? 'orange' : 'gold'}>
                      {t(action.type === 'hold' ? 'rules.hold' : 'rules.flag')}
                    </Tag>
                  )}
                  {action.reason && <Tag>{code(action.reason)}</Tag>}
                  {action.stage !== undefined && <Tag>{code(`stage.${action.stage}`)}</Tag>}
                  {action.clearedBy && <Tag>{t('rules.clearedBy', { role: code(action.clearedBy) })}</Tag>}
                  {action.flag && <Tag>{code(action.flag)}</Tag>}
                  {action.group && (
                    <Tag color="blue">{t('rules.toGroup', { group: code(action.group) })}</Tag>
                  )}
                  {action.priority !== undefined && (
                    <Tag>{t('rules.priority', { priority: action.priority })}</Tag>
                  )}
                </Space>
              );
            },
          },
          { title: t('rules.when'), render: (_, r) => <RuleCondition when={r.when} json={showJson} /> },
          { title: t('rules.version'), dataIndex: 'version', width: 60 },
          { title: t('rules.updatedBy'), render: (_, r) => actorName(r.updatedBy, language) },
          {
            title: t('rules.enabled'),
            render: (_, r) => (
              <Space>
                <Switch
                  aria-label={`${t('rules.enabled')} ${r.id}`}
                  checked={r.enabled}
                  disabled={!canToggle}
                  loading={toggle.isPending && toggle.variables?.id === r.id}
                  onChange={(on) => toggle.mutate({ id: r.id, enable: on })}
                />
                {canDryRun && (
                  <Button
                    size="small"
                    onClick={() =>
                      dryRun.mutate({ draft: draftWith(r), label: `${r.enabled ? '−' : '+'} ${r.name}` })
                    }
                  >
                    {t('rules.dryRun')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}

function DryRunResult({ result }: { result: DryRun }) {
  const { t, code } = useLocale();
  const samples = (ids: string[]) =>
    ids.map((id) => (
      <Link key={id} to={`/orders/${encodeURIComponent(id)}`} style={{ marginRight: 8 }}>
        {id.split(':').at(-1)}
      </Link>
    ));
  return (
    <Card size="small" title={`${t('rules.dryRun')} · ${result.label}`} data-testid="dry-run">
      {result.audit && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space size="large" wrap>
            <Statistic title={t('rules.evaluated')} value={result.audit.evaluated} />
            <Statistic title={t('rules.held')} value={result.audit.held} />
            <Statistic title={t('rules.flagged')} value={result.audit.flagged} />
            <Statistic title={t('rules.passed')} value={result.audit.passed} />
            <Statistic title={t('rules.notAudited')} value={result.notAudited} />
          </Space>
          <Table
            size="small"
            rowKey={(r) => `${r.reason}@${r.stage}`}
            pagination={false}
            dataSource={result.audit.byReason}
            columns={[
              { title: t('review.reasons'), render: (_, r) => code(r.reason) },
              { title: t('review.stage'), render: (_, r) => code(`stage.${r.stage}`) },
              { title: t('rules.count'), dataIndex: 'count' },
              { title: t('rules.samples'), render: (_, r) => samples(r.sampleOrderIds) },
            ]}
          />
        </Space>
      )}
      {result.routing && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Statistic title={t('rules.evaluated')} value={result.routing.evaluated} />
          <Table
            size="small"
            rowKey="group"
            pagination={false}
            dataSource={result.routing.byGroup}
            columns={[
              { title: t('rules.group'), dataIndex: 'group' },
              { title: t('rules.count'), dataIndex: 'count' },
              { title: t('rules.samples'), render: (_, r) => samples(r.sampleOrderIds) },
            ]}
          />
        </Space>
      )}
    </Card>
  );
}
