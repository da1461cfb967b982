/**
 * Why an order is held, by the reason code the audit, the rules and the order workflow give it
 * (the review queue and order pages say it by these words). No imports: the tests load it directly
 * (tests/ui/waiting.test.ts fails when a reason the system raises has no Chinese).
 */
export const holdReasons: Readonly<Record<'zh' | 'en', Readonly<Record<string, string>>>> = {
  zh: {
    blacklisted: '黑名单买家',
    address_invalid: '地址无法识别',
    buyer_remark: '买家留言需处理',
    seller_memo: '卖家备注需处理',
    custom_made: '定制商品',
    large_amount: '大额订单',
    payment_mismatch: '实付与应付不符',
    unmapped_sku: '商品未匹配 SKU',
    no_exchange_rate: '缺少汇率',
    short_after_partial_shipment: '部分发货后缺货',
    refund_in_packed_parcel: '已打包的包裹里有商品申请退款',
    address_unreachable: '地址不在快递派送范围',
    audit_rule_failed: '审核规则执行出错',
  },
  en: {
    blacklisted: 'blacklisted buyer',
    address_invalid: 'address not recognised',
    buyer_remark: 'buyer remark',
    seller_memo: 'seller memo',
    custom_made: 'custom made',
    large_amount: 'large amount',
    payment_mismatch: 'paid ≠ due',
    unmapped_sku: 'unmapped SKU',
    no_exchange_rate: 'no exchange rate',
    short_after_partial_shipment: 'short after partial shipment',
    refund_in_packed_parcel: 'refund asked for a line in a packed parcel',
    address_unreachable: 'address out of carriers’ reach',
    audit_rule_failed: 'audit rule failed',
  },
};
