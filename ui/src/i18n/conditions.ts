/**
 * A rule's condition (the `when` of an audit, routing or after-sales rule: domain/audit/conditions.ts,
 * domain/after-sale-rules/rule.ts) as a sentence a person reads: 买家留言包含“暂停”或“不要发”,
 * 实付金额 ≥ ¥5,000.00, … The JSON stays what the API stores; this is only how the 规则 page says it.
 * No imports: tests load it directly (tests/ui/rule-conditions.test.ts says every default rule).
 */

export type Language = 'zh' | 'en';

/** A condition as the API sends it (both rule families share the tree and most leaves). */
export interface ConditionLike {
  type: string;
  [key: string]: unknown;
}

/** Names a code the page knows (order types, flags, platforms, after-sales kinds); unknown: as sent. */
export type CodeName = (code: string) => string;

const FIELD: Record<Language, Record<string, string>> = {
  zh: { buyer_remark: '买家留言', seller_memo: '卖家备注' },
  en: { buyer_remark: 'buyer remark', seller_memo: 'seller memo' },
};
const BASIS: Record<Language, Record<string, string>> = {
  zh: { paid: '实付金额', due: '应付金额', goods: '商品金额', refund: '退款金额' },
  en: { paid: 'amount paid', due: 'amount due', goods: 'goods value', refund: 'refund amount' },
};
const SCOPE: Record<Language, Record<string, string>> = {
  zh: { total: '商品总件数', line: '单行商品件数', lines: '商品行数' },
  en: { total: 'units in the order', line: 'units on one line', lines: 'number of lines' },
};
const BLACKLIST_KIND: Record<Language, Record<string, string>> = {
  zh: { buyer: '买家账号', phone: '电话', address: '地址' },
  en: { buyer: 'buyer id', phone: 'phone', address: 'address' },
};
const ADDRESS_FIELD: Record<Language, Record<string, string>> = {
  zh: {
    name: '收货人',
    phone: '电话',
    country: '国家',
    province: '省',
    city: '市',
    district: '区县',
    detail: '详细地址',
    postalCode: '邮编',
  },
  en: {},
};
const ADDRESS_PROBLEM: Record<Language, Record<string, string>> = {
  zh: { missing: '缺失', unknown: '不存在', format: '格式不对', too_short: '过短' },
  en: { too_short: 'too short' },
};
/** What buyers ask for in remarks (domain/remarks/intents.ts), by the intent code. */
const INTENT: Record<Language, Record<string, string>> = {
  zh: {
    urgent: '加急',
    no_rush: '不急',
    gift: '送礼',
    gift_wrap: '礼品包装',
    no_price_slip: '不放价格单',
    invoice: '要发票',
    no_invoice: '不要发票',
    carrier: '指定快递',
    call_before_delivery: '送货前电话联系',
    no_call: '勿电话联系',
    leave_at_door: '放门口',
    leave_with_guard: '放门卫/物业',
    parcel_locker: '放快递柜/驿站',
    weekend_delivery: '周末送货',
    workday_delivery: '工作日送货',
    change_address: '改地址',
    custom_made: '定制/刻字',
    freebie: '要赠品',
    fragile_care: '小心轻放',
  },
  en: {},
};
const SKU_FLAG: Record<Language, Record<string, string>> = {
  zh: { custom_made: '定制', custom: '定制', fragile: '易碎', cold_chain: '冷链' },
  en: {},
};
const INSPECTION: Record<Language, Record<string, string>> = {
  zh: { resaleable: '良品可售', damaged: '残次', wrong_item: '错货', mixed: '部分良品' },
  en: { wrong_item: 'wrong item', mixed: 'mixed' },
};
const COUNTRY_ZH: Record<string, string> = {
  CN: '中国大陆',
  HK: '中国香港',
  MO: '中国澳门',
  TW: '中国台湾',
  US: '美国',
  JP: '日本',
  KR: '韩国',
  SG: '新加坡',
  MY: '马来西亚',
  TH: '泰国',
  VN: '越南',
  PH: '菲律宾',
  ID: '印度尼西亚',
  GB: '英国',
  DE: '德国',
  FR: '法国',
  AU: '澳大利亚',
  CA: '加拿大',
  MX: '墨西哥',
  BR: '巴西',
};

const yuan = (fen: number) =>
  `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}
function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** A list read as one of several: “a”、“b”或“c” / "a", "b" or "c". */
function oneOf(items: string[], language: Language, quote = false): string {
  const q = (s: string) => (quote ? (language === 'zh' ? `“${s}”` : `"${s}"`) : s);
  const shown = [...new Set(items)].map(q);
  if (shown.length <= 1) return shown.join('');
  const head = shown.slice(0, -1).join(language === 'zh' ? '、' : ', ');
  return language === 'zh' ? `${head}或${shown.at(-1)}` : `${head} or ${shown.at(-1)}`;
}

function range(
  min: number | undefined,
  max: number | undefined,
  show: (n: number) => string,
  lang: Language,
) {
  if (min !== undefined && max !== undefined) {
    return lang === 'zh' ? `在 ${show(min)} 至 ${show(max)} 之间` : `between ${show(min)} and ${show(max)}`;
  }
  return min !== undefined ? `≥ ${show(min)}` : `≤ ${show(max ?? 0)}`;
}

function duration(seconds: number, language: Language): string {
  const units: Array<[number, string, string]> = [
    [86_400, '天', 'd'],
    [3_600, '小时', 'h'],
    [60, '分钟', 'min'],
  ];
  for (const [size, zh, en] of units) {
    if (seconds >= size && seconds % size === 0) {
      return language === 'zh' ? `${seconds / size} ${zh}` : `${seconds / size} ${en}`;
    }
  }
  return language === 'zh' ? `${seconds} 秒` : `${seconds} s`;
}

const pick = (table: Record<Language, Record<string, string>>, language: Language, code: string) =>
  table[language][code] ?? table.zh[code] ?? code.replace(/_/g, ' ');
const named =
  (table: Record<Language, Record<string, string>>, language: Language, name: CodeName) => (code: string) =>
    table[language][code] ?? (language === 'zh' ? table.zh[code] : undefined) ?? name(code);

/** One leaf (or a group, recursively) in words. */
function describe(c: ConditionLike, language: Language, name: CodeName, nested: boolean): string {
  const zh = language === 'zh';
  switch (c.type) {
    case 'all':
    case 'any': {
      const parts = (c.conditions as ConditionLike[]).map((x) => describe(x, language, name, true));
      if (parts.length === 1) return parts[0]!;
      const joined =
        c.type === 'all' ? parts.join(zh ? '，并且' : ', and ') : parts.join(zh ? '，或者' : ', or ');
      return nested ? (zh ? `（${joined}）` : `(${joined})`) : joined;
    }
    case 'not': {
      const inner = c.condition as ConditionLike;
      if (inner.type === 'country') {
        const list = oneOf(
          strings(inner.in).map((x) => (zh ? (COUNTRY_ZH[x] ?? x) : x)),
          language,
        );
        return zh ? `收货国家/地区不是${list}` : `ships outside ${list}`;
      }
      const text = describe(inner, language, name, true);
      return zh ? `不满足：${text}` : `not: ${text}`;
    }
    case 'amount': {
      const basis = pick(BASIS, language, typeof c.basis === 'string' ? c.basis : 'refund');
      return `${basis} ${range(num(c.minFen), num(c.maxFen), yuan, language)}`;
    }
    case 'remark_present': {
      const field = pick(FIELD, language, String(c.field ?? 'buyer_remark'));
      return zh ? `有${field}` : `has a ${field}`;
    }
    case 'remark_keywords': {
      const field = pick(FIELD, language, String(c.field ?? 'buyer_remark'));
      const words = oneOf(strings(c.keywords), language, true);
      return zh ? `${field}包含${words}` : `${field} contains ${words}`;
    }
    case 'remark_intent': {
      const field = pick(FIELD, language, String(c.field ?? 'buyer_remark'));
      const intents = oneOf(
        strings(c.intents).map((i) => pick(INTENT, language, i)),
        language,
        true,
      );
      return zh ? `${field}要求${intents}` : `${field} asks for ${intents}`;
    }
    case 'remark_needs_review': {
      const field = pick(FIELD, language, String(c.field ?? 'buyer_remark'));
      return zh
        ? `${field}需要人工处理（超出常规要求或无法识别）`
        : `${field} asks for more than routine instructions or cannot be understood`;
    }
    case 'blacklisted': {
      const kinds = strings(c.kinds);
      if (kinds.length) {
        const list = oneOf(
          kinds.map((k) => pick(BLACKLIST_KIND, language, k)),
          language,
        );
        return zh ? `${list}在黑名单中` : `${list} is on the blacklist`;
      }
      return zh ? '买家、电话或地址在黑名单中' : 'buyer, phone or address is on the blacklist';
    }
    case 'address_invalid': {
      const fields = strings(c.fields).map((f) => pick(ADDRESS_FIELD, language, f));
      const problems = strings(c.problems).map((p) => pick(ADDRESS_PROBLEM, language, p));
      if (zh) {
        const which = fields.length ? `收货地址的${fields.join('、')}` : '收货地址';
        return problems.length ? `${which}${oneOf(problems, language)}` : `${which}不完整或省市区不存在`;
      }
      const which = fields.length ? `the address's ${fields.join(', ')}` : 'the address';
      return problems.length
        ? `${which} is ${oneOf(problems, language)}`
        : `${which} is incomplete or unknown`;
    }
    case 'sku_flag': {
      const flags = oneOf(strings(c.flags).map(named(SKU_FLAG, language, name)), language, true);
      return zh ? `含有标记为${flags}的商品` : `a line's SKU is flagged ${flags}`;
    }
    case 'platform': {
      const list = oneOf(strings(c.in ?? c.platforms).map(name), language);
      return zh ? `平台是${list}` : `platform is ${list}`;
    }
    case 'shop': {
      const list = oneOf(strings(c.in ?? c.shopIds), language);
      return zh ? `店铺是 ${list}` : `shop is ${list}`;
    }
    case 'order_type': {
      const list = oneOf(strings(c.in).map(name), language);
      return zh ? `订单类型是${list}` : `order type is ${list}`;
    }
    case 'quantity': {
      const scope = pick(SCOPE, language, String(c.scope ?? 'total'));
      return `${scope} ${range(num(c.min), num(c.max), String, language)}`;
    }
    case 'payment_age': {
      const text = range(num(c.minSeconds), num(c.maxSeconds), (n) => duration(n, language), language);
      return zh ? `付款至今 ${text}` : `paid ${text} ago`;
    }
    case 'country': {
      const list = oneOf(
        strings(c.in).map((x) => (zh ? (COUNTRY_ZH[x] ?? x) : x)),
        language,
      );
      return zh ? `收货国家/地区是${list}` : `ships to ${list}`;
    }
    case 'kind': {
      const list = oneOf(strings(c.kinds).map(name), language);
      return zh ? `售后类型是${list}` : `case kind is ${list}`;
    }
    case 'shipped':
      return c.shipped
        ? zh
          ? '商品已发出'
          : 'the goods have left with the carrier'
        : zh
          ? '商品尚未发出'
          : 'the goods have not shipped';
    case 'inspection': {
      const list = oneOf(
        strings(c.results).map((r) => pick(INSPECTION, language, r)),
        language,
      );
      return zh ? `退货验收结果是${list}` : `the return was inspected ${list}`;
    }
    case 'reason_keywords': {
      const words = oneOf(strings(c.keywords), language, true);
      return zh ? `买家的售后原因包含${words}` : `the buyer's reason contains ${words}`;
    }
    case 'buyer_cases': {
      const days = num(c.days) ?? 30;
      const count = num(c.minCount) ?? 1;
      return zh
        ? `买家在此前 ${days} 天内已有至少 ${count} 个其他售后`
        : `the buyer opened at least ${count} other cases in the ${days} days before`;
    }
    default:
      return JSON.stringify(c);
  }
}

/** The whole condition in words; a condition type this page does not know yet reads as its JSON. */
export function describeCondition(condition: ConditionLike, language: Language, name: CodeName): string {
  return describe(condition, language, name, false);
}

/**
 * A rule's name for the reader: names written in both languages ("黑名单买家 Blacklisted buyer", as
 * the after-sales defaults are) show the Chinese half in Chinese and the English half in English.
 */
export function ruleName(name: string, language: Language): string {
  const split = /^([^A-Za-z]*[\u4e00-\u9fff][^A-Za-z]*?)\s+([A-Za-z].*)$/.exec(name);
  if (!split) return name;
  return language === 'zh' ? split[1]! : split[2]!;
}
