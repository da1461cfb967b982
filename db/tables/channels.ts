import type { ColumnType } from 'kysely';

/** Taobao TMC / PDD PMC message channels (0250_message_channels). */

type Counter = ColumnType<number, number | undefined, number>;
type MaybeTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface MessageChannelsTable {
  channel: string;
  app_key: string;
  received: Counter;
  handed_over: Counter;
  unrouted: Counter;
  ignored: Counter;
  last_message_at: MaybeTime;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  last_error_at: MaybeTime;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface MessageChannelUnroutedTable {
  channel: string;
  app_key: string;
  seller: string;
  messages: Counter;
  last_topic: string;
  first_seen: ColumnType<Date, Date | string | undefined, Date | string>;
  last_seen: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ChannelTables {
  message_channels: MessageChannelsTable;
  message_channel_unrouted: MessageChannelUnroutedTable;
}
