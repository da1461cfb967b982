import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Statistic, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useSession } from '../auth/session';
import { api, ok } from '../client/client';
import type { Answer } from '../client/types';
import { Money } from '../components/format';
import { RuleCondition, RulesToolbar, RuleTitle } from '../components/RuleCells';
import { ruleName } from '../i18n/conditions';
import { useLocale } from '../i18n/locale';
import { actorName } from '../i18n/timeline';

type Rule = Answer<'/after-sale-rules', 'get'>['rules'][number];
type Summary = Answer<'/after-sale-rules/dry-run', 'post'>['summary'];

/**
 * 售后自动审核: the after-sales rules in force; switching one on or off is first shown as a dry
 * run over the last days' cases (how many it would agree by itself, hold, leave to a person, and
 * the cases it would agree that a person refused).
 */
export function AfterSaleRules() {
  const { t, code, errorText, language } = useLocale();
  const session = useSession();
  const queryClient = useQueryClient();
  const [days, setDays] = useState(30);
  const [result, setResult] = useState<{ label: string; summary: Summary } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [showJson, setShowJson] = useState(false);
  const rules = useQuery({
    queryKey: ['rules', 'after-sale'],
    queryFn: () => ok(api.GET('/after-sale-rules')),
  });
  const list = rules.data?.rules ?? [];
  const canDryRun = session.can('POST', '/after-sale-rules/dry-run');
  const canToggle = session.can('POST', '/after-sale-rules/:id/enable');
  const fail = (err: unknown) => setProblem(errorText(err));

  const dryRun = useMutation({
    mutationFn: async (v: { draft?: Rule[]; label: string }) => {
      const r = await ok(
        api.POST('/after-sale-rules/dry-run', {
          body: {
            days,
            sampleSize: 5,
            includeCases: false,
            limit: 5000,
            ...(v.draft ? { rules: v.draft as never } : {}),
          },
        }),
      );
      return { label: v.label, summary: r.summary };
    },
    onSuccess: (r) => (setResult(r), setProblem(null)),
    onError: fail,
  });
  const toggle = useMutation({
    mutationFn: (v: { id: string; enable: boolean }) => {
      const params = { params: { path: { id: v.id } } };
      return v.enable
        ? ok(api.POST('/after-sale-rules/{id}/enable', params))
        : ok(api.POST('/after-sale-rules/{id}/disable', params));
    },
    onSuccess: async () => {
      setResult(null);
      await queryClient.invalidateQueries({ queryKey: ['rules', 'after-sale'] });
    },
    onError: fail,
  });
  /** The rules in force with one switched: what switching it would do. */
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
                run: () => dryRun.mutate({ label: t('rules.afterSales') }),
                pending: dryRun.isPending,
              }
            : null
        }
        json={showJson}
        setJson={setShowJson}
      />
      {problem && <Alert type="error" showIcon title={problem} role="alert" />}
      {result && <DryRun label={result.label} summary={result.summary} />}
      <Table<Rule>
        size="small"
        rowKey="id"
        loading={rules.isPending}
        dataSource={list}
        pagination={false}
        data-testid="after-sale-rules"
        columns={[
          { title: t('rules.order'), dataIndex: 'order', width: 70 },
          { title: t('rules.rule'), render: (_, r) => <RuleTitle rule={r} /> },
          {
            title: t('rules.action'),
            render: (_, r) => (
              <Space size={2} wrap>
                <Tag color={r.action.type === 'agree' ? 'green' : 'orange'}>{code(r.action.type)}</Tag>
                {r.action.type === 'hold' && <Tag>{code(r.action.reason)}</Tag>}
                {r.action.type === 'hold' && <Tag>{code(r.action.clearedBy)}</Tag>}
              </Space>
            ),
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
                    aria-label={`${t('rules.dryRun')} ${r.id}`}
                    onClick={() =>
                      dryRun.mutate({
                        draft: draftWith(r),
                        label: `${r.enabled ? '−' : '+'} ${ruleName(r.name, language)}`,
                      })
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

function DryRun({ label, summary }: { label: string; summary: Summary }) {
  const { t, code, language } = useLocale();
  const samples = (ids: string[]) =>
    ids.map((id) => (
      <Link key={id} to={`/after-sales/${encodeURIComponent(id)}`} style={{ marginRight: 8 }}>
        {id.split(':').at(-1)}
      </Link>
    ));
  return (
    <Card size="small" title={`${t('rules.dryRun')} · ${label}`} data-testid="dry-run">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space size="large" wrap>
          <Statistic title={t('rules.evaluated')} value={summary.evaluated} />
          <Statistic title={t('rules.autoAgreed')} value={summary.autoAgreed} />
          <Statistic
            title={t('rules.autoAgreedFen')}
            valueRender={() => <Money fen={summary.autoAgreedFen} />}
          />
          <Statistic title={t('rules.held')} value={summary.held} />
          <Statistic title={t('rules.toPerson')} value={summary.toPerson} />
          <Statistic title={t('rules.agreedButRefused')} value={summary.agreedButRefused.count} />
        </Space>
        {summary.agreedButRefused.count > 0 && (
          <Alert
            type="warning"
            showIcon
            title={
              <>
                {t('rules.agreedButRefused')}: {samples(summary.agreedButRefused.sampleCaseIds)}
              </>
            }
          />
        )}
        <Table
          size="small"
          rowKey={(r) => `${r.ruleId}|${r.reason ?? 'agree'}`}
          pagination={false}
          dataSource={summary.byRule}
          columns={[
            { title: t('rules.rule'), render: (_, r) => ruleName(r.ruleName, language) },
            { title: t('rules.action'), render: (_, r) => code(r.reason ?? r.action) },
            { title: t('rules.count'), dataIndex: 'count' },
            { title: t('rules.samplesCases'), render: (_, r) => samples(r.sampleCaseIds) },
          ]}
        />
      </Space>
    </Card>
  );
}
