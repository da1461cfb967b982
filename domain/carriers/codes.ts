import { z } from 'zod';

/**
 * Our own carrier codes. Every adapter (platform ship-confirm, waybill services, tracking
 * aggregators) maps these to its own codes; nothing else in the system uses a foreign code.
 */
export const CARRIER_CODES = [
  'SF', // 顺丰速运
  'ZTO', // 中通快递
  'YTO', // 圆通速递
  'STO', // 申通快递
  'YUNDA', // 韵达快递
  'JD', // 京东物流
  'EMS', // EMS
  'POSTB', // 邮政快递包裹
  'JTSD', // 极兔速递 J&T
  'DBKD', // 德邦快递
  'HTKY', // 百世快递
  'ZJS', // 宅急送
  'UC', // 优速快递
  'HHTT', // 天天快递
  'DANNIAO', // 丹鸟 (Cainiao network)
  'SNWL', // 苏宁物流
  'ZYKD', // 众邮快递
  'ANE', // 安能物流
  'FWX', // 丰网速运
  'SXJD', // 顺心捷达
  'KYE', // 跨越速运
  'ZTOKY', // 中通快运
  'SFKY', // 顺丰快运
  'YDKY', // 韵达快运
  'BSKY', // 百世快运
  'JDKY', // 京东快运
  'DBL', // 德邦物流 (freight)
  'SHANSONG', // 闪送
  'DHL',
  'FEDEX',
  'UPS',
  'USPS',
] as const;

export const CarrierCodeSchema = z.enum(CARRIER_CODES);
export type CarrierCode = z.infer<typeof CarrierCodeSchema>;
