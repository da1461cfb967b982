import { Button, InputNumber, Space, Switch, Typography } from 'antd';
import { describeCondition, ruleName, type ConditionLike } from '../i18n/conditions';
import { useLocale } from '../i18n/locale';

/** A rule's name, its description and its id beneath, in the reader's language where the rule has it. */
export function RuleTitle({ rule }: { rule: { id: string; name: string; description?: string | null } }) {
  const { language } = useLocale();
  return (
    <Space direction="vertical" size={0}>
      <Typography.Text strong>{ruleName(rule.name, language)}</Typography.Text>
      {rule.description && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {rule.description}
        </Typography.Text>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 11 }} code>
        {rule.id}
      </Typography.Text>
    </Space>
  );
}

/** When the rule applies, as a sentence; the stored JSON under it when `json` is on. */
export function RuleCondition({ when, json }: { when: unknown; json: boolean }) {
  // Channels first, then the other codes (order types, flags, after-sales kinds).
  const { language, platform } = useLocale();
  return (
    <Space direction="vertical" size={2}>
      <Typography.Text data-testid="rule-condition">
        {describeCondition(when as ConditionLike, language, platform)}
      </Typography.Text>
      {json && (
        <Typography.Text code style={{ fontSize: 11, whiteSpace: 'pre-wrap' }} data-testid="rule-json">
          {JSON.stringify(when)}
        </Typography.Text>
      )}
    </Space>
  );
}

/**
 * Above a rule table: the dry run over the last days (for roles that may run it) and the switch
 * that shows each rule's stored JSON under its sentence (for whoever writes rules through the API).
 */
export function RulesToolbar(props: {
  dryRun: { days: number; setDays: (days: number) => void; run: () => void; pending: boolean } | null;
  json: boolean;
  setJson: (on: boolean) => void;
}) {
  const { t } = useLocale();
  const { dryRun } = props;
  return (
    <Space wrap>
      {dryRun && (
        <>
          {t('rules.dryRunDays')}
          <InputNumber
            aria-label={t('rules.dryRunDays')}
            min={1}
            max={90}
            value={dryRun.days}
            onChange={(v) => v && dryRun.setDays(v)}
          />
          <Button onClick={dryRun.run} loading={dryRun.pending}>
            {t('rules.dryRun')}
          </Button>
        </>
      )}
      <Space size={4}>
        <Switch size="small" aria-label={t('rules.showJson')} checked={props.json} onChange={props.setJson} />
        {t('rules.showJson')}
      </Space>
    </Space>
  );
}
