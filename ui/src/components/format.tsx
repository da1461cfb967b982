import { Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useLocale } from '../i18n/locale';

/** Amounts are kept in fen (分): shown as yuan. */
export function Money({ fen, currency = 'CNY' }: { fen: number; currency?: string }) {
  const symbol = currency === 'CNY' ? '¥' : `${currency} `;
  return (
    <span style={{ fontVariantNumeric: 'tabular-nums' }}>
      {symbol}
      {(fen / 100).toFixed(2)}
    </span>
  );
}

/** A date-time in the local time zone, with how long ago on hover. */
export function Time({ at }: { at: string | null | undefined }) {
  if (!at) return <Typography.Text type="secondary">—</Typography.Text>;
  const d = dayjs(at);
  return (
    <Tooltip title={d.fromNow()}>
      <span>{d.format('MM-DD HH:mm:ss')}</span>
    </Tooltip>
  );
}

function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function span(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}:${String(s).padStart(2, '0')}`;
}

/** Time left until `at`, ticking; red once past (shown as how long overdue). */
export function Countdown({ at, warnMs = 10 * 60_000 }: { at: string; warnMs?: number }) {
  const now = useNow();
  const { t } = useLocale();
  const left = Date.parse(at) - now;
  if (left <= 0) {
    return (
      <Tag color="red" aria-label={`${t('review.overdue')} ${span(left)}`}>
        {t('review.overdue')} {span(left)}
      </Tag>
    );
  }
  return <Tag color={left < warnMs ? 'orange' : 'green'}>{span(left)}</Tag>;
}

const STATUS_COLORS: Record<string, string> = {
  held: 'orange',
  exception: 'red',
  out_of_stock: 'volcano',
  cancelled: 'default',
  delivered: 'green',
  completed: 'green',
  shipped: 'blue',
  in_transit: 'blue',
  open: 'orange',
  resolved: 'green',
};

/** A status (or any code) from the API as a coloured tag, in words (`label`: the page's own words). */
export function CodeTag({
  value,
  color,
  label,
}: {
  value: string | null | undefined;
  color?: string;
  label?: string;
}) {
  const { code } = useLocale();
  if (!value) return null;
  return <Tag color={color ?? STATUS_COLORS[value] ?? 'default'}>{label ?? code(value)}</Tag>;
}
