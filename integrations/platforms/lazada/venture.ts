/**
 * Lazada's six ventures (§8.1 gateways): the shop's market gives its gateway, the country of its
 * buyers and the currency its amounts are in. A shop names its venture in `credentials.extra.venture`
 * (default `sg`); `extra.currency` overrides the currency, since the order list's currency field is
 * UNCONFIRMED (we read each item's `currency` when it is there).
 */
export const LAZADA_VENTURES = {
  sg: { gateway: 'https://api.lazada.sg/rest', country: 'SG', currency: 'SGD' },
  my: { gateway: 'https://api.lazada.com.my/rest', country: 'MY', currency: 'MYR' },
  th: { gateway: 'https://api.lazada.co.th/rest', country: 'TH', currency: 'THB' },
  vn: { gateway: 'https://api.lazada.vn/rest', country: 'VN', currency: 'VND' },
  ph: { gateway: 'https://api.lazada.com.ph/rest', country: 'PH', currency: 'PHP' },
  id: { gateway: 'https://api.lazada.co.id/rest', country: 'ID', currency: 'IDR' },
} as const;
export type LazadaVenture = keyof typeof LAZADA_VENTURES;

export function lazadaVenture(extra: Record<string, string> | undefined) {
  const key = (extra?.venture ?? 'sg').toLowerCase();
  const venture = key in LAZADA_VENTURES ? LAZADA_VENTURES[key as LazadaVenture] : LAZADA_VENTURES.sg;
  return { ...venture, currency: extra?.currency?.toUpperCase() || venture.currency };
}
