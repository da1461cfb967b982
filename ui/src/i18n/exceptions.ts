/**
 * A parcel's exception (物流异常) in the reader's language: its kind by the code the shipment
 * workflow raises (`exception_kind`), its detail with the workflow's English frame in Chinese and
 * the carrier's own words (already Chinese) kept. tests/ui/hold-messages.test.ts loads it directly
 * and fails when the shipment workflow or the tracking check raises a kind missing here, so its
 * imports are import-free siblings named with `.js`, which both the root tests and the UI's bundler
 * resolve.
 */
import { CAPABILITY_ZH } from './rejections.js';

export const exceptionKindZh: Readonly<Record<string, string>> = {
  // From the carrier's tracking (domain/carriers/tracking.ts)
  no_scan: '长时间无物流轨迹',
  returning: '退回途中',
  returned: '已退回',
  rejected: '收件人拒收',
  address_problem: '地址问题',
  problem_parcel: '问题件',
  // Raised by the shipment workflow itself
  no_carrier: '没有可用快递',
  waybill_refused: '快递拒绝出面单',
  platform_logistics_refused: '平台物流拒收包裹',
  address_changed: '合包订单改了地址',
  receiver_withheld: '平台不给收货人信息',
  lost: '包裹丢失',
};

const REFUSAL_ZH: ReadonlyArray<[string, string]> = [
  ['no waybill balance left', '面单余额不足'],
  ['the authorisation expired', '授权已过期'],
  ['the address is outside the service area', '地址不在派送范围'],
  ['the account is not set up for this carrier', '未为该快递配置面单账号'],
  ['the request was refused', '请求被拒绝'],
];

/** An ISO time in the reader's local time (as written when it is not one). */
function localTime(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toLocaleString('zh-CN', { hour12: false });
}

/** Seconds as people say them: 72 小时, 30 分钟, 45 秒. */
function duration(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return ` ${seconds / 3600} 小时`;
  if (seconds >= 60 && seconds % 60 === 0) return ` ${seconds / 60} 分钟`;
  return ` ${seconds} 秒`;
}

/** The workflow's English frame around the carrier's words, in Chinese (the rest kept as written). */
const DETAIL_ZH: ReadonlyArray<[RegExp, (...m: string[]) => string]> = [
  [/^receiver refused the parcel: /, () => '收件人拒收：'],
  [/^returned to sender: /, () => '已退回寄件人：'],
  [/^on its way back: /, () => '退回途中：'],
  [/^address problem: /, () => '地址问题：'],
  [/^problem parcel: /, () => '问题件：'],
  [/^no scan for (\d+) h since "(.*)"$/, (_, h, last) => `${h} 小时没有新的物流轨迹（最后一条：${last}）`],
  [/^no scan at all (\d+) h after shipping$/, (_, h) => `发货 ${h} 小时后仍没有任何物流轨迹`],
  // A parcel declared lost (domain/carriers/tracking.ts lostParcel): by the carrier's scan, or by silence.
  [/^the carrier reports it lost: /, () => '快递报告包裹丢失：'],
  [
    /^no scan since (\S+), longer than the (\d+) s that make a parcel lost$/,
    (_, since, seconds) =>
      `自 ${localTime(since)} 起没有物流轨迹，超过判定丢件的${duration(Number(seconds))}`,
  ],
  [/^(.+?) refused the waybill to the new address \(/, (_, c) => `${c} 拒绝为新地址出面单（`],
  [/^(.+?) refused the waybill \(/, (_, c) => `${c} 拒绝出面单（`],
  // The shipment workflow's refusal by a platform's own logistics (Shopee): the platform's words kept.
  [
    /^(\S+) logistics refused the parcel of (\S+?)(?: \(([^)]*)\))?: /,
    (_, platform, order, code) => `${platform} 物流拒收订单 ${order} 的包裹${code ? `（${code}）` : ''}：`,
  ],
  // The Shopee adapter's own refusals before asking Shopee (integrations/platforms/shopee/adapter.ts)
  [
    /\b[a-z_]+ order \S+: shipping only some lines needs the order split into packages, and the shop does not split \(splitShipments\)$/,
    () => '只发其中部分商品需要把订单拆成多个包裹，而本店未开启拆包（店铺设置 splitShipments）',
  ],
  [/(\S+) has no order (\S+)$/, (_, platform, order) => `${platform} 查无订单 ${order}`],
];

/** Carrier selection's reasons (domain/carriers/quote.ts) as a no-carrier detail sums them up. */
const SELECTION_ZH: ReadonlyArray<[RegExp, (...m: string[]) => string]> = [
  [/^does not deliver in mainland China$/, () => '不送中国大陆'],
  [/^does not deliver to (.+)$/, (_, to) => `不送${to}`],
  [/^does not pick up in (.+)$/, (_, from) => `不在${from}揽收`],
  [
    /^does not offer (.+)$/,
    (_, needs) =>
      `不提供${needs
        .split(', ')
        .map((n) => CAPABILITY_ZH[n] ?? n)
        .join('、')}服务`,
  ],
  [/^weighs (.+), over its (.+) limit$/, (_, weight, max) => `包裹 ${weight}，超过限重 ${max}`],
  [/^delivers within the same city only$/, () => '只送同城'],
  [/^unknown destination province$/, () => '目的省份无法识别'],
  [/^has no price for (.+)$/, (_, zone) => `没有${zone}的价格`],
  [/^the shop has no carriers enabled$/, () => '本店没有启用任何快递'],
];

/** `does not deliver to BR (5 carriers); …` → `不送BR（5 家快递）；…`, a reason no frame knows kept. */
function selectionSummaryZh(summary: string): string {
  return summary
    .split('; ')
    .map((part) => {
      const counted = /^(.*) \((\d+) carriers?\)$/.exec(part);
      const reason = counted ? counted[1]! : part;
      const frame = SELECTION_ZH.find(([pattern]) => pattern.test(reason));
      const words = frame ? reason.replace(frame[0], frame[1]) : reason;
      return counted ? `${words}（${counted[2]} 家快递）` : words;
    })
    .join('；');
}

export function exceptionDetailZh(detail: string): string {
  const noCarrier = /^no carrier can take (.+?) to ([^:]+): (.*)$/.exec(detail);
  if (noCarrier) {
    return `没有快递能把 ${noCarrier[1]} 的包裹送到${noCarrier[2]}：${selectionSummaryZh(noCarrier[3]!)}`;
  }
  let text = DETAIL_ZH.reduce((t, [pattern, words]) => t.replace(pattern, words), detail);
  for (const [en, zh] of REFUSAL_ZH) text = text.replace(`（${en})`, `（${zh}）`);
  return text;
}

/** The kind's name (English: the code in words). */
export function exceptionKindName(kind: string, language: 'zh' | 'en'): string {
  return (language === 'zh' ? exceptionKindZh[kind] : undefined) ?? kind.replace(/_/g, ' ');
}

/** Kind and detail in one line: `地址问题：【杭州】收件人地址不详…` (English: the API's words). */
export function exceptionText(
  kind: string,
  detail: string | null | undefined,
  language: 'zh' | 'en',
): string {
  if (language === 'en') return `${kind.replace(/_/g, ' ')}${detail ? `: ${detail}` : ''}`;
  const name = exceptionKindZh[kind] ?? kind.replace(/_/g, ' ');
  if (!detail) return name;
  const words = exceptionDetailZh(detail);
  // The tracking check's detail already names its kind (收件人拒收：…).
  return words.startsWith(name) ? words : `${name}：${words}`;
}
