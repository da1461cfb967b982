import { Alert, Card, Descriptions, Empty, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import type { Answer } from '../client/types';
import { useLocale } from '../i18n/locale';
import { trackingStatusName } from '../i18n/return-parcel';
import { spanZh } from '../i18n/waiting';
import { CodeTag, Time } from './format';
import { TrackingEvents } from './TrackingEvents';

type CaseDetail = Answer<'/after-sales/{id}', 'get'>;

/** Ticks once a minute: how long a parcel has sat is read in days and hours. */
function useMinute(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** A length in the reader's language: 5 天 / 3.5 小时, 5 days / 3.5 hours. */
function spanText(seconds: number, language: 'zh' | 'en'): string {
  if (language === 'zh') return spanZh(seconds);
  const one = (n: number) => String(Math.round(n * 10) / 10);
  if (seconds >= 86_400) return `${one(seconds / 86_400)} days`;
  if (seconds >= 3_600) return `${one(seconds / 3_600)} hours`;
  if (seconds >= 60) return `${one(seconds / 60)} minutes`;
  return `${one(seconds)} seconds`;
}

/** What the attention notice says, by why the parcel is with a person. */
const ATTENTION_WORDS = {
  stalled: 'rp.stalled',
  unreceived: 'rp.unreceived',
  overdue: 'rp.overdue',
} as const;

/**
 * 退货包裹: the parcel an after-sales case waits for — its carrier and waybill, the last scan (when,
 * where, the carrier's words), whether it is with a person (no new scan, or delivered and not
 * received, and for how long), and its whole route. The record comes from the database, so it shows
 * when the case's live state does not answer; why it is with a person comes from the live state.
 */
export function ReturnParcel({ detail }: { detail: CaseDetail }) {
  const { t, code, language } = useLocale();
  const now = useMinute();
  const parcel = detail.returnParcel;
  if (!parcel) return null;
  const live = detail.state?.returnParcel ?? null;
  const attention = live?.attention ?? null;
  const last = parcel.scans.at(-1) ?? null;
  const status = (value: string) => trackingStatusName(value, language, code);
  const since = attention ? Math.max(0, (now - Date.parse(attention.since)) / 1000) : 0;
  const carrier = parcel.carrierCode
    ? [parcel.carrierName?.[language], parcel.carrierCode].filter(Boolean).join(' · ')
    : '—';
  return (
    <Card size="small" title={t('rp.title')} data-testid="return-parcel">
      {attention && (
        <Alert
          type="warning"
          showIcon
          data-testid="return-parcel-attention"
          style={{ marginBottom: 8 }}
          title={t(ATTENTION_WORDS[attention.kind], {
            span: spanText(since, language),
            since: dayjs(attention.since).format('MM-DD HH:mm'),
            tracking: status(parcel.trackingStatus ?? live?.tracking ?? 'delivered'),
          })}
        />
      )}
      <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
        <Descriptions.Item label={t('rp.carrier')}>
          <span data-testid="return-parcel-carrier">{carrier}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('rp.trackingNo')}>
          {parcel.trackingNo ? (
            <Typography.Text copyable data-testid="return-parcel-tracking-no">
              {parcel.trackingNo}
            </Typography.Text>
          ) : (
            t('rp.noTrackingNo')
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('rp.source')}>
          {parcel.source ? t(`rp.source.${parcel.source}` as 'rp.source.buyer') : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('rp.status')}>
          <Space wrap>
            <CodeTag value={parcel.status} />
            {parcel.trackingStatus && (
              <CodeTag value={parcel.trackingStatus} label={status(parcel.trackingStatus)} />
            )}
          </Space>
        </Descriptions.Item>
        {live?.followedBy && (
          <Descriptions.Item label={t('rp.followedBy')}>
            {t(`rp.followedBy.${live.followedBy}`)}
          </Descriptions.Item>
        )}
        {parcel.receivedAt && (
          <Descriptions.Item label={t('rp.receivedAt')}>
            <Time at={parcel.receivedAt} />
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('rp.lastScan')} span={3}>
          {last ? (
            <Space wrap data-testid="return-parcel-last-scan">
              <Time at={last.at} />
              {last.location && <Tag>{last.location}</Tag>}
              <CodeTag value={last.status} label={status(last.status)} />
              <span>{last.description}</span>
            </Space>
          ) : (
            t('rp.noScan')
          )}
        </Descriptions.Item>
      </Descriptions>
      {parcel.scans.length > 0 ? (
        <>
          <Typography.Text strong>{t('rp.scans')}</Typography.Text>
          <TrackingEvents events={parcel.scans} testId="return-parcel-scans" />
        </>
      ) : (
        parcel.trackingNo && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rp.noScan')} />
      )}
    </Card>
  );
}
