import { buildAuditSubject, type AuditContext, type AuditSubject } from '../../domain/audit/subject.js';
import type { NormalizedOrder } from '../../domain/order.js';

export const NOW = '2026-03-10T10:00:00.000Z';

/** A paid Taobao order to 杭州 with no remarks; override any field. */
export function auditOrder(overrides: Partial<NormalizedOrder> = {}): NormalizedOrder {
  return {
    platform: 'taobao',
    shopId: 'shop-hz-1',
    platformOrderId: '3912345678901234567',
    status: 'paid',
    refundStatus: 'none',
    type: 'normal',
    createdAt: '2026-03-10T09:50:00.000Z',
    paidAt: '2026-03-10T09:55:00.000Z',
    modifiedAt: '2026-03-10T09:55:00.000Z',
    currency: 'CNY',
    amounts: { goodsFen: 19_800, discountFen: 2_000, shippingFen: 0, paidFen: 17_800 },
    buyer: { id: 'buyer-1', nick: 't**1' },
    receiver: {
      name: '张三',
      phone: '13800001234',
      country: 'CN',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '文三路100号',
      protected: false,
    },
    lines: [
      {
        lineId: '1',
        platformSkuId: '5012345678901',
        skuCode: 'TEE-RED-M',
        title: '纯棉T恤',
        quantity: 2,
        unitPriceFen: 9_900,
        discountFen: 2_000,
      },
    ],
    ...overrides,
  };
}

export function subject(
  overrides: Partial<NormalizedOrder> = {},
  context: Partial<AuditContext> = {},
): AuditSubject {
  return buildAuditSubject(auditOrder(overrides), { skuFlags: {}, blacklistHits: [], now: NOW, ...context });
}
