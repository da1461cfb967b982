import { CARRIER_CODES, type CarrierCode } from './codes.js';

/**
 * Every carrier's name, in Chinese (as platforms, waybills and labels print it) and English. Kept
 * apart from the registry's coverage, limits and prices (registry.ts) because workflows need the
 * names only (an after-sales case tells a platform which company carries the replacement), and
 * every workflow the worker starts loads the modules it imports again.
 */
export const CARRIER_NAMES: Readonly<Record<CarrierCode, { zh: string; en: string }>> = {
  SF: { zh: '顺丰速运', en: 'SF Express' },
  ZTO: { zh: '中通快递', en: 'ZTO Express' },
  YTO: { zh: '圆通速递', en: 'YTO Express' },
  STO: { zh: '申通快递', en: 'STO Express' },
  YUNDA: { zh: '韵达快递', en: 'Yunda Express' },
  JD: { zh: '京东物流', en: 'JD Logistics' },
  EMS: { zh: 'EMS', en: 'China Post EMS' },
  POSTB: { zh: '邮政快递包裹', en: 'China Post parcel' },
  JTSD: { zh: '极兔速递', en: 'J&T Express' },
  DBKD: { zh: '德邦快递', en: 'Deppon Express' },
  HTKY: { zh: '百世快递', en: 'Best Express' },
  ZJS: { zh: '宅急送', en: 'ZJS Express' },
  UC: { zh: '优速快递', en: 'UC Express' },
  HHTT: { zh: '天天快递', en: 'TTK Express' },
  DANNIAO: { zh: '丹鸟', en: 'Danniao (Cainiao network)' },
  SNWL: { zh: '苏宁物流', en: 'Suning Logistics' },
  ZYKD: { zh: '众邮快递', en: 'Zhongyou Express' },
  ANE: { zh: '安能物流', en: 'ANE Logistics' },
  FWX: { zh: '丰网速运', en: 'Fengwang Express' },
  SXJD: { zh: '顺心捷达', en: 'Shunxin Jieda' },
  KYE: { zh: '跨越速运', en: 'KYE Express' },
  ZTOKY: { zh: '中通快运', en: 'ZTO Freight' },
  SFKY: { zh: '顺丰快运', en: 'SF Freight' },
  YDKY: { zh: '韵达快运', en: 'Yunda Freight' },
  BSKY: { zh: '百世快运', en: 'Best Freight' },
  JDKY: { zh: '京东快运', en: 'JD Freight' },
  DBL: { zh: '德邦物流', en: 'Deppon Freight' },
  SHANSONG: { zh: '闪送', en: 'iSS Shansong' },
  DHL: { zh: 'DHL国际快递', en: 'DHL Express' },
  FEDEX: { zh: '联邦快递', en: 'FedEx' },
  UPS: { zh: 'UPS国际快递', en: 'UPS' },
  USPS: { zh: '美国邮政', en: 'USPS' },
};

/**
 * The carrier a platform names by its Chinese name (a buyer's return waybill: "中通快递", "顺丰"):
 * the exact name, else the carrier whose name starts with the same two characters.
 */
export function carrierByName(name: string): CarrierCode | undefined {
  const wanted = name.trim();
  if (!wanted) return undefined;
  return (
    CARRIER_CODES.find((code) => CARRIER_NAMES[code].zh === wanted) ??
    CARRIER_CODES.find((code) => wanted.length >= 2 && CARRIER_NAMES[code].zh.startsWith(wanted.slice(0, 2)))
  );
}
