/**
 * China-time strings. TOP, JD and PDD speak `yyyy-MM-dd HH:mm:ss` in GMT+8 with no zone marker;
 * JD's own signing example adds milliseconds and `+0800`. Converting by a fixed offset keeps the
 * server's zone out of it (China has no daylight saving).
 */
const OFFSET_MS = 8 * 60 * 60 * 1000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatGmt8(date: Date, options: { millis?: boolean; zone?: boolean } = {}): string {
  const t = new Date(date.getTime() + OFFSET_MS);
  let text =
    `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ` +
    `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
  if (options.millis) text += `.${pad(t.getUTCMilliseconds(), 3)}`;
  if (options.zone) text += '+0800';
  return text;
}

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?:\+0800|\+08:00)?$/;

/**
 * The instant a GMT+8 time string names, or undefined for empty strings and the platforms'
 * "not set" placeholders (`0001-01-01 00:00:00`, `1970-01-01 …`).
 */
export function parseGmt8(text: string | undefined | null): Date | undefined {
  if (!text) return undefined;
  const m = PATTERN.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms = '0'] = m as unknown as string[];
  if (Number(y) <= 1970) return undefined;
  const utc = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    Number(ms.padEnd(3, '0')),
  );
  return new Date(utc - OFFSET_MS);
}

/** ISO 8601 (UTC) for a GMT+8 string, or undefined when the platform left it unset. */
export function gmt8ToIso(text: string | undefined | null): string | undefined {
  return parseGmt8(text)?.toISOString();
}
