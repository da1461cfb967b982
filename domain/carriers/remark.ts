import type { CarrierCode } from './codes.js';

/**
 * Carrier names as buyers write them in remarks. Longer names first so 顺丰快运 is not read as
 * 顺丰 and 邮政EMS not as 邮政.
 */
const ALIASES: Array<[RegExp, CarrierCode]> = [
  [/顺丰快运/, 'SFKY'],
  [/中通快运/, 'ZTOKY'],
  [/韵达快运/, 'YDKY'],
  [/京东快运/, 'JDKY'],
  [/德邦物流/, 'DBL'],
  [/(邮政\s*EMS|EMS|ems|特快专递)/, 'EMS'],
  [/(邮政|邮局|小包)/, 'POSTB'],
  [/(顺丰|SF(?![a-z])|sf(?![a-z]))/, 'SF'],
  [/中通/, 'ZTO'],
  [/圆通/, 'YTO'],
  [/申通/, 'STO'],
  [/韵达/, 'YUNDA'],
  [/(京东|JD(?![a-z]))/, 'JD'],
  [/极兔/, 'JTSD'],
  [/德邦/, 'DBKD'],
  [/(百世|汇通)/, 'HTKY'],
  [/宅急送/, 'ZJS'],
  [/优速/, 'UC'],
  [/天天快递/, 'HHTT'],
  [/丹鸟/, 'DANNIAO'],
  [/跨越/, 'KYE'],
  [/闪送/, 'SHANSONG'],
  [/DHL/i, 'DHL'],
  [/(FedEx|联邦快递)/i, 'FEDEX'],
  [/UPS/, 'UPS'],
];

/** Words just before a carrier name that make it a request (请发顺丰, 走京东, 指定EMS, 只收中通). */
const ASK_BEFORE = /(发|走|用|要|寄|指定|只收|选|换成?|改成?|安排)\s*$/;
/** Words just after it that do the same (顺丰发货, 顺丰到付, 中通寄). */
const ASK_AFTER = /^\s*(快递)?\s*(发货|发|寄|到付|配送|送)/;
/** A refusal within a few characters before the name (不要发韵达, 别走中通, 不发圆通). */
const REFUSAL = /(不要|不用|不想|别|勿|不发|不走|拒收|不收|不接受|除了)[^，。,.!！]{0,4}$/;

/**
 * The carrier a buyer or seller remark asks for, if it asks for one: "请发顺丰" → 'SF',
 * "不要发韵达" → undefined. Names mentioned without a request ("顺丰的短信收到了") do not count.
 */
export function carrierRequestedInRemark(remark: string | undefined): CarrierCode | undefined {
  if (!remark) return undefined;
  const text = remark.normalize('NFKC');
  const hits: Array<{ index: number; carrier: CarrierCode; length: number }> = [];
  for (const [pattern, carrier] of ALIASES) {
    const global = new RegExp(
      pattern.source,
      pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g',
    );
    for (const match of text.matchAll(global)) {
      const index = match.index ?? 0;
      const length = match[0].length;
      // A shorter alias inside a longer one already found (顺丰 inside 顺丰快运) is the same mention.
      if (hits.some((h) => index >= h.index && index < h.index + h.length)) continue;
      hits.push({ index, carrier, length });
    }
  }
  hits.sort((a, b) => a.index - b.index);
  for (const hit of hits) {
    const before = text.slice(Math.max(0, hit.index - 8), hit.index);
    const after = text.slice(hit.index + hit.length, hit.index + hit.length + 6);
    if (REFUSAL.test(before)) continue;
    if (ASK_BEFORE.test(before) || ASK_AFTER.test(after)) return hit.carrier;
  }
  return undefined;
}
