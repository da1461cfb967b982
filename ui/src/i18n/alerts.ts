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
};

/** An alert's words for the reader: in Chinese, what it means, the API's particulars after it. */
export function alertText(kind: string, message: string, language: 'zh' | 'en'): string {
  if (language === 'en') return message;
  const what = alertWhatZh[kind];
  return what ? `${what}（${message}）` : message;
}

export function alertKindName(kind: string, language: 'zh' | 'en'): string {
  return (language === 'zh' ? alertKindZh[kind] : undefined) ?? kind.replace(/_/g, ' ');
}
