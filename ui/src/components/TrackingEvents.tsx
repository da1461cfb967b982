import { Timeline, Typography } from 'antd';
import { useLocale } from '../i18n/locale';
import { trackingStatusName } from '../i18n/return-parcel';
import { CodeTag, Time } from './format';

export interface TrackingScan {
  at: string;
  status: string;
  /** The carrier's own words. */
  description: string;
  location?: string | null;
}

/**
 * A parcel's scans, newest first: when, the status in words, the carrier's words and where. The
 * order's parcels and an after-sales case's return parcel show their route the same way.
 */
export function TrackingEvents({ events, testId }: { events: readonly TrackingScan[]; testId?: string }) {
  const { language, code } = useLocale();
  return (
    <Timeline
      data-testid={testId}
      items={[...events].reverse().map((e, i) => ({
        key: `${e.at}:${i}`,
        children: (
          <span>
            <Time at={e.at} />{' '}
            <CodeTag value={e.status} label={trackingStatusName(e.status, language, code)} /> {e.description}{' '}
            {e.location ? <Typography.Text type="secondary">{e.location}</Typography.Text> : null}
          </span>
        ),
      }))}
    />
  );
}
