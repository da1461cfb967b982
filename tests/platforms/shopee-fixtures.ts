import { signShopeeShopRequest } from '../../integrations/platforms/shopee/index.js';
import type { SimOrder } from '../../sandbox/orders/model.js';

/** The common query of a shop call, signed by the test itself (simulators check it on their own). */
export function signedShopeeQuery(input: {
  partner: { partnerId: string; partnerKey: string };
  accessToken: string;
  shopId: string;
  path: string;
  /** A sign to send instead of the right one. */
  sign?: string;
}): URLSearchParams {
  const timestamp = Math.floor(Date.now() / 1000);
  return new URLSearchParams({
    partner_id: input.partner.partnerId,
    timestamp: String(timestamp),
    access_token: input.accessToken,
    shop_id: input.shopId,
    sign:
      input.sign ??
      signShopeeShopRequest({
        partnerId: input.partner.partnerId,
        partnerKey: input.partner.partnerKey,
        path: input.path,
        timestamp,
        accessToken: input.accessToken,
        shopId: input.shopId,
      }),
  });
}

/** A paid Shopee order as the simulator holds it (SGD, one line of two units, a buyer remark). */
export const SHOPEE_T0 = Date.parse('2026-03-01T02:00:00Z');

let seq = 0;
export function shopeeSimOrder(shopKey: string, overrides: Partial<SimOrder> = {}, prefix = 'SP'): SimOrder {
  seq += 1;
  const T0 = SHOPEE_T0;
  return {
    id: `260301${prefix}${String(seq).padStart(6, '0')}`,
    shopKey,
    status: 'paid',
    type: 'normal',
    createdAt: new Date(T0),
    paidAt: new Date(T0 + 30_000),
    modifiedAt: new Date(T0 + 60_000),
    currency: 'SGD',
    items: [
      {
        lineId: '23620853561',
        platformSkuId: '221404189791',
        skuCode: 'QAZ-SADOER-05',
        title: 'Sunscreen',
        spec: '60g',
        quantity: 2,
        unitPriceMinor: 1_999,
        discountMinor: 400,
      },
    ],
    shippingMinor: 250,
    discountMinor: 0,
    paidMinor: 3_848,
    buyer: { id: '1170319091', nick: 'xt4fdsf96j' },
    receiver: {
      name: 'Tan Wei',
      phone: '6591234589',
      country: 'SG',
      province: '',
      city: 'Singapore',
      district: '',
      detail: '1 Fusionopolis Way',
      postalCode: '138632',
    },
    buyerRemark: 'leave at door',
    ...overrides,
  };
}
