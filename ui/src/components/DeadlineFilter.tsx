import { Checkbox, Form, InputNumber } from 'antd';
import { Countdown, Time } from './format';
import { useLocale } from '../i18n/locale';

/** The lists' deadline filter, as the API takes it: due within N hours, overdue, or both (either). */
export interface DeadlineValues {
  dueWithinHours?: number | null;
  overdue?: boolean;
}

/** The two form fields of the deadline filter, for an inline filter form. */
export function DeadlineFilterItems() {
  const { t } = useLocale();
  return (
    <>
      <Form.Item name="dueWithinHours" label={t('deadline.within')}>
        <InputNumber min={1} max={720} precision={0} style={{ width: 90 }} />
      </Form.Item>
      <Form.Item name="overdue" valuePropName="checked">
        <Checkbox>{t('deadline.overdue')}</Checkbox>
      </Form.Item>
    </>
  );
}

/** The deadline filter's query parameters (left out when not asked for). */
export function deadlineQuery(v: DeadlineValues): { dueWithinHours?: number; overdue?: 'true' } {
  return {
    ...(v.dueWithinHours ? { dueWithinHours: v.dueWithinHours } : {}),
    ...(v.overdue ? { overdue: 'true' as const } : {}),
  };
}

/** A deadline cell: the countdown while the work it bounds is open, the time otherwise. */
export function DeadlineCell({ at, open }: { at: string | null | undefined; open: boolean }) {
  if (!at) return <>—</>;
  return open ? <Countdown at={at} warnMs={2 * 3_600_000} /> : <Time at={at} />;
}
