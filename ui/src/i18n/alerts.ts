/**
 * Alerts for ops (店铺 › 告警) in Chinese, by the alert's kind (db/queries/alerts.ts ALERT_KINDS):
 * its name, and what it means and what to do; the API's message (its particulars: order ids, SKUs,
 * the platform's words) follows in brackets. No imports: tests/ui/hold-messages.test.ts fails when
 * an alert kind has no Chinese here.
 */
export const alertKindZh: Readonly<Record<string, string>> = {
  sync_failing: '同步失败',
  auth_failed: '店铺授权失效',
  sync_rejected: '平台拒绝同步请求',
  fx_rate_missing: '缺少汇率',
  shipment_exception: '包裹异常',
  channel_failing: '消息通道故障',
  pick_exception: '拣货异常',
  wms_report_rejected: '外部仓库回传无法处理',
  unpaid_overdue: '逾期未付款',
  paid_after_close: '关闭后付款',
  stock_sync_refused: '平台拒绝库存上传',
  stock_sync_failing: '库存上传失败',
  shipped_on_platform: '已在平台后台发货',
  address_changed_after_handover: '交接后买家改地址',
  waybill_balance_low: '面单余额不足',
  waybill_account_failing: '面单账号不可用',
  after_sale_deadline: '售后即将超时',
  parcel_lost: '包裹丢失',
  lost_parcel_refund: '丢件待退款',
  return_parcel_stalled: '退货包裹无轨迹',
  return_not_received: '退货签收未入库',
  return_parcel_overdue: '退货逾期未到仓',
};

export const alertWhatZh: Readonly<Record<string, string>> = {
  sync_failing: '平台接口多次重试仍失败，稍后会自动再试',
  auth_failed: '平台拒绝了店铺的授权，同步已暂停：请重新授权店铺',
  sync_rejected: '平台拒绝了同步请求本身，同步已暂停：请检查店铺设置',
  fx_rate_missing: '订单币种没有汇率，订单暂停：录入汇率后自动继续',
  shipment_exception: '包裹需要人工处理：到“物流”页继续跟踪或判定丢件',
  channel_failing: '平台消息通道一直失败，订单变化暂时只靠轮询获取',
  pick_exception: '拣货时商品缺少或破损，已报损并申请补货：请盘点库位并在“仓库”页处理每条拣货异常',
  wms_report_rejected: '外部仓库回传的内容系统无法接受：请查看说明',
  unpaid_overdue: '平台订单超过提醒时间仍未付款（由平台关闭订单）',
  paid_after_close: '平台显示订单已付款，但系统里订单已结束：请手工发货或退款',
  stock_sync_refused: '平台拒绝了库存上传（商品下架或 SKU 不存在）：请人工处理该商品',
  stock_sync_failing: '库存多次上传失败，平台上的库存可能不准',
  shipped_on_platform: '订单在平台后台被发货，系统已停止处理：请查看说明',
  address_changed_after_handover: '包裹交给快递后买家改了地址：请联系快递改派，或联系买家（售后）',
  waybill_balance_low: '面单账号余额已到提醒线：请及时充值',
  waybill_account_failing: '面单账号被拒（余额用完、授权过期或未开通），暂由其他账号出单',
  after_sale_deadline: '售后单快到平台给卖家的处理期限仍未决定（超时平台会按买家处理）',
  parcel_lost: '包裹丢失（快递报丢或长时间无轨迹）：到订单上选择补发或退款',
  lost_parcel_refund: '已决定给丢失包裹的商品退款：请在平台（或自营商城）退款',
  return_parcel_stalled:
    '售后退货包裹长时间没有新的物流轨迹：请联系快递或买家查找包裹（仓库收货后售后单照常继续）',
  return_not_received:
    '快递显示退货包裹已签收，但仓库一直没有收货：请在仓库查找包裹或联系快递（仓库收货后售后单照常继续）',
  return_parcel_overdue:
    '买家寄回的退货包裹无法跟踪物流（如 Shopee 自有物流），寄出已超过提醒时间仍未到仓：请在仓库查找，或联系买家、平台确认（仓库收货后售后单照常继续）',
};

/** How the alert's particulars name a few things (the page passes its words for them). */
export interface AlertWords {
  /** A platform, order status or other code by its name (淘宝/天猫, 拣货中, …). */
  code(value: string): string;
  /** A parcel's exception (kind and the carrier's or platform's words) in Chinese. */
  exception(kind: string, detail: string): string;
}

const time = (iso: string) => {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toLocaleString('zh-CN', { hour12: false });
};
const PHASE: Readonly<Record<string, string>> = { payment: '货款', deposit: '定金', balance: '尾款' };
const WAYBILL_TODO = '请按快递的说明处理，然后点“查询余额”恢复使用';

/** Why a waybill account stopped (domain/carriers/refusal.ts) and what to do about it. */
const WAYBILL_REFUSAL: Readonly<Record<string, readonly [string, string]>> = {
  'no waybill balance left': ['面单余额用完', '请到网点充值，充值后点“查询余额”恢复使用'],
  'the authorisation expired': [
    '授权已过期',
    '请重新授权：点“编辑”填入新的授权 session / access token，保存后点“查询余额”恢复使用',
  ],
  'the account is not set up for this carrier': [
    '账号未开通该快递的面单服务',
    '请联系网点开通面单服务，或点“编辑”核对网点编码和月结卡号，然后点“查询余额”',
  ],
  'the address is outside the service area': ['地址不在派送范围', WAYBILL_TODO],
  'the request was refused': ['请求被拒绝', WAYBILL_TODO],
};
/** How a return parcel's journey ended, as its tracking status says. */
const JOURNEY_END: Readonly<Record<string, string>> = {
  delivered: '已签收',
  returned: '已退回',
  rejected: '被拒收',
};
const SPAN_UNIT: Readonly<Record<string, string>> = {
  days: '天',
  hours: '小时',
  minutes: '分钟',
  seconds: '秒',
};
const LOST_REASON: Readonly<Record<string, string>> = { 'closed as lost': '已判定丢失' };

/** One pick exception of the summary: `#12 HZ SKU-1 ×2 missing at A-01 (order T-1)`. */
const PICK_ITEM = /#(\d+) (\S+) (\S+) ×(\d+) (damaged|missing)(?: at (\S+))? \(order ([^)]+)\)/g;

/**
 * The frames of the messages the system raises alerts with (db/queries/alerts.ts callers), by
 * kind, in Chinese: ids, SKUs and the platform's or carrier's own words kept as written. A message
 * no frame matches (a platform's error text, a newer API) reads as written.
 */
const FRAMES: Readonly<Record<string, ReadonlyArray<[RegExp, (w: AlertWords, ...m: string[]) => string]>>> = {
  shipped_on_platform: [
    [
      /^(\S+) order (\S+) was shipped on the platform while it was (\S+) here: our parcel (.+) had already left too — two parcels are on their way$/,
      (w, p, o, s, parcels) =>
        `${w.code(p)}订单 ${o} 在平台后台发货时，系统中为“${w.code(s)}”：我们的包裹 ${parcels} 也已发出，买家会收到两个包裹`,
    ],
    [
      /^(\S+) order (\S+) was shipped on the platform while it was (\S+) here: stopped before a parcel of ours left; its reservation was released and any waybill cancelled$/,
      (w, p, o, s) =>
        `${w.code(p)}订单 ${o} 在平台后台发货时，系统中为“${w.code(s)}”：我们的包裹尚未发出，已释放库存、取消面单`,
    ],
  ],
  address_changed_after_handover: [
    [
      /^(\S+) order (\S+): the buyer changed the delivery address after parcel (.+?) was handed over; .*$/,
      (w, p, o, parcels) =>
        `${w.code(p)}订单 ${o}：包裹 ${parcels === 'of the order' ? '' : `${parcels} `}交给快递后买家改了收货地址`,
    ],
  ],
  parcel_lost: [
    [
      /^(\S+) order (\S+): parcel (\S+) \((.*?)\) is lost \((.*)\): reship or refund it on the order$/,
      (w, p, o, parcel, carrier, why) =>
        `${w.code(p)}订单 ${o}：包裹 ${parcel}（${carrier.trim()}）丢失（${LOST_REASON[why] ?? why}）`,
    ],
  ],
  lost_parcel_refund: [
    [
      /^(\S+) order (\S+): refund lines (.*) of lost parcel (\S+) to the buyer \((.*)\); the order ends when they are refunded$/,
      (w, p, o, lines, parcel, why) =>
        `${w.code(p)}订单 ${o}：丢失包裹 ${parcel} 的商品行 ${lines} 待退款给买家（${why}），退款完成后订单结束`,
    ],
  ],
  waybill_account_failing: [
    [
      /^(\S+) waybill account (.+) stopped \((.+?)\): (.*)$/s,
      (w, c, name, why, words) =>
        `${w.code(c)}面单账号“${name}”已停用：${WAYBILL_REFUSAL[why]?.[0] ?? why}（快递的说明：${words}），` +
        `停用期间由其他账号出单。${WAYBILL_REFUSAL[why]?.[1] ?? WAYBILL_TODO}`,
    ],
  ],
  waybill_balance_low: [
    [
      /^(\S+) waybill account (.+) has (\d+) waybills left \(alert at (\d+)\): top it up at the branch$/,
      (w, c, name, left, at) =>
        `${w.code(c)}面单账号“${name}”只剩 ${left} 张面单（提醒线 ${at} 张）。请到网点充值，充值后点“查询余额”`,
    ],
  ],
  return_parcel_stalled: [
    [
      /^return parcel (\S*) (\S*) of after-sales case (\S+) has had no new scan for (\S+) (days|hours|minutes|seconds): .*$/s,
      (_w, carrier, no, id, n, unit) =>
        `售后单 ${id} 的退货包裹 ${carrier} ${no} 已 ${n} ${SPAN_UNIT[unit] ?? unit}没有新的物流轨迹`,
    ],
  ],
  return_not_received: [
    [
      /^return parcel (\S*) (\S*) of after-sales case (\S+) was (\S+) (\S+) (days|hours|minutes|seconds) ago and is not received at the warehouse: .*$/s,
      (_w, carrier, no, id, tracking, n, unit) =>
        `售后单 ${id} 的退货包裹 ${carrier} ${no} 快递显示${JOURNEY_END[tracking] ?? tracking}已 ${n} ${SPAN_UNIT[unit] ?? unit}，仓库仍未收货`,
    ],
  ],
  return_parcel_overdue: [
    [
      /^return parcel (\S*) (\S*) of after-sales case (\S+) was sent back (\S+) (days|hours|minutes|seconds) ago and has not reached the warehouse; .*$/s,
      (_w, carrier, no, id, n, unit) =>
        `售后单 ${id} 的退货包裹 ${carrier} ${no} 寄出已 ${n} ${SPAN_UNIT[unit] ?? unit}，仍未到仓（无法跟踪物流）`,
    ],
  ],
  after_sale_deadline: [
    [
      /^after-sales case (\S+) needs a decision before (\S+), or the platform decides for the buyer$/,
      (_w, id, at) => `售后单 ${id} 需在 ${time(at)} 前处理，否则平台按买家的申请处理`,
    ],
  ],
  shipment_exception: [
    [
      /^(\S+): (\S+) refused tracking (\S+) \((\S+)\): (.*)$/,
      (w, s, o, t, kind, why) => `包裹 ${s}：平台拒绝了订单 ${o} 的运单号 ${t}（${w.code(kind)}）：${why}`,
    ],
    [/^(\S+): ([a-z_]+): (.*)$/s, (w, s, kind, detail) => `包裹 ${s}：${w.exception(kind, detail)}`],
  ],
  pick_exception: [
    [
      /^(\d+) open pick exception\(s\), (\d+) unit\(s\) written off: (.*?)(?:; and (\d+) more)?\. The orders were .*$/s,
      (_w, open, units, items, more) =>
        `${open} 条拣货异常未处理，已报损 ${units} 件：` +
        items
          .split('; ')
          .map((item) =>
            item.replace(
              PICK_ITEM,
              (_, id, wh, sku, qty, kind, bin, order) =>
                `#${id} ${wh} ${sku} ×${qty} ${kind === 'damaged' ? '破损' : '缺货'}${bin ? `（库位 ${bin}）` : ''}（订单 ${order}）`,
            ),
          )
          .join('；') +
        (more ? `；另有 ${more} 条` : ''),
    ],
  ],
  wms_report_rejected: [
    [
      /^(\S+) WMS refused parcel (\S+): (.*)$/s,
      (_w, wms, parcel, why) => `外部仓库 ${wms} 拒收包裹 ${parcel}：${why}`,
    ],
  ],
  unpaid_overdue: [
    [
      /^order (\S+) \((\S+)\): (payment|deposit|balance) still outstanding since (\S+); the platform closes it if the buyer never pays$/,
      (_w, id, platformId, phase, since) =>
        `订单 ${id}（${platformId}）：${PHASE[phase]}自 ${time(since)} 起仍未支付`,
    ],
  ],
  paid_after_close: [
    [
      /^order (\S+) \((\S+) (\S+)\) is (\S+) on the platform but was ended here \((\S+)\); ship it by hand or refund the buyer$/,
      (w, id, p, platformId, status, outcome) =>
        `订单 ${id}（${w.code(p)} ${platformId}）在平台上为 ${status}，但系统中已结束（${w.code(outcome)}）`,
    ],
  ],
  channel_failing: [
    [
      /^(.+?) \(app (\S+)\): (.*) — (\d+) failures in a row; order changes arrive by polling only until it recovers$/s,
      (_w, channel, app, error, n) => `${channel}（应用 ${app}）连续失败 ${n} 次：${error}`,
    ],
  ],
  stock_sync_refused: [
    [
      /^(\S+) refused the stock of (.+?): (.*)\. Fix the listing and save it again \(PUT \/stock\/listings\)\.$/s,
      (w, p, listings, why) => `${w.code(p)}拒绝了商品 ${listings} 的库存：${why}`,
    ],
    [
      /^(\S+) cannot read (\S+): (.*)$/s,
      (w, p, listing, why) => `${w.code(p)}读不到商品 ${listing} 的库存：${why}`,
    ],
  ],
  fx_rate_missing: [
    [
      /^no exchange rate (\S+)→CNY in effect at (\S+); add one with POST \/exchange-rates; (?:(\d+) order\(s\) of this shop wait for a rate|order (\S+) was refused)$/,
      (_w, currency, at, waiting, refused) =>
        `${time(at)} 没有 ${currency}→人民币 的汇率：` +
        (refused ? `订单 ${refused} 未接收` : `本店 ${waiting} 个订单在等汇率`),
    ],
  ],
};

/** The alert's particulars with the system's English frame in Chinese (the particulars kept). */
export function alertMessageZh(kind: string, message: string, words: AlertWords): string {
  for (const [pattern, say] of FRAMES[kind] ?? []) {
    const m = pattern.exec(message);
    if (m) return say(words, ...m.slice(1).map((v) => v ?? ''));
  }
  return message;
}

/**
 * An alert's words for the reader: in Chinese, what it means and what to do, then the particulars
 * (the system's frame in Chinese, ids and the platform's words as written); in English, the API's.
 */
export function alertText(kind: string, message: string, language: 'zh' | 'en', words: AlertWords): string {
  if (language === 'en') return message;
  const what = alertWhatZh[kind];
  const particulars = alertMessageZh(kind, message, words);
  return what ? `${what}（${particulars}）` : particulars;
}

export function alertKindName(kind: string, language: 'zh' | 'en'): string {
  return (language === 'zh' ? alertKindZh[kind] : undefined) ?? kind.replace(/_/g, ' ');
}
