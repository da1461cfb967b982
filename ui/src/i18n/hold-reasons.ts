/**
 * Why an order is held, by the reason code the audit, the rules and the order workflow give it
 * (the review queue and order pages say it by these words). No imports: the tests load it directly
 * (tests/ui/waiting.test.ts fails when a reason the system raises has no Chinese).
 */
export const holdReasons: Readonly<Record<'zh' | 'en', Readonly<Record<string, string>>>> = {
  zh: {
    blacklisted: '黑名单买家',
    address_invalid: '地址无法识别',
    buyer_remark: '买家留言需处理',
    seller_memo: '卖家备注需处理',
    custom_made: '定制商品',
    large_amount: '大额订单',
    payment_mismatch: '实付与应付不符',
    unmapped_sku: '商品未匹配 SKU',
    no_exchange_rate: '缺少汇率',
    short_after_partial_shipment: '部分发货后缺货',
    refund_in_packed_parcel: '已打包的包裹里有商品申请退款',
    address_unreachable: '地址不在快递派送范围',
    audit_rule_failed: '审核规则执行出错',
    split_shipment: '需拆单发货',
    unfulfillable: '没有仓库能发这些商品',
  },
  en: {
    blacklisted: 'blacklisted buyer',
    address_invalid: 'address not recognised',
    buyer_remark: 'buyer remark',
    seller_memo: 'seller memo',
    custom_made: 'custom made',
    large_amount: 'large amount',
    payment_mismatch: 'paid ≠ due',
    unmapped_sku: 'unmapped SKU',
    no_exchange_rate: 'no exchange rate',
    short_after_partial_shipment: 'short after partial shipment',
    refund_in_packed_parcel: 'refund asked for a line in a packed parcel',
    address_unreachable: 'address out of carriers’ reach',
    audit_rule_failed: 'audit rule failed',
    split_shipment: 'split shipment needed',
    unfulfillable: 'no warehouse can ship it',
  },
};

/**
 * What to do about a hold the system opened with words of its own (the workflows' and the audit's
 * English `message`, e.g. a packed parcel's line refund), by the hold's reason code. A rule's own
 * message (people write those, in Chinese) is shown as written; the hold's `detail` (the API's
 * particulars) follows in brackets. tests/ui/hold-messages.test.ts fails when the workflows,
 * activities or the audit open a hold whose reason has no Chinese here or in `holdReasons`.
 */
export const holdMessageZh: Readonly<Record<string, string>> = {
  refund_in_packed_parcel:
    '买家对已打包包裹里的商品申请了退款：通过即拆包重新打包（去掉该商品）；或选择按原包裹发出，退款交给售后处理',
  split_shipment:
    '没有一个仓库能整单发出：通过即等待到货，由一个仓库整单发出（到货后自动继续）；或选择拆成多个包裹发出（平台不允许拆单时，需先把店铺的拆单设置改为“询问”）',
  unmapped_sku: '把平台商品对应到系统 SKU（商品对应关系），然后通过',
  unfulfillable: '给某个仓库开通这些商品需要的能力，或修改订单，然后通过',
  short_after_partial_shipment:
    '订单已有包裹发出，另一包裹拣货时缺货：通过即为缺的商品重新分配库存、另发一个包裹；或驳回',
  payment_mismatch: '核对买家实付与应付金额，确认无误后通过',
  audit_rule_failed: '审核规则执行出错：检查并修正规则，然后通过',
  address_unreachable: '收货地址不在可用快递的派送范围：核对地址或改用能送达的快递，修改后自动重新筛单',
};

const CHINESE = /[\u4e00-\u9fff]/;

const FIELD_ZH: Readonly<Record<string, string>> = { buyer_remark: '买家留言', seller_memo: '卖家备注' };
const fen = (v: string) => `¥${(Number(v) / 100).toFixed(2)}`;

/**
 * The frame of the audit's most frequent particulars in Chinese (the quoted words, SKUs and ids
 * stay as the API wrote them); anything else reads as written.
 */
const DETAIL_ZH: ReadonlyArray<[RegExp, (...m: string[]) => string]> = [
  [/^(buyer_remark|seller_memo) needs a person: /, (_, f) => `${FIELD_ZH[f!]}需人工处理：`],
  [/^(buyer_remark|seller_memo) contains /, (_, f) => `${FIELD_ZH[f!]}含有 `],
  [/^(buyer_remark|seller_memo) present: /, (_, f) => `${FIELD_ZH[f!]}：`],
  [/^(buyer_remark|seller_memo) asks for /, (_, f) => `${FIELD_ZH[f!]}要求 `],
  [/unrecognized "/g, () => '无法识别“'],
  [/^blacklisted /, () => '黑名单：'],
  [/no reason given/g, () => '未填写原因'],
  [/^address: /, () => '地址：'],
  [
    /^paid (\d+) fen but (\d+) fen is due \(tolerance (\d+) fen\)$/,
    (_, paid, due, tol) => `实付 ${fen(paid!)}，应付 ${fen(due!)}（允许差额 ${fen(tol!)}）`,
  ],
  [/^rule failed: /, () => '规则出错：'],
  // An unmapped line (db/queries/catalog.ts, joined by domain/audit/decide.ts): ids and codes kept.
  [
    /line (\S+): no SKU mapping for outer code "([^"]*)"(?: or (\S+) SKU id "([^"]*)")? in shop (\S+?)(?=;|$)/g,
    (_, line, outer, platform, id, shop) =>
      `第 ${line} 行：店铺 ${shop} 没有外部编码“${outer}”${platform ? `或 ${platform} 商品 ID“${id}”` : ''}的 SKU 对应关系`,
  ],
  [/; (?=第 )/g, () => '；'],
];

/** The hold's particulars with the audit's frame in Chinese (the particulars themselves kept). */
export function holdDetailZh(detail: string): string {
  return DETAIL_ZH.reduce((text, [pattern, words]) => text.replace(pattern, words), detail);
}

export interface HoldLike {
  reason: string;
  message?: string | null;
  detail: string;
}

/**
 * A hold's words for the reader: in Chinese, a rule's own Chinese message or the system's Chinese
 * for its reason, with the API's particulars (`detail`, kept as written) after it; in English, the
 * API's message, else its detail.
 */
export function holdText(hold: HoldLike, language: 'zh' | 'en'): string {
  if (language === 'en') return hold.message ?? hold.detail;
  const what = hold.message && CHINESE.test(hold.message) ? hold.message : holdMessageZh[hold.reason];
  const detail = holdDetailZh(hold.detail);
  if (!what) return hold.message ? `${hold.message}（${detail}）` : detail;
  return detail ? `${what}（${detail}）` : what;
}
