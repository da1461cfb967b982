import { z } from 'zod';
import { PlatformError } from './errors.js';

/**
 * Field readers the channels' wire schemas share (bodies parsed losslessly, so a long id may come
 * as a digit string or a bigint): ids kept as strings, optional text as '' and optional lists as
 * [], decimal amounts as their text ('0' when absent).
 */
export const wireId = z.union([z.string(), z.number().int(), z.bigint()]).transform(String);

export const wireText = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? '' : String(v)));

export const wireDecimal = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === '' ? '0' : String(v)));

export const wireList = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

/** A platform body read with its schema, or a PlatformError naming the first field we cannot read. */
export function readWire<T>(platform: string, what: string, schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new PlatformError(
    `${platform} ${what} we cannot read: ${issue?.path.join('.')}: ${issue?.message}`,
    platform,
    'unexpected_response',
  );
}
