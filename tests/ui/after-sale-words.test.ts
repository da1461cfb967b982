import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterSalesCodes, caseActorName, caseWordsZh } from '../../ui/src/i18n/after-sales.js';
import { channelNames } from '../../ui/src/i18n/channels.js';
import { actorName } from '../../ui/src/i18n/timeline.js';
import { trackingStatusZh } from '../../ui/src/i18n/return-parcel.js';
import { TRACKING_STATUSES } from '../../domain/carriers/tracking.js';

const root = join(import.meta.dirname, '../..');

/** Every stage an after-sales workflow writes on a case's timeline (`record(step, status, stage, …)`). */
async function recordedStages(): Promise<string[]> {
  const dir = join(root, 'workflows/after-sale');
  const files = [
    join(root, 'workflows/after-sale-workflow.ts'),
    ...(await readdir(dir)).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f)),
  ];
  const stages = new Set<string>();
  for (const file of files) {
    const source = await readFile(file, 'utf8');
    for (const match of source.matchAll(/record\(\s*[^,()]+,\s*[^,()]+,\s*'([a-z_]+)'/g))
      stages.add(match[1]!);
    // Stages named by a template: what the platform was told (`platform_${action}`, agree or refuse)
    // and each step of an exchange on it (`platform_exchange_${step}`).
    if (source.includes('`platform_${action}`')) {
      for (const action of ['agree', 'refuse']) stages.add(`platform_${action}`);
    }
    // The return parcel's movements (`return_${status}`), one per tracking status but `pending`.
    if (source.includes('`return_${')) {
      for (const status of TRACKING_STATUSES) if (status !== 'pending') stages.add(`return_${status}`);
    }
    if (source.includes('`platform_exchange_${step}`')) {
      const steps = /step: ('[a-z_]+'(?: \| '[a-z_]+')*),/.exec(source)?.[1]?.match(/[a-z_]+/g) ?? [];
      for (const step of steps) stages.add(`platform_exchange_${step}`);
    }
  }
  return [...stages].sort();
}

const caseWord = (code: string) =>
  caseWordsZh[code] ?? (afterSalesCodes.zh as Record<string, string>)[code] ?? null;
const platform = (code: string) => channelNames.zh[code] ?? code;

describe('a case’s timeline in Chinese (售后)', () => {
  it('has a Chinese word for every stage the after-sales workflows write', async () => {
    const stages = await recordedStages();
    // The reading itself: the escalation, the rules' holds and the return's steps are among them.
    expect(stages).toEqual(
      expect.arrayContaining([
        'awaiting_decision',
        'escalated',
        'held_by_rule',
        'return_waybill_issued',
        'platform_agree',
        'platform_exchange_confirm_returned',
        'return_in_transit',
        'return_stalled',
        'return_unreceived',
      ]),
    );
    expect(stages.filter((stage) => caseWord(stage) === null)).toEqual([]);
  });

  it('has a Chinese word for every status a return parcel’s scans carry (退货包裹)', () => {
    expect(TRACKING_STATUSES.filter((status) => !trackingStatusZh[status])).toEqual([]);
  });

  it('says a refused case 已拒绝, not a parcel’s 拒收', () => {
    expect(caseWord('refused')).toBe('已拒绝');
  });

  it('names who acted: a rule by its id, a platform by its name, the system in Chinese, people by user id', () => {
    const who = (actor: string, language: 'zh' | 'en' = 'zh') =>
      caseActorName(actor, language, language === 'zh' ? platform : (c) => c, (a) => actorName(a, language));
    expect(who('rule:as-hold-large')).toBe('规则 as-hold-large');
    expect(who('shopee')).toBe(channelNames.zh.shopee);
    expect(who('taobao')).not.toBe('taobao');
    expect(who('system')).toBe('系统');
    expect(who('cs-xiaomei')).toBe('cs-xiaomei');
    expect(who('rule:as-hold-large', 'en')).toBe('rule:as-hold-large');
    expect(who('system', 'en')).toBe('system');
  });

  it('names the buyer on the platform who asked a case again (淘宝买家)', () => {
    const who = (actor: string, language: 'zh' | 'en' = 'zh') =>
      caseActorName(actor, language, language === 'zh' ? platform : (c) => c, (a) => actorName(a, language));
    expect(who('buyer:taobao')).toBe(`${channelNames.zh.taobao}买家`);
    expect(who('buyer:pdd', 'en')).toBe('the buyer on pdd');
    expect(caseWord('reopened')).toContain('重新');
  });
});
