/**
 * 1688 dates (java.util.Date on the wire): `yyyyMMddHHmmssSSS` followed by the zone, e.g.
 * `20180721172608000+0800` (the doc examples of `alibaba.trade.getSellerOrderList`; the SDK's
 * `_aop_datePattern` is `yyyyMMddHHmmssSSSZ`). We send Beijing time (+0800).
 */
const OFFSET_MS = 8 * 3_600_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function format1688Time(date: Date): string {
  const t = new Date(date.getTime() + OFFSET_MS);
  return (
    `${t.getUTCFullYear()}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}` +
    `${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}${pad(t.getUTCSeconds())}` +
    `${pad(t.getUTCMilliseconds(), 3)}+0800`
  );
}

const PATTERN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})([+-])(\d{2})(\d{2})$/;

/** The instant a 1688 date names, or undefined for an empty or unreadable one. */
export function parse1688Time(text: string | undefined | null): Date | undefined {
  const m = text ? PATTERN.exec(text.trim()) : null;
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms, sign, zh, zm] = m as unknown as string[];
  const offset = (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm)) * 60_000;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms));
  return new Date(utc - offset);
}
