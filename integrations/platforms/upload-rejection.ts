import type { UploadRejectionKind } from '../../domain/upload-rejection.js';

/**
 * Reads a platform's refusal of a ship confirmation into a kind. Platforms word these refusals in
 * their own codes and messages (TOP sub_codes, Douyin `isv.business-failed:*`, Shopee `logistics.*`,
 * PDD error_msg), few of them published (API-FACTS ❓), so the code is matched first and the
 * message (Chinese or English) after it.
 */
export function classifyUploadRejection(rejection: {
  code: string | null;
  message: string;
}): UploadRejectionKind {
  const text = `${rejection.code ?? ''} ${rejection.message}`;
  if (/partial|split|部分发货|拆单|拆包/i.test(text)) return 'partial_shipment_not_allowed';
  if (/company_code|company|carrier|logistics_id|物流公司|快递公司/i.test(text))
    return 'unknown_carrier_code';
  if (/decrypt|解密|withheld|privacy|隐私/i.test(text)) return 'decryption_withheld';
  if (/refund|退款|售后/i.test(text)) return 'order_refunded';
  if (/closed|cancel|status|关闭|取消|状态|不允许发货|TRADE_CLOSED|order_status/i.test(text))
    return 'order_closed';
  return 'rejected';
}
