import { describe, expect, it } from 'vitest';
import { analyzeRemark } from '../../domain/remarks/index.js';

const intents = (text: string) => analyzeRemark(text).intents.map((i) => i.intent);

describe('analyzeRemark: Chinese remarks', () => {
  it.each([
    ['加急，谢谢', ['urgent'], '加急'],
    ['这是送人的礼物', ['gift'], '送礼订单，勿放价格单'],
    ['要发票', ['invoice'], '需要发票'],
    ['不要发票', ['no_invoice'], '不需要发票'],
    ['先打电话再送', ['call_before_delivery'], '送货前电话联系'],
    ['放门口就行', ['leave_at_door'], '放门口'],
    ['放快递柜', ['parcel_locker'], '放快递柜/驿站'],
    ['请周末送货', ['weekend_delivery'], '周末送货'],
    ['改地址', ['change_address'], '买家要求改地址，联系买家确认'],
    ['刻字', ['custom_made'], '定制/刻字，按备注内容制作并核对'],
    ['发顺丰', ['carrier'], '指定快递：顺丰'],
  ])('%s → %j', (text, expected, instruction) => {
    const result = analyzeRemark(text);
    expect(result.language).toBe('zh');
    expect(result.intents.map((i) => i.intent)).toEqual(expected);
    expect(result.instructions).toContain(instruction);
    expect(result.original).toBe(text);
  });

  it('lets a negation win over the word it contains (不急, 不要发票, 不要打电话)', () => {
    expect(intents('不急')).toEqual(['no_rush']);
    expect(intents('不要发票，不要打电话')).toEqual(['no_invoice', 'no_call']);
  });

  it('reads several requests in one remark, in the order written', () => {
    const result = analyzeRemark('不要放价格单，礼品包装，周末送');
    expect(result.instructions).toEqual(['不放价格单/发货单', '礼品包装', '周末送货']);
    expect(result.needsReview).toBe(false);
  });

  it('reads traditional characters', () => {
    expect(intents('請盡快出貨，要發票')).toEqual(['urgent', 'invoice']);
  });

  it('needs a person when a request is not routine or part of the remark is not understood', () => {
    expect(analyzeRemark('请周末送货').needsReview).toBe(false);
    expect(analyzeRemark('要发票').needsReview).toBe(true);
    const question = analyzeRemark('宝贝颜色和图片一样吗');
    expect(question.needsReview).toBe(true);
    expect(question.unrecognized).toEqual(['宝贝颜色和图片一样吗']);
    expect(analyzeRemark('').needsReview).toBe(false);
  });

  it('knows the carrier a buyer names', () => {
    expect(analyzeRemark('只发中通快递').intents[0]).toMatchObject({ intent: 'carrier', carrier: 'ZTO' });
  });
});

describe('analyzeRemark: cross-border remarks', () => {
  it.each([
    ['please gift wrap', 'en', ['gift_wrap'], ['礼品包装']],
    ['Please call before delivery, thanks!', 'en', ['call_before_delivery'], ['送货前电话联系']],
    ['leave at door', 'en', ['leave_at_door'], ['放门口']],
    ['urgent', 'en', ['urgent'], ['加急']],
    ['I need an invoice please', 'en', ['invoice'], ['需要发票']],
    ['Bitte vor der Lieferung anrufen', 'de', ['call_before_delivery'], ['送货前电话联系']],
    ['Por favor envolver para regalo', 'es', ['gift_wrap'], ['礼品包装']],
    ['至急でお願いします', 'ja', ['urgent'], ['加急']],
    ['Tolong kirim cepat ya', 'id', ['urgent'], ['加急']],
  ])('%s → %s %j', (text, language, expected, instructions) => {
    const result = analyzeRemark(text);
    expect(result.language).toBe(language);
    expect(result.intents.map((i) => i.intent)).toEqual(expected);
    expect(result.instructions).toEqual(instructions);
    expect(result.original).toBe(text);
  });

  it('keeps the original and asks a person to read what it did not understand', () => {
    const text = 'The colour must match the photo exactly';
    const result = analyzeRemark(text);
    expect(result).toMatchObject({ language: 'en', languageName: '英语', original: text, needsReview: true });
    expect(result.instructions).toEqual(['英语留言有未识别内容，请人工确认原文']);
  });

  it('turns a mixed request into each instruction', () => {
    const result = analyzeRemark('No rush, leave it with the front desk and ship via DHL');
    expect(result.intents.map((i) => i.intent)).toEqual(['no_rush', 'leave_with_guard', 'carrier']);
    expect(result.instructions).toEqual(['不急，正常发货', '放门卫/物业/前台', '指定快递：DHL']);
  });
});
