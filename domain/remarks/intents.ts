import { z } from 'zod';
import type { CarrierCode } from '../carriers/codes.js';

/**
 * What buyers ask for in remarks, and the Chinese instruction an operator or packer reads.
 * "Benign" intents are handled by printing the instruction on the pick list or waybill; the
 * others need a person (finance for invoices, customer service for address changes, custom work,
 * carrier choices that cost extra, freebies).
 */
export const REMARK_INTENTS = [
  'urgent',
  'no_rush',
  'gift',
  'gift_wrap',
  'no_price_slip',
  'invoice',
  'no_invoice',
  'carrier',
  'call_before_delivery',
  'no_call',
  'leave_at_door',
  'leave_with_guard',
  'parcel_locker',
  'weekend_delivery',
  'workday_delivery',
  'change_address',
  'custom_made',
  'freebie',
  'fragile_care',
] as const;
export const RemarkIntentSchema = z.enum(REMARK_INTENTS);
export type RemarkIntent = z.infer<typeof RemarkIntentSchema>;

export interface IntentInfo {
  instruction: string;
  benign: boolean;
}

export const INTENT_INFO: Record<RemarkIntent, IntentInfo> = {
  urgent: { instruction: '加急', benign: true },
  no_rush: { instruction: '不急，正常发货', benign: true },
  gift: { instruction: '送礼订单，勿放价格单', benign: true },
  gift_wrap: { instruction: '礼品包装', benign: true },
  no_price_slip: { instruction: '不放价格单/发货单', benign: true },
  invoice: { instruction: '需要发票', benign: false },
  no_invoice: { instruction: '不需要发票', benign: true },
  carrier: { instruction: '指定快递', benign: false },
  call_before_delivery: { instruction: '送货前电话联系', benign: true },
  no_call: { instruction: '勿电话联系', benign: true },
  leave_at_door: { instruction: '放门口', benign: true },
  leave_with_guard: { instruction: '放门卫/物业/前台', benign: true },
  parcel_locker: { instruction: '放快递柜/驿站', benign: true },
  weekend_delivery: { instruction: '周末送货', benign: true },
  workday_delivery: { instruction: '工作日送货', benign: true },
  change_address: { instruction: '买家要求改地址，联系买家确认', benign: false },
  custom_made: { instruction: '定制/刻字，按备注内容制作并核对', benign: false },
  freebie: { instruction: '买家要赠品，客服确认', benign: false },
  fragile_care: { instruction: '加固包装，小心轻放', benign: true },
};

export const CARRIER_NAMES_ZH: Partial<Record<CarrierCode, string>> = {
  SF: '顺丰',
  ZTO: '中通',
  YTO: '圆通',
  STO: '申通',
  YUNDA: '韵达',
  JD: '京东',
  EMS: 'EMS',
  POSTB: '邮政',
  JTSD: '极兔',
  DBKD: '德邦',
  DHL: 'DHL',
  FEDEX: 'FedEx',
  UPS: 'UPS',
  USPS: 'USPS',
};

export function instructionFor(intent: RemarkIntent, carrier?: CarrierCode): string {
  if (intent === 'carrier' && carrier) return `指定快递：${CARRIER_NAMES_ZH[carrier] ?? carrier}`;
  return INTENT_INFO[intent].instruction;
}
