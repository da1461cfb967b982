/** The after-sales case's return parcel panel (退货包裹), Chinese first; merged into messages.ts. */
export const returnParcelZh = {
  'rp.title': '退货包裹',
  'rp.carrier': '快递公司',
  'rp.trackingNo': '退货运单号',
  'rp.noTrackingNo': '无运单号（买家在包裹上写售后单号，仓库扫描后收货）',
  'rp.source': '运单来源',
  'rp.source.buyer': '买家自行寄回',
  'rp.source.sf': '顺丰退货下单（我方出单）',
  'rp.source.cainiao': '菜鸟电子面单上门取件（我方出单）',
  'rp.status': '包裹状态',
  'rp.lastScan': '最新轨迹',
  'rp.noScan': '暂无物流轨迹',
  'rp.followedBy': '跟踪方式',
  'rp.followedBy.push': '快递主动推送',
  'rp.followedBy.poll': '定时查询',
  'rp.followedBy.none': '无法跟踪物流（等仓库收货）',
  'rp.receivedAt': '仓库收货',
  'rp.stalled':
    '已 {span}没有新的物流轨迹（最后一次变化：{since}），已转人工：请联系快递或买家查找包裹；仓库收货后照常继续。',
  'rp.unreceived':
    '快递显示{tracking}已 {span}（{since}），仓库仍未收货，已转人工：请在仓库查找或联系快递；仓库收货后照常继续。',
  'rp.overdue':
    '该包裹无法跟踪物流，寄出已 {span}（{since}）仍未到仓，已提醒人工：请在仓库查找或联系买家；仓库收货后照常继续。',
  'rp.scans': '物流轨迹',
} as const;

export const returnParcelEn: Record<keyof typeof returnParcelZh, string> = {
  'rp.title': 'Return parcel',
  'rp.carrier': 'Carrier',
  'rp.trackingNo': 'Return waybill',
  'rp.noTrackingNo': 'No waybill (the buyer writes the case number on the parcel; the warehouse scans it)',
  'rp.source': 'Waybill from',
  'rp.source.buyer': 'the buyer’s own courier',
  'rp.source.sf': 'SF return order (issued by us)',
  'rp.source.cainiao': 'Cainiao e-waybill with door pick-up (issued by us)',
  'rp.status': 'Parcel',
  'rp.lastScan': 'Last scan',
  'rp.noScan': 'No scan yet',
  'rp.followedBy': 'Followed by',
  'rp.followedBy.push': 'carrier push',
  'rp.followedBy.poll': 'polling',
  'rp.followedBy.none': 'not followed (no tracking service follows it; the warehouse receives it)',
  'rp.receivedAt': 'Received at the warehouse',
  'rp.stalled':
    'No new scan for {span} (last moved {since}): with a person — ask the carrier or the buyer where it is; the warehouse’s receipt still ends the wait.',
  'rp.unreceived':
    'The carrier said {tracking} {span} ago ({since}) and the warehouse has not received it: with a person — look for it at the warehouse or ask the carrier; the receipt still ends the wait.',
  'rp.overdue':
    'Not followed by tracking, sent back {span} ago ({since}) and not at the warehouse yet: a person was reminded — look for it at the warehouse or ask the buyer; the receipt still ends the wait.',
  'rp.scans': 'Tracking',
};

/**
 * A tracking status in words (domain/carriers/tracking.ts TRACKING_STATUSES). Kept apart from the
 * shared codes: `pending`, `accepted` and `rejected` mean other things elsewhere (a refund pending,
 * a decision accepted, a case refused).
 */
export const trackingStatusZh: Readonly<Record<string, string>> = {
  pending: '已出单待揽收',
  accepted: '已揽收',
  in_transit: '运输中',
  out_for_delivery: '派送中',
  delivered: '已签收',
  exception: '异常件',
  returning: '退回中',
  returned: '已退回',
  rejected: '拒签',
};

export function trackingStatusName(
  status: string,
  language: 'zh' | 'en',
  code: (value: string) => string,
): string {
  return language === 'zh' ? (trackingStatusZh[status] ?? code(status)) : code(status);
}
