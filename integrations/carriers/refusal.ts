import type { WaybillRefusalKind } from '../../domain/carriers/refusal.js';

/**
 * Reads a waybill service's refusal into a kind. The codes Cainiao and SF use for these refusals are
 * not published in the sources we have (API-FACTS §9, §10 ❓), so the known codes are matched
 * first and the service's message (Chinese or English) after them; an authentication failure is an
 * expired or withdrawn authorisation whatever it says.
 */
export function classifyWaybillRefusal(refusal: {
  code: string | null;
  message: string;
  auth: boolean;
}): WaybillRefusalKind {
  const code = refusal.code ?? '';
  const text = `${code} ${refusal.message}`;
  if (refusal.auth || /session|授权|token/i.test(text)) return 'authorisation_expired';
  if (/BALANCE|余额|欠费|充值/i.test(text)) return 'no_balance';
  if (/NOT_REACHABLE|超区|服务范围|不可达|不派送|not served|out of (the )?service/i.test(text))
    return 'address_not_served';
  if (/SUBSCRIPTION|未订购|未开通|未绑定|not configured|no enabled|no waybill service|no sender/i.test(text))
    return 'account_not_configured';
  return 'rejected';
}
