/**
 * What each order timeline event is called in Chinese (the event's `stage` as the workflows write
 * it). English reads the stage itself, underscores as spaces; a stage not listed here reads that
 * way in Chinese too, so a new event is never hidden, only untranslated.
 */
export const timelineZh: Readonly<Record<string, string>> = {
  captured: '接单',
  created: '创建',
  awaiting_payment: '等待付款',
  awaiting_deposit: '等待定金',
  awaiting_balance: '等待尾款',
  unpaid_reminder: '催付',
  payment_confirmed: '确认付款',
  typed_livestream: '识别为直播单',
  audited: '审核',
  re_audited: '重新审核',
  audit_passed: '审核通过',
  held: '挂起待审',
  hold_escalated: '挂起超时升级',
  holds_resolved: '挂起已解除',
  review_approved: '人工审核通过',
  order_edited: '修改订单',
  address_changed: '修改地址',
  address_rechecked: '地址重新校验',
  address_changed_after_handover: '交接后修改地址',
  locked: '锁定',
  unlocked: '解锁',
  lock_released: '解除锁定',
  flagged: '加标记',
  unflagged: '去标记',
  memo: '备注',
  allocated: '分配库存',
  stock_reserved: '库存已预占',
  out_of_stock: '缺货',
  waiting_to_ship_together: '等待合并发货',
  group_forming: '等待合单',
  group_formed: '合单',
  parcel_assigned: '进入波次包裹',
  parcel_cancelled: '包裹取消',
  taken_apart: '包裹拆回',
  held_for_lock: '因锁定暂停',
  left_while_locked: '锁定时已出库',
  picking: '拣货中',
  picked: '拣货完成',
  packed: '打包完成',
  carrier_selected: '选定快递',
  carrier_fallback: '改用备选快递',
  labelled: '已出面单',
  waybill_issued: '已出面单',
  waybill_cancelled: '面单取消',
  platform_shipment_arranged: '平台物流已预约',
  platform_shipment_left_arranged: '平台物流预约保留',
  platform_logistics_skipped: '未走平台物流',
  shipped: '已发货',
  tracking_uploaded: '已回传单号',
  tracking_upload_rejected: '回传单号被拒',
  in_transit: '运输中',
  out_for_delivery: '派送中',
  delivered: '已签收',
  completed: '完成',
  exception: '物流异常',
  shipment_exception: '物流异常',
  ship_by_at_risk: '发货即将超时',
  parcel_lost: '包裹丢失',
  lost: '包裹丢失',
  lost_parcel_reship: '丢件补发',
  lost_parcel_refund: '丢件退款',
  lost_parcel_refunded: '丢件已退款',
  label_reprinted: '重打面单',
  refund_hold: '退款中暂停',
  refund_hold_released: '退款关闭恢复',
  refund_lines_changed: '商品退款状态变化',
  after_sale_intercept: '售后拦截',
  intercept: '拦截包裹',
  platform_status: '平台状态变化',
  store_told_cancelled: '已通知店铺取消',
  store_not_told: '未能通知店铺',
  cancelled: '已取消',
};

/** The event's name in the reader's language. */
export function timelineEventName(stage: string, language: 'zh' | 'en'): string {
  return (language === 'zh' ? timelineZh[stage] : undefined) ?? stage.replace(/_/g, ' ');
}

/**
 * What the fields of a timeline event's detail are called in Chinese (English reads the field's
 * own name). A field not listed reads as its name.
 */
export const detailFieldZh: Readonly<Record<string, string>> = {
  reason: '原因',
  because: '原因',
  why: '原因',
  note: '说明',
  memo: '备注',
  phase: '阶段',
  stage: '阶段',
  flag: '标记',
  flags: '标记',
  platform: '平台',
  platformStatus: '平台状态',
  during: '期间',
  kind: '类型',
  detail: '详情',
  carrier: '快递',
  trackingNumber: '运单号',
  warehouse: '仓库',
  parcelId: '包裹',
  shipmentId: '包裹',
  waveId: '波次',
  decision: '决定',
  deadline: '截止时间',
  reminderAt: '提醒时间',
  paymentWindow: '付款时限',
  modifiedAt: '修改时间',
  deliveryId: '交付编号',
  holdSlaSeconds: '审核时限（秒）',
  unpaidCancelSeconds: '未付款关闭时限（秒）',
  wave: '波次',
  plan: '分配方式',
  at: '时间',
  paidAt: '付款时间',
  shipBy: '最晚发货',
  paidFen: '实付',
  refundFen: '退款金额',
  amountFen: '金额',
  where: '环节',
  locked: '锁定',
  actor: '操作人',
  status: '状态',
  orderStatus: '订单状态',
  trackingNo: '运单号',
  tracking: '运单号',
  sku: 'SKU',
  qty: '数量',
  lineId: '商品行',
  caseId: '售后单',
  attempt: '第几次',
  since: '开始时间',
  message: '说明',
  error: '错误',
  outcome: '结果',
  to: '改为',
  from: '原为',
  split: '拆单',
  packedParcel: '已打包包裹',
  choice: '选择',
  method: '方式',
  scan: '轨迹',
  location: '地点',
  by: '依据',
  costFen: '运费',
  weightG: '重量（克）',
  lengthMm: '长（毫米）',
  widthMm: '宽（毫米）',
  heightMm: '高（毫米）',
  // An order shipped from the platform's back office (workflows/order-workflow.ts)
  stoppedDuring: '停止时状态',
  releasedUnits: '释放库存（件）',
  alreadyWithCarrier: '已交快递的包裹',
};

/** Who did it: the workflows' own actors in the reader's language (people by their user id). */
export const actorZh: Readonly<Record<string, string>> = {
  system: '系统',
  platform: '平台',
  carrier: '快递',
  warehouse: '仓库',
  scheduler: '定时任务',
};

export function actorName(actor: string, language: 'zh' | 'en'): string {
  return (language === 'zh' ? actorZh[actor] : undefined) ?? actor;
}

/** Values of detail fields that are fixed English words of the workflows. */
const VALUE_ZH: Readonly<Record<string, string>> = {
  'before a waybill is issued': '出面单前',
  'before handover': '交接前',
  single: '单仓发货',
  split: '拆单发货',
  repack: '重新打包',
  ship: '按原包裹发出',
  wait: '等待整单发货',
  together: '整单发货',
  'first carrier scan': '快递首次扫描',
  // tracking statuses (a scan's `status`)
  pending: '待揽收',
  accepted: '已揽收',
  returning: '退回途中',
  rejected: '拒收',
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** The routing plan's English frame in Chinese (warehouse and province names kept). */
const REASON_ZH: ReadonlyArray<[RegExp, (...m: string[]) => string]> = [
  [
    /^(.+?) covers (.+?) at priority (\d+) and can ship all (\d+) SKU\(s\)/,
    (_, w, p, n, k) => `${w} 覆盖 ${p}（优先级 ${n}），能发全部 ${k} 个 SKU`,
  ],
  [
    /^(.+?) ships to (.+?) from outside its coverage and can ship all (\d+) SKU\(s\)/,
    (_, w, p, k) => `${w} 不覆盖 ${p} 但能发全部 ${k} 个 SKU`,
  ],
  [/; passed over /, () => '；跳过 '],
  // The carrier's choice (domain/carriers/select.ts)
  [
    /^(\S+): cheapest of (\d+) carriers? covering (.+?) for (.+?) \((.+)\)/,
    (_, c, n, to, kg, price) => `${c}：${n} 家可送达 ${to} 的快递中最便宜（${kg}，${price}）`,
  ],
  [
    /^(\S+): chosen by (.+?) for (.+?) to (.+?) \((.+)\)/,
    (_, c, by, kg, to, price) => `${c}：由 ${by} 指定（${kg} 到 ${to}，${price}）`,
  ],
  [
    /^(\S+): requested by (.+?) for (.+?) to (.+?) \((.+)\)/,
    (_, c, by, kg, to, price) => `${c}：${by} 要求（${kg} 到 ${to}，${price}）`,
  ],
  // Where a price comes from (domain/carriers/account-selection.ts), inside the choice's brackets
  [
    /, rate table of waybill account (.+?) \((.*?)\)/g,
    (_, name, rate) => `，面单账号“${name}”的运费模板（${rate}）`,
  ],
  [/, the shop’s contract rates by zone/g, () => '，本店按区域的合同价'],
  [
    /, registry list price \(an invented default, not a contract\)/g,
    () => '，系统默认价（示例价，非合同价）',
  ],
];

/** A carrier choice's or routing plan's reason (the API's English frame) in Chinese, names kept. */
export function reasonZh(text: string): string {
  return REASON_ZH.reduce((out, [pattern, words]) => out.replace(pattern, words), text);
}

/**
 * A detail value in Chinese: times in local time, amounts in fen as yuan, the workflows' fixed
 * words and codes by their names; anything else (people's words, ids) as written.
 */
export function detailValueZh(field: string, value: unknown, code: (v: string) => string): string {
  if (typeof value === 'number' && /Fen$/.test(field)) return `¥${(value / 100).toFixed(2)}`;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value !== 'string') return String(value);
  if (ISO_TIME.test(value)) {
    const at = new Date(value);
    if (!Number.isNaN(at.getTime())) return at.toLocaleString('zh-CN', { hour12: false });
  }
  if (VALUE_ZH[value]) return VALUE_ZH[value];
  if (/^[a-z][a-z0-9_]*$/.test(value)) return code(value);
  return reasonZh(value);
}
