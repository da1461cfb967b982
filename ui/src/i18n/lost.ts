/** The order's lost-parcel decision (丢件处理), Chinese first; merged into messages.ts. */
export const lostZh = {
  'lost.title': '丢件处理',
  'lost.declaredBy': '判定丢件',
  'lost.by.carrier': '快递公司报丢',
  'lost.by.silence': '长时间无物流轨迹',
  'lost.by.person': '人工判定丢件',
  'lost.why': '说明',
  'lost.reship': '补发',
  'lost.refund': '退款',
  'lost.reshipHelp': '丢失包裹里的商品报损出库，重新分配库存、重新打包发出一个新包裹。',
  'lost.refundHelp': '给店铺发出退款提醒，订单等这些商品在平台（或自营售后单）退款后结束。',
  'lost.reason': '原因（会记录在时间线上）',
  'lost.awaitingRefund': '等待退款',
  'lost.notYourRole': '丢件由客服或运营决定补发还是退款',
} as const;

export const lostEn: Record<keyof typeof lostZh, string> = {
  'lost.title': 'Lost parcels',
  'lost.declaredBy': 'Declared lost',
  'lost.by.carrier': 'by the carrier',
  'lost.by.silence': 'no scan for too long',
  'lost.by.person': 'by a person',
  'lost.why': 'Why',
  'lost.reship': 'Reship',
  'lost.refund': 'Refund',
  'lost.reshipHelp':
    'The lost units are written off; the lines are allocated again and leave as a new parcel.',
  'lost.refundHelp':
    'The shop is alerted to refund the lines; the order ends once they are refunded on the platform (or by an own-store case).',
  'lost.reason': 'Reason (kept on the timeline)',
  'lost.awaitingRefund': 'awaiting refund',
  'lost.notYourRole': 'Customer service or ops decide whether a lost parcel is reshipped or refunded',
};
