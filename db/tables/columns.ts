import type { ColumnType } from 'kysely';

/** Timestamps are written as Date or ISO strings and always read back as Date. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
