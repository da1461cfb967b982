/**
 * What an order, parcel or after-sales case waits for, said in the reader's language from the code
 * and particulars the workflows answer (`waiting`, domain/waiting.ts). English is the API's own
 * sentence (`waitingFor`). Every code has a Chinese sentence here: tests/ui/waiting.test.ts fails
 * when the workflows gain a code this file does not say. (No imports: the tests load it directly.)
 */

export type WaitingParams = Readonly<Record<string, string | number | boolean | null>>;
export interface WaitingLike {
  code: string;
  params: WaitingParams;
}

/** Turns a code the API sent (hold reason, role, platform, exception kind) into words. */
type CodeWords = (value: string) => string;
type Sentence = (p: WaitingParams, code: CodeWords) => string;

const s = (v: string | number | boolean | null | undefined): string =>
  v === null || v === undefined ? '' : String(v);
const overdue = (p: WaitingParams) => (p.overdue ? '（已超时，由平台决定）' : '');
const list = (v: unknown, sep: string, code: CodeWords, join = '、') =>
  s(v as string)
    .split(sep)
    .filter(Boolean)
    .map((x) => code(x.trim()))
    .join(join);
const lockReason = (p: WaitingParams) => s(p.reason) || '未填写原因';
/** An amount in the minor unit of its currency: yuan for CNY, else the amount and currency as sent. */
const minorText = (v: string | number | boolean | null | undefined, currency: string) =>
  currency === 'CNY' || currency === ''
    ? `¥${(Number(v) / 100).toFixed(2)}`
    : `${s(v)} ${currency}（最小货币单位）`;
/** A knob's length in Chinese: 5 天、6 小时、20 分钟、30 秒 (one decimal at most). */
export function spanZh(v: string | number | boolean | null | undefined): string {
  const seconds = Number(v);
  const one = (n: number) => String(Math.round(n * 10) / 10);
  if (!Number.isFinite(seconds)) return '';
  if (seconds >= 86_400) return `${one(seconds / 86_400)} 天`;
  if (seconds >= 3_600) return `${one(seconds / 3_600)} 小时`;
  if (seconds >= 60) return `${one(seconds / 60)} 分钟`;
  return `${one(seconds)} 秒`;
}
const money = (p: WaitingParams) => minorText(p.amountMinor, s(p.currency));
const limit = (p: WaitingParams) => minorText(p.aboveMinor, s(p.currency));

/**
 * After-sales cases handed to a person: the case's timeline step says why (`refund-2`,
 * `platform-agree`, … are matched without their suffix); the API's English particulars follow.
 */
export const personStepZh: Readonly<Record<string, string>> = {
  unsupported: '此类售后尚未自动处理',
  'after-handover': '这些商品的包裹已交给快递',
  'order-unknown': '系统里没有这个订单',
  'intercept-by-person': '请联系快递拦截包裹',
  'exchange-refuse': '请在平台后台拒绝换货（需平台的理由和凭证图片）',
  'exchange-agree-refused': '平台没有接受同意换货',
  'exchange-sku': '买家要换成其他 SKU：请在平台确认收货并发出该 SKU',
  'exchange-confirm-refused': '平台没有接受确认收货',
  'exchange-consign-refused': '平台没有接受换货包裹的运单号',
  'exchange-refuse-rejected': '平台没有接受拒绝换货',
  'exchange-in-back-office': '换货商品已在平台后台发出：售后单随平台结束，请勿再从本系统发货',
  'reship-refuse': '请在平台后台拒绝补寄（平台无拒绝补寄的接口）',
  'reship-waybill-in-back-office':
    '补寄包裹已从本仓发出：请在平台后台填写补寄运单号（如平台仍待同意，先同意补寄）；售后单随平台结束',
  'exchange-refund-rejected': '平台没有接受换货转退款',
  'platform-agree-refused': '平台没有接受同意',
  'platform-refuse-rejected': '平台没有接受拒绝',
  'platform-agree': '未能把同意告知平台，请在平台后台同意',
  'platform-refuse': '未能把拒绝告知平台，请在平台后台拒绝',
  platform: '未能通知平台',
  inspected: '退货验货发现问题',
  'return-damaged': '退回的商品有损坏：请在平台按损坏登记收货',
  'return-receipt-by-person': '请在平台登记已收到退货（店铺规则为人工登记）',
  'return-receipt-refused': '平台没有接受已收到退货的登记',
  'return-refund-refused': '退货验货后拒绝退款：请在平台后台答复买家',
  'refund-in-seller-central':
    '退货已验收：请在亚马逊卖家平台（Seller Central）退款，退货报告显示已退款后售后单自动结束',
  'refund-feed-damaged': '退回的商品有损坏：请在亚马逊卖家平台（Seller Central）按实际情况退款',
  'refund-feed-refused': '亚马逊拒绝了退款 feed 的记录：请在卖家平台（Seller Central）退款',
  'refund-feed-failed': '退款 feed 未能提交或处理：请在卖家平台（Seller Central）核对并退款',
  'refund-feed-unsure': '无法确认退款 feed 是否已提交：请在卖家平台（Seller Central）核对是否已退款',
  'finance-rejected': '财务未批准退款',
  'refund-stuck': '退款仍未完成',
  refund: '退款未完成',
};

export function personStepText(step: string): string {
  const exact = personStepZh[step];
  if (exact) return exact;
  const bare = step.replace(/-\d+$/, '');
  if (personStepZh[bare]) return personStepZh[bare];
  const head = bare.split('-')[0]!;
  return personStepZh[head] ?? '见说明';
}

/** A case handed to a person, in Chinese: why from its step, the API's particulars after it. */
export function personText(step: string, why: string): string {
  const particulars = why.replace(/^a person: /, '');
  return `需人工处理：${personStepText(step)}${particulars ? `（${particulars}）` : ''}`;
}

export const waitingZh = {
  order_review: (p, code) =>
    `等待${list(p.roles, ' or ', code, '或')}审核（${code(`stage.${s(p.stage)}`)}：${list(p.reasons, ',', code)}）`,
  order_locked: (p) => `等待客服解锁（锁定原因：${lockReason(p)}）`,
  order_locked_parcel: (p) => `等待客服解锁（锁定原因：${lockReason(p)}），包裹在仓库等待`,
  order_deposit: (p) => `等待买家付定金${overdue(p)}`,
  order_balance: (p) => `等待买家付尾款${overdue(p)}`,
  order_payment: (p) => `等待买家付款${overdue(p)}`,
  order_payment_platform: (p) => `等待买家付款（一直不付平台会关闭订单）${overdue(p)}`,
  order_group_forming: (p, code) => `等待${code(s(p.platform))}拼团成团`,
  order_line_refunds: () => '等待平台处理每行商品的退款申请',
  order_stock_short: (p) => `等待到货（缺：${s(p.short) || '见原因'}）`,
  order_stock_together: () => '等待到货，由同一仓库整单发出',
  order_wave: (p) => `等待波次（仓库：${list(p.warehouses, ',', (x) => x)}）`,
  order_warehouse: () => '等待仓库拣货、打包、交接',
  order_delivery: () => '等待签收',
  order_shipment_exception: () => '等待人工处理物流异常',
  order_lost_decision: (p) => `等待人工决定丢失包裹 ${s(p.parcelId)} 补发还是退款`,
  order_lost_refund: (p) => `等待丢失包裹 ${s(p.parcelId)} 的商品退款（平台或售后单）`,
  order_lost_reship: (p) => `等待丢失包裹 ${s(p.parcelId)} 补发`,
  shipment_picking: () => '等待仓库拣货',
  shipment_packing: () => '等待打包',
  shipment_carrier_selection: () => '等待选择快递',
  shipment_platform_arranging: (p, code) => `等待${code(s(p.platform))}物流安排包裹并给出运单号`,
  shipment_platform_tracking: (p, code) => `等待${code(s(p.platform))}物流给出运单号（${code(s(p.method))}）`,
  shipment_handover: (p) => `等待交接给${p.carrier ? s(p.carrier) : '快递'}`,
  shipment_locked: (p) =>
    `等待客服解锁（${p.at === 'waybill' ? '出面单前' : '交接前'}）：${s(p.locked).replace(/no reason given/g, '未填写原因')}`,
  shipment_exception: (p, code) => `等待人工处理${code(s(p.kind))}（继续跟踪或判定丢件）`,
  shipment_delivery: () => '等待签收',
  shipment_delivery_followed: (p, code) => `等待${s(p.carrier)}送达签收（经${code(s(p.platform))}跟踪）`,
  shipment_delivery_unfollowed: (p, code) =>
    `等待${s(p.carrier)}送达签收（由${code(s(p.platform))}跟踪，本系统不再跟踪）`,
  case_decision: () => '人工决定',
  case_buyer_return: () => '等待买家寄回商品',
  case_return_parcel: (p) =>
    p.trackingNo ? `等待退货包裹 ${s(p.carrier)} ${s(p.trackingNo)} 到仓` : '等待退货包裹到仓',
  case_return_stalled: (p) =>
    `等待人工查找退货包裹 ${s(p.carrier)} ${s(p.trackingNo)}：已 ${spanZh(p.seconds)}没有新的物流轨迹（请联系快递或买家；仓库收货后照常继续）`,
  case_return_unreceived: (p, code) =>
    `等待人工查找退货包裹 ${s(p.carrier)} ${s(p.trackingNo)}：快递显示${code(s(p.tracking) || 'delivered')}已 ${spanZh(p.seconds)}，仓库仍未收货（请在仓库查找或联系快递；仓库收货后照常继续）`,
  case_return_untracked: (p) =>
    `等待退货包裹 ${s(p.carrier)} ${s(p.trackingNo)} 到仓（该包裹无法跟踪物流，仓库收货后继续）`,
  case_return_overdue: (p) =>
    `等待人工查找退货包裹 ${s(p.carrier)} ${s(p.trackingNo)}：寄出已 ${spanZh(p.seconds)}仍未到仓（无法跟踪物流：请在仓库查找或联系买家；仓库收货后照常继续）`,
  case_platform_refund: (p, code) => `等待${code(s(p.platform))}给买家退款`,
  case_refund_settle: (p, code) => `等待${code(s(p.channel))}退款到账`,
  case_exchange_handover: () => '等待换货包裹交给快递',
  case_exchange_review: (p) =>
    `等待审核人${s(p.choices)
      .split(',')
      .map((c) => (c === 'refuse' ? '拒绝换货（二审）' : '换货转退款'))
      .join('或')}（退回商品验货：${s(p.found)}）`,
  case_exchange_back_office: (p, code) =>
    `等待人工在${code(s(p.platform))}后台同意换货（平台不支持通过接口处理），之后等待买家寄回（或仓库收货）`,
  case_finance_approval: (p) => `等待财务审批退款 ${money(p)}（超过店铺审批限额 ${limit(p)}）`,
  case_person: (p) => personText(s(p.step), s(p.why)),
  legacy: (p) => s(p.text),
} satisfies Record<string, Sentence>;

export type KnownWaitingCode = keyof typeof waitingZh;

/**
 * The waiting state in words: Chinese from the code; English is the API's sentence. A code this
 * UI does not know (a newer API) reads as the API's sentence in either language.
 */
export function describeWaiting(
  waiting: WaitingLike | null | undefined,
  sentence: string | null | undefined,
  language: 'zh' | 'en',
  code: CodeWords,
): string | null {
  if (!waiting) return sentence ?? null;
  if (language === 'en') return sentence ?? waiting.code;
  const zh = (waitingZh as Record<string, Sentence | undefined>)[waiting.code];
  return zh ? zh(waiting.params, code) : (sentence ?? waiting.code);
}
