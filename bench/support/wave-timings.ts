import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { sql } from 'kysely';
import type { Db } from '../../db/connect.js';
import { fmt } from './stats.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const ms = (e: HistoryEvent | undefined): number | undefined => {
  const t = e?.eventTime;
  return t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : undefined;
};

/** One activity of the wave workflow: how long it waited in the task queue, and ran. */
interface ActivityTiming {
  type: string;
  waitMs: number | undefined;
  runMs: number | undefined;
  attempts: number;
}

function activityTimings(events: HistoryEvent[]): ActivityTiming[] {
  const byId = new Map<string, HistoryEvent>();
  for (const e of events) byId.set(String(e.eventId), e);
  const out = new Map<string, ActivityTiming & { scheduledAt: number | undefined; startedAt?: number }>();
  for (const e of events) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) {
      out.set(String(e.eventId), {
        type: scheduled.activityType?.name ?? '?',
        scheduledAt: ms(e),
        waitMs: undefined,
        runMs: undefined,
        attempts: 0,
      });
    }
    const started = e.activityTaskStartedEventAttributes;
    if (started) {
      const t = out.get(String(started.scheduledEventId));
      if (t) {
        t.startedAt = ms(e);
        t.attempts = started.attempt ?? 1;
        t.waitMs = t.startedAt! - t.scheduledAt!;
      }
    }
    const completed = e.activityTaskCompletedEventAttributes;
    if (completed) {
      const t = out.get(String(completed.scheduledEventId));
      if (t && t.startedAt !== undefined) t.runMs = ms(e)! - t.startedAt;
    }
  }
  return [...out.values()];
}

/**
 * Where a burst's waves spent their time: each of the wave workflow's activities (formWave,
 * createWave, dispatchWave) split into its wait in the task queue and its run, and per wave the
 * time from the pick list to its first and last shipment started and to the crew's first pick.
 */
export async function waveTimings(client: Client, db: Db, warehouse: string): Promise<string[]> {
  const lines: string[] = [];
  // No order may have reached its wave yet (a stalled run).
  const history = await client.workflow
    .getHandle(`wave:${warehouse}`)
    .fetchHistory()
    .catch(() => ({ events: [] }));
  if (!history.events?.length) lines.push(`  wave:${warehouse} has not started`);
  const acts = activityTimings(history.events ?? []).filter((a) => a.type !== 'loadWavePolicy');
  for (const a of acts) {
    lines.push(
      `  ${a.type.padEnd(13)} waited ${fmt((a.waitMs ?? NaN) / 1000, 2)} s, ran ${fmt((a.runMs ?? NaN) / 1000, 2)} s` +
        (a.attempts > 1 ? ` (attempt ${a.attempts})` : ''),
    );
  }
  const waves = await db
    .selectFrom('wms_waves as w')
    .select([
      'w.id',
      sql<number>`(select count(*) from wms_pack_tasks t where t.wave_id = w.id)`.as('parcels'),
      sql<number>`extract(epoch from (select min(e.at) from shipment_events e join shipments s on s.id = e.shipment_id where s.wave_id = w.id and e.stage = 'created') - w.created_at)`.as(
        'first',
      ),
      sql<number>`extract(epoch from (select max(e.at) from shipment_events e join shipments s on s.id = e.shipment_id where s.wave_id = w.id and e.stage = 'created') - w.created_at)`.as(
        'last',
      ),
      sql<number>`extract(epoch from (select min(c.at) from wms_confirmations c where c.wave_id = w.id) - w.created_at)`.as(
        'pick',
      ),
    ])
    .orderBy('w.created_at')
    .execute();
  for (const w of waves) {
    lines.push(
      `  wave ${w.id}: ${w.parcels} parcels; pick list → first / last shipment recorded ` +
        `${fmt(Number(w.first), 1)} / ${fmt(Number(w.last), 1)} s, → crew's first pick ${fmt(Number(w.pick), 1)} s`,
    );
  }
  return lines;
}
