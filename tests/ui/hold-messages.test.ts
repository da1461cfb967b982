import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdMessageZh, holdReasons, holdText } from '../../ui/src/i18n/hold-reasons.js';
import { exceptionKindZh, exceptionText } from '../../ui/src/i18n/exceptions.js';
import { personStepZh } from '../../ui/src/i18n/waiting.js';
import { detailFieldZh, reasonZh } from '../../ui/src/i18n/timeline.js';
import { alertKindZh, alertMessageZh, alertText, alertWhatZh } from '../../ui/src/i18n/alerts.js';
import { channelNames } from '../../ui/src/i18n/channels.js';
import { WAYBILL_REFUSAL_TEXT } from '../../domain/carriers/refusal.js';
import { ALERT_KINDS } from '../../db/queries/alerts.js';
import { detectTrackingException, lostParcel } from '../../domain/carriers/tracking.js';
import { splitHoldMessage } from '../../domain/split-shipments.js';
import { carrierProfile } from '../../domain/carriers/registry.js';
import { selectCarrier } from '../../domain/carriers/select.js';

const root = new URL('../../', import.meta.url).pathname;
const hasChinese = /[\u4e00-\u9fff]/;
/** An English sentence of the API (three words in a row) leaking into a Chinese page. */
const englishSentence = /\b[a-z]+ [a-z]+ [a-z]+\b/;

function sources(dir: string): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  for (const name of readdirSync(path.join(root, dir))) {
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...sources(rel));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts'))
      out.push({ file: rel, text: readFileSync(path.join(root, rel), 'utf8') });
  }
  return out;
}

/** The object literal around `at` (from its unmatched `{` to the matching `}`). */
function enclosingObject(text: string, at: number): string {
  let depth = 0;
  let start = at;
  for (; start > 0; start--) {
    const c = text[start];
    if (c === '}') depth++;
    if (c === '{' && depth-- === 0) break;
  }
  depth = 0;
  let end = start;
  for (; end < text.length; end++) {
    if (text[end] === '{') depth++;
    if (text[end] === '}' && --depth === 0) break;
  }
  return text.slice(start, end + 1);
}

interface OpenedHold {
  file: string;
  reasons: string[];
  /** The hold carries a message of the system's own (not null, not a rule's configured words). */
  englishMessage: boolean;
}

/**
 * Every order hold the workflows, activities and the audit open, read from their source: an object
 * literal with `reason` and `clearedBy` (a `reason` computed just before counts all its literals).
 */
function openedHolds(): OpenedHold[] {
  const holds: OpenedHold[] = [];
  const files = [...sources('workflows'), ...sources('activities'), ...sources('domain')].filter(
    // After-sales holds are the case's (said by the after-sales page's own words).
    (f) => !/after-sale|messages\.ts/.test(f.file),
  );
  for (const { file, text } of files) {
    for (const m of text.matchAll(/clearedBy:/g)) {
      const object = enclosingObject(text, m.index);
      if (!/\breason\b/.test(object) || /clearedBy: (string|'[^']*' \|)/.test(object)) continue;
      const literal = object.match(/\breason: '([a-z_]+)'/);
      let reasons: string[] = literal ? [literal[1]!] : [];
      if (!literal && /\breason,/.test(object)) {
        const computed = text.slice(0, m.index).match(/const reason = ([^;]+);[^;]*$/);
        // The literals it may take (`a === 'x' ? 'reason_1' : 'reason_2'`), not the ones compared.
        reasons = [...(computed?.[1] ?? '').matchAll(/[?:]\s*'([a-z_]+)'/g)].map((r) => r[1]!);
      }
      const constant = object.match(/\breason: ([A-Z_]+),/);
      if (constant) {
        const value = text.match(new RegExp(`${constant[1]} = '([a-z_]+)'`)) ?? null;
        if (value) reasons = [value[1]!];
      }
      if (reasons.length === 0) continue;
      const message = object.match(/\bmessage:\s*([^,}]+)/)?.[1]?.trim() ?? null;
      const englishMessage =
        message !== null && message !== 'null' && !message.startsWith('action.') && !hasChinese.test(message);
      holds.push({ file, reasons, englishMessage });
    }
  }
  return holds;
}

describe('hold messages in the reader’s language', () => {
  const holds = openedHolds();

  it('finds the holds the order workflow opens', () => {
    const reasons = holds.flatMap((h) => h.reasons);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'refund_in_packed_parcel',
        'split_shipment',
        'unmapped_sku',
        'unfulfillable',
        'short_after_partial_shipment',
        'payment_mismatch',
      ]),
    );
  });

  it('every hold reason the system raises has a Chinese name', () => {
    const reasons = [...new Set(holds.flatMap((h) => h.reasons))];
    expect(reasons.filter((r) => !hasChinese.test(holdReasons.zh[r] ?? ''))).toEqual([]);
  });

  it('every hold the system opens with English words of its own says them in Chinese', () => {
    const missing = holds
      .filter((h) => h.englishMessage)
      .flatMap((h) =>
        h.reasons.filter((r) => !hasChinese.test(holdMessageZh[r] ?? '')).map((r) => `${h.file}: ${r}`),
      );
    expect(missing).toEqual([]);
  });

  it('a packed parcel’s line refund reads in Chinese with the particulars kept', () => {
    const hold = {
      reason: 'refund_in_packed_parcel',
      message:
        'approve to repack the parcel without the line (packedParcel "repack"), or to ship it as packed and leave the refund to after-sales (packedParcel "ship")',
      detail: 'parcel P-1 is packed with line L-2, whose refund the buyer requested',
    };
    const zh = holdText(hold, 'zh');
    expect(zh).toMatch(/^买家对已打包包裹里的商品申请了退款/);
    expect(zh).not.toContain('approve to repack');
    expect(zh).toContain('（parcel P-1 is packed with line L-2'); // the particulars, as the API wrote them
    expect(holdText(hold, 'en')).toBe(hold.message);
  });

  it('an unmapped SKU’s lines read in Chinese, the codes and ids kept', () => {
    // The producers' words: each line's problem (db/queries/catalog.ts), joined by the audit.
    const catalog = readFileSync('db/queries/catalog.ts', 'utf8');
    expect(catalog).toContain('`no SKU mapping for outer code "${line.skuCode}"`');
    expect(catalog).toContain('` or ${order.platform} SKU id "${line.platformSkuId}"`');
    expect(catalog).toContain('` in shop ${order.shopId}`');
    expect(readFileSync('domain/audit/decide.ts', 'utf8')).toContain(
      "unmapped.map((u) => `line ${u.lineId}: ${u.problem}`).join('; ')",
    );
    const detail =
      'line 211-885: no SKU mapping for outer code "173123938228" or temu SKU id "5012" in shop demo-temu; ' +
      'line 2: no SKU mapping for outer code "TS-9" in shop demo-own';
    const zh = holdText({ reason: 'unmapped_sku', message: 'map the SKU, then approve', detail }, 'zh');
    expect(zh).toBe(
      '把平台商品对应到系统 SKU（商品对应关系），然后通过（第 211-885 行：店铺 demo-temu 没有外部编码“173123938228”或 temu 商品 ID“5012”的 SKU 对应关系；' +
        '第 2 行：店铺 demo-own 没有外部编码“TS-9”的 SKU 对应关系）',
    );
  });

  it('the split hold reads in Chinese whatever the shop’s setting', () => {
    for (const mode of ['never', 'ask'] as const) {
      const message = splitHoldMessage({ mode, platform: 'shopee', source: 'platform', how: 'x' } as never);
      const zh = holdText({ reason: 'split_shipment', message, detail: '' }, 'zh');
      expect(zh).toMatch(hasChinese);
      expect(zh).not.toMatch(englishSentence);
    }
  });

  it('a rule’s own Chinese message is shown as written; the audit’s frame reads in Chinese', () => {
    expect(
      holdText({ reason: 'address_invalid', message: '核对收货地址', detail: 'address: city missing' }, 'zh'),
    ).toBe('核对收货地址（地址：city missing）');
    expect(
      holdText(
        {
          reason: 'buyer_remark',
          message: null,
          detail: 'buyer_remark needs a person: unrecognized "家里没人"',
        },
        'zh',
      ),
    ).toBe('买家留言需人工处理：无法识别“家里没人"');
    expect(
      holdText(
        {
          reason: 'payment_mismatch',
          message: null,
          detail: 'paid 100 fen but 200 fen is due (tolerance 0 fen)',
        },
        'zh',
      ),
    ).toContain('实付 ¥1.00，应付 ¥2.00');
  });
});

describe('parcel exceptions in the reader’s language', () => {
  it('every exception kind the shipment workflow or the tracking check raises has a Chinese name', () => {
    const shipment = [...sources('workflows')].filter((f) => /shipment/.test(f.file));
    const raised = shipment.flatMap(({ text }) =>
      [...text.matchAll(/openException\(\s*s,\s*'([a-z_]+)'/g)].map((m) => m[1]!),
    );
    expect(raised).toEqual(expect.arrayContaining(['no_carrier', 'waybill_refused', 'receiver_withheld']));
    const tracking = readFileSync(path.join(root, 'domain/carriers/tracking.ts'), 'utf8');
    const union = tracking.match(/export type TrackingExceptionKind =([^;]+);/)![1]!;
    const kinds = [...new Set([...raised, ...[...union.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!)])];
    expect(kinds.filter((k) => !hasChinese.test(exceptionKindZh[k] ?? ''))).toEqual([]);
  });

  it('the tracking check’s English frame reads in Chinese, the carrier’s words kept', () => {
    const at = '2026-12-01T08:00:00Z';
    const cases = [
      { status: 'rejected', description: '【杭州】收件人拒收，原因：不想要了' },
      { status: 'returned', description: '【杭州】快件已退回' },
      { status: 'exception', description: '【杭州】收件人地址不详，无法派送' },
      { status: 'exception', description: '【杭州】快件破损' },
    ] as const;
    for (const c of cases) {
      const found = detectTrackingException(
        [{ at, status: c.status, description: c.description } as never],
        new Date(at),
        {
          noScanHours: 48,
        },
      )!;
      const zh = exceptionText(found.kind, found.message, 'zh');
      expect(zh).toContain(c.description);
      expect(zh.replace(c.description, '')).not.toMatch(/[a-z]{3,}/);
    }
    const quiet = detectTrackingException(
      [{ at, status: 'in_transit', description: '【杭州】已揽收' } as never],
      new Date('2026-12-04T08:00:00Z'),
      {
        noScanHours: 48,
      },
    )!;
    expect(exceptionText(quiet.kind, quiet.message, 'zh')).toBe(
      '长时间无物流轨迹：72 小时没有新的物流轨迹（最后一条：【杭州】已揽收）',
    );
  });

  it('a parcel no carrier can take says why in Chinese, carrier selection’s own reasons counted', () => {
    const noCarrier = (input: Omit<Parameters<typeof selectCarrier>[0], 'origin'>) => {
      const result = selectCarrier({ origin: { province: '浙江省', city: '杭州市' }, ...input });
      if (result.ok) throw new Error(`a carrier was chosen: ${result.reason}`);
      return exceptionText('no_carrier', result.reason, 'zh');
    };
    const heavy = { weightG: 45_000, lengthMm: 600, widthMm: 500, heightMm: 400 };
    expect(
      noCarrier({
        parcel: heavy,
        destination: { province: '北京市' },
        candidates: (['ZTO', 'YTO'] as const).map(carrierProfile),
      }),
    ).toBe('没有可用快递：没有快递能把 45 kg 的包裹送到北京：包裹 45 kg，超过限重 40 kg（2 家快递）');
    const chilled = noCarrier({
      parcel: { weightG: 980, lengthMm: 200, widthMm: 150, heightMm: 100, needs: ['cold_chain'] },
      destination: { province: '北京市' },
      candidates: (['ZTO'] as const).map(carrierProfile),
    });
    expect(chilled).toBe('没有可用快递：没有快递能把 0.98 kg 的包裹送到北京：不提供冷链服务（1 家快递）');
    expect(noCarrier({ parcel: heavy, destination: { province: '北京市' }, candidates: [] })).toBe(
      '没有可用快递：没有快递能把 45 kg 的包裹送到北京：本店没有启用任何快递',
    );
  });

  it('a parcel declared lost reads in Chinese, by the carrier’s scan or by silence', () => {
    const scan = '【杭州市】快件在 杭州转运中心 滞留，原因：快件遗失，正在核实';
    const byCarrier = lostParcel(
      [{ at: '2026-12-01T08:00:00Z', status: 'exception', description: scan } as never],
      Date.parse('2026-12-01T09:00:00Z'),
      {
        lastActivityMs: Date.parse('2026-12-01T08:00:00Z'),
        lostAfterSeconds: 259_200,
      },
    )!;
    expect(exceptionText('lost', byCarrier.message, 'zh')).toBe(`包裹丢失：快递报告包裹丢失：${scan}`);
    const bySilence = lostParcel([], Date.parse('2026-12-05T08:00:00Z'), {
      lastActivityMs: Date.parse('2026-12-01T08:00:00Z'),
      lostAfterSeconds: 259_200,
    })!;
    const zh = exceptionText('lost', bySilence.message, 'zh');
    expect(zh).toBe(
      `包裹丢失：自 ${new Date('2026-12-01T08:00:00Z').toLocaleString('zh-CN', { hour12: false })} 起没有物流轨迹，超过判定丢件的 72 小时`,
    );
    expect(zh).not.toMatch(/[a-z]{3,}/);
  });
});

describe('after-sales steps handed to a person', () => {
  it('every step any after-sales workflow hands to a person is listed in Chinese', () => {
    const files = sources('workflows').filter((f) => /after-sale/.test(f.file));
    const steps = new Set<string>();
    for (const { text } of files) {
      for (const m of text.matchAll(/(?:handOver|needsPerson)\(\s*'([a-z-]+)'/g)) steps.add(m[1]!);
      // Steps named by a template (`platform-${action}`, `refund-${attempt}`, `refund-stuck-${n}`).
      for (const m of text.matchAll(/(?:handOver|needsPerson)\([^)]*?`([a-z-]+)-\$\{/g)) steps.add(m[1]!);
    }
    expect([...steps]).toEqual(
      expect.arrayContaining(['order-unknown', 'inspected', 'unsupported', 'platform', 'refund-stuck']),
    );
    // `platform-${action}`: the decision the platform could not be told.
    for (const action of ['agree', 'refuse']) steps.add(`platform-${action}`);
    steps.add('refund'); // `refund-${attempt}`
    expect([...steps].filter((step) => !hasChinese.test(personStepZh[step] ?? ''))).toEqual([]);
  });
});

const words = {
  code: (value: string) => channelNames.zh[value] ?? value,
  exception: (kind: string, detail: string) => exceptionText(kind, detail, 'zh'),
};

describe('alerts in the reader’s language', () => {
  it('every alert kind has a Chinese name and says what to do in Chinese, the message kept', () => {
    expect(ALERT_KINDS.filter((k) => !hasChinese.test(alertKindZh[k] ?? ''))).toEqual([]);
    expect(ALERT_KINDS.filter((k) => !hasChinese.test(alertWhatZh[k] ?? ''))).toEqual([]);
    const message = '1 open pick exception(s), 1 unit(s) written off: #1 BJ01 TS-001 ×1 damaged';
    expect(alertText('pick_exception', message, 'zh', words)).toMatch(
      /^拣货时商品缺少或破损.*（1 open pick exception/,
    );
    expect(alertText('pick_exception', message, 'en', words)).toBe(message);
  });
});

/**
 * The messages below are written the way the system raises them (activities/carriers/waybill-accounts.ts,
 * db/queries/wms.ts syncPickExceptionAlert, workflows/order-workflow.ts, services/capture/intake*.ts,
 * activities/fulfilment.ts): a changed frame there reads as written here, and these fail.
 */
describe('alert particulars in Chinese, ids and the platform’s words kept', () => {
  const zh = (kind: string, message: string) => alertMessageZh(kind, message, words);

  it('a stopped waybill account says why and what to do, with the carrier’s own words', () => {
    const stopped = (kind: keyof typeof WAYBILL_REFUSAL_TEXT, reason: string) =>
      zh(
        'waybill_account_failing',
        `sf waybill account 杭州仓月结 stopped (${WAYBILL_REFUSAL_TEXT[kind]}): ${reason}`,
      );
    expect(stopped('no_balance', '电子面单余额不足')).toBe(
      'sf面单账号“杭州仓月结”已停用：面单余额用完（快递的说明：电子面单余额不足），停用期间由其他账号出单。' +
        '请到网点充值，充值后点“查询余额”恢复使用',
    );
    expect(stopped('authorisation_expired', 'session 已失效')).toMatch(/授权已过期.*请重新授权/);
    expect(stopped('account_not_configured', '月结卡号不存在')).toMatch(
      /账号未开通该快递的面单服务.*请联系网点开通/,
    );
    for (const kind of Object.keys(WAYBILL_REFUSAL_TEXT) as Array<keyof typeof WAYBILL_REFUSAL_TEXT>) {
      expect(stopped(kind, '拒绝')).not.toMatch(englishSentence);
    }
    expect(
      zh(
        'waybill_balance_low',
        'zto waybill account 中通-义乌 has 18 waybills left (alert at 50): top it up at the branch',
      ),
    ).toBe('zto面单账号“中通-义乌”只剩 18 张面单（提醒线 50 张）。请到网点充值，充值后点“查询余额”');
  });

  it('the pick exception summary names each exception, bin and order in Chinese', () => {
    const message =
      '3 open pick exception(s), 4 unit(s) written off: #7 HZ01 TS-001 ×1 damaged (order taobao:s1:T1); ' +
      '#8 HZ01 TS-002 ×3 missing at A-01-02 (order jd:s2:J9). The orders were re-allocated or held and ' +
      'replenishment requested; count the bins and close each exception (POST /wms/exceptions/:id/resolve).';
    expect(zh('pick_exception', message)).toBe(
      '3 条拣货异常未处理，已报损 4 件：#7 HZ01 TS-001 ×1 破损（订单 taobao:s1:T1）；' +
        '#8 HZ01 TS-002 ×3 缺货（库位 A-01-02）（订单 jd:s2:J9）',
    );
    expect(zh('pick_exception', message.replace('. The orders', '; and 1 more. The orders'))).toMatch(
      /（订单 jd:s2:J9）；另有 1 条$/,
    );
  });

  it('an order shipped from the platform’s back office says whether a second parcel left', () => {
    const frame = 'taobao order 4012345678901 was shipped on the platform while it was held here: ';
    expect(
      zh(
        'shipped_on_platform',
        `${frame}our parcel P-1, P-2 had already left too — two parcels are on their way`,
      ),
    ).toBe(
      `${channelNames.zh.taobao}订单 4012345678901 在平台后台发货时，系统中为“held”：我们的包裹 P-1, P-2 也已发出，买家会收到两个包裹`,
    );
    expect(
      zh(
        'shipped_on_platform',
        `${frame}stopped before a parcel of ours left; its reservation was released and any waybill cancelled`,
      ),
    ).toMatch(/我们的包裹尚未发出，已释放库存、取消面单$/);
  });

  it('a missing exchange rate says which currency and what waits', () => {
    const base =
      'no exchange rate USD→CNY in effect at 2026-12-01T08:00:00.000Z; add one with POST /exchange-rates';
    expect(zh('fx_rate_missing', `${base}; 3 order(s) of this shop wait for a rate`)).toMatch(
      /没有 USD→人民币 的汇率：本店 3 个订单在等汇率$/,
    );
    expect(zh('fx_rate_missing', `${base}; order 114-1234567-7654321 was refused`)).toMatch(
      /没有 USD→人民币 的汇率：订单 114-1234567-7654321 未接收$/,
    );
  });

  it('a return parcel without scans, or delivered and not received, names the case, parcel and time', () => {
    const parcel = 'return parcel SF SF1234567890 of after-sales case RT-1';
    expect(
      zh(
        'return_parcel_stalled',
        `${parcel} has had no new scan for 5 days: ask the carrier (or the buyer) where it is; the warehouse's receipt still ends the wait`,
      ),
    ).toBe('售后单 RT-1 的退货包裹 SF SF1234567890 已 5 天没有新的物流轨迹');
    expect(
      zh(
        'return_not_received',
        `${parcel} was delivered 2 days ago and is not received at the warehouse: look for it at the warehouse, or ask the carrier; the warehouse's receipt still ends the wait`,
      ),
    ).toBe('售后单 RT-1 的退货包裹 SF SF1234567890 快递显示已签收已 2 天，仓库仍未收货');
    // A parcel nothing can track (Shopee's own logistics): a reminder that it has not arrived.
    expect(
      zh(
        'return_parcel_overdue',
        `return parcel OTHER SPXRT1 of after-sales case RT-2 was sent back 7 days ago and has not reached the warehouse; no tracking service follows it: look for it at the warehouse, or ask the buyer (or the platform) where it is; the warehouse's receipt still ends the wait`,
      ),
    ).toBe('售后单 RT-2 的退货包裹 OTHER SPXRT1 寄出已 7 天，仍未到仓（无法跟踪物流）');
  });

  it('a message no frame knows reads as written, and English readers get the API’s words', () => {
    expect(zh('sync_failing', 'taobao answered 502: bad gateway')).toBe('taobao answered 502: bad gateway');
    const message = 'zto waybill account A has 1 waybills left (alert at 5): top it up at the branch';
    expect(alertText('waybill_balance_low', message, 'en', words)).toBe(message);
    expect(alertText('waybill_balance_low', message, 'zh', words)).toMatch(
      /^.*（zto面单账号“A”只剩 1 张面单/,
    );
  });
});

describe('a carrier choice’s reason in Chinese', () => {
  it('says where each price comes from: an account’s rate table, the contract, or the invented default', () => {
    const reason =
      'ZTO: cheapest of 3 carriers covering 广东省 for 1.2 kg (¥4.30, rate table of waybill account 中通西湖 (首重1kg ¥4.00，续重每1kg ¥0.30))';
    expect(reasonZh(reason)).toBe(
      'ZTO：3 家可送达 广东省 的快递中最便宜（1.2 kg，¥4.30，面单账号“中通西湖”的运费模板（首重1kg ¥4.00，续重每1kg ¥0.30））',
    );
    expect(
      reasonZh('SF: chosen by 小王 for 1 kg to 浙江省 (¥12.00, the shop’s contract rates by zone)'),
    ).toBe('SF：由 小王 指定（1 kg 到 浙江省，¥12.00，本店按区域的合同价）');
    expect(
      reasonZh(
        'YTO: cheapest of 1 carrier covering 北京市 for 0.5 kg (¥6.00, registry list price (an invented default, not a contract))',
      ),
    ).not.toMatch(englishSentence);
  });
});

describe('a platform’s logistics refusing a parcel, and an order shipped on the platform, in Chinese', () => {
  it('names the platform, the order and its code, the platform’s words kept', () => {
    expect(
      exceptionText(
        'platform_logistics_refused',
        'shopee logistics refused the parcel of 2412ABCD (logistics.package_can_not_ship): package can not ship',
        'zh',
      ),
    ).toBe(
      '平台物流拒收包裹：shopee 物流拒收订单 2412ABCD 的包裹（logistics.package_can_not_ship）：package can not ship',
    );
    expect(
      exceptionText(
        'platform_logistics_refused',
        'shopee logistics refused the parcel of 2412ABCD: 地址无法派送',
        'zh',
      ),
    ).toBe('平台物流拒收包裹：shopee 物流拒收订单 2412ABCD 的包裹：地址无法派送');
    // The adapter's own refusal (integrations/platforms/shopee/adapter.ts) reads in Chinese too.
    expect(
      exceptionText(
        'platform_logistics_refused',
        'shopee logistics refused the parcel of 2412ABCD (partial_shipment): shopee order 2412ABCD: shipping only ' +
          'some lines needs the order split into packages, and the shop does not split (splitShipments)',
        'zh',
      ),
    ).toBe(
      '平台物流拒收包裹：shopee 物流拒收订单 2412ABCD 的包裹（partial_shipment）：' +
        '只发其中部分商品需要把订单拆成多个包裹，而本店未开启拆包（店铺设置 splitShipments）',
    );
  });

  it('the fields the order’s end on the platform records have Chinese names', () => {
    for (const field of ['stoppedDuring', 'releasedUnits', 'alreadyWithCarrier', 'platformStatus']) {
      expect(detailFieldZh[field], field).toMatch(hasChinese);
    }
  });
});
