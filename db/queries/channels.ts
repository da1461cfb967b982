import { sql } from 'kysely';
import type { Db } from '../connect.js';

/**
 * Counters of the Taobao TMC / PDD PMC message channels, per channel and app, and the sellers whose
 * messages found no shop here. Written once per handled batch, so a busy channel costs a couple
 * of statements per batch, not per message.
 */

export type ChannelKind = 'tmc' | 'pmc';

export interface ChannelBatch {
  channel: ChannelKind;
  appKey: string;
  received: number;
  handedOver: number;
  ignored: number;
  /** Messages per seller with no shop: confirmed and dropped. */
  unrouted: ReadonlyArray<{ seller: string; topic: string; messages: number }>;
  at?: Date;
}

export async function recordChannelBatch(db: Db, batch: ChannelBatch): Promise<void> {
  const at = batch.at ?? new Date();
  const unrouted = batch.unrouted.reduce((sum, u) => sum + u.messages, 0);
  await sql`
    insert into message_channels (channel, app_key, received, handed_over, unrouted, ignored, last_message_at, updated_at)
    values (${batch.channel}, ${batch.appKey}, ${batch.received}, ${batch.handedOver}, ${unrouted}, ${batch.ignored}, ${at}, ${at})
    on conflict (channel, app_key) do update set
      received = message_channels.received + excluded.received,
      handed_over = message_channels.handed_over + excluded.handed_over,
      unrouted = message_channels.unrouted + excluded.unrouted,
      ignored = message_channels.ignored + excluded.ignored,
      last_message_at = excluded.last_message_at,
      updated_at = excluded.updated_at
  `.execute(db);
  for (const seller of batch.unrouted) {
    await sql`
      insert into message_channel_unrouted (channel, app_key, seller, messages, last_topic, first_seen, last_seen)
      values (${batch.channel}, ${batch.appKey}, ${seller.seller}, ${seller.messages}, ${seller.topic}, ${at}, ${at})
      on conflict (channel, app_key, seller) do update set
        messages = message_channel_unrouted.messages + excluded.messages,
        last_topic = excluded.last_topic,
        last_seen = excluded.last_seen
    `.execute(db);
  }
}

/** The channel's last failure (consume, connect, hand-over), or null once it works again. */
export async function recordChannelError(
  db: Db,
  input: { channel: ChannelKind; appKey: string; error: string | null; at?: Date },
): Promise<void> {
  const at = input.at ?? new Date();
  await sql`
    insert into message_channels (channel, app_key, last_error, last_error_at, updated_at)
    values (${input.channel}, ${input.appKey}, ${input.error}, ${input.error === null ? null : at}, ${at})
    on conflict (channel, app_key) do update set
      last_error = excluded.last_error,
      last_error_at = coalesce(excluded.last_error_at, message_channels.last_error_at),
      updated_at = excluded.updated_at
  `.execute(db);
}

export interface ChannelView {
  channel: ChannelKind;
  appKey: string;
  received: number;
  handedOver: number;
  unrouted: number;
  ignored: number;
  lastMessageAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  unroutedSellers: Array<{ seller: string; messages: number; lastTopic: string; lastSeen: string }>;
}

/** Every channel with its counters and unknown sellers, for ops screens. */
export async function listMessageChannels(
  db: Db,
  filter: { channel?: ChannelKind } = {},
): Promise<ChannelView[]> {
  let channels = db.selectFrom('message_channels').selectAll().orderBy('channel').orderBy('app_key');
  let sellers = db.selectFrom('message_channel_unrouted').selectAll().orderBy('last_seen', 'desc');
  if (filter.channel) {
    channels = channels.where('channel', '=', filter.channel);
    sellers = sellers.where('channel', '=', filter.channel);
  }
  const [rows, unrouted] = await Promise.all([channels.execute(), sellers.execute()]);
  return rows.map((row) => ({
    channel: row.channel as ChannelKind,
    appKey: row.app_key,
    received: row.received,
    handedOver: row.handed_over,
    unrouted: row.unrouted,
    ignored: row.ignored,
    lastMessageAt: row.last_message_at?.toISOString() ?? null,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at?.toISOString() ?? null,
    unroutedSellers: unrouted
      .filter((u) => u.channel === row.channel && u.app_key === row.app_key)
      .map((u) => ({
        seller: u.seller,
        messages: u.messages,
        lastTopic: u.last_topic,
        lastSeen: u.last_seen.toISOString(),
      })),
  }));
}
