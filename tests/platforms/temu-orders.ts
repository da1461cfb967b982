import type { SimOrder } from '../../sandbox/orders/model.js';

/**
 * A Temu order as the simulator holds it: order `PO-211-<n>` in `mall`, two lines (two soap bars
 * and a mug) paid in USD by a buyer in New York, `country` as the test's Temu answer spells it.
 */
export function temuSimOrder(input: {
  mall: string;
  n: string;
  paidAt: Date;
  modifiedAt: Date;
  country: string;
}): SimOrder {
  const { n } = input;
  return {
    id: `PO-211-${n}`,
    shopKey: input.mall,
    status: 'paid',
    type: 'normal',
    createdAt: input.paidAt,
    paidAt: input.paidAt,
    modifiedAt: input.modifiedAt,
    currency: 'USD',
    items: [
      {
        lineId: `211-${n}1`,
        platformSkuId: '4412019',
        skuCode: 'SKU-001-RED-M',
        title: 'Soap bar',
        spec: 'Rose',
        quantity: 2,
        unitPriceMinor: 599,
        discountMinor: 0,
      },
      {
        lineId: `211-${n}2`,
        platformSkuId: '4412020',
        skuCode: 'MUG-BLUE-350',
        title: 'Mug',
        spec: '',
        quantity: 1,
        unitPriceMinor: 899,
        discountMinor: 0,
      },
    ],
    shippingMinor: 0,
    discountMinor: 0,
    paidMinor: 2 * 599 + 899,
    buyer: { id: 'temu-buyer', nick: 'buyer' },
    receiver: {
      name: 'Jane Doe',
      phone: '+1 212 555 0100',
      country: input.country,
      province: 'NY',
      city: 'New York',
      district: 'Manhattan',
      detail: '350 5th Ave',
      postalCode: '10118',
    },
  };
}
