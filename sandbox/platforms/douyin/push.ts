import { randomUUID } from 'node:crypto';
import { stringify } from 'lossless-json';
import type { SimOrder } from '../../orders/model.js';
import { douyinStatus, jsonId } from './render.js';
import { douyinPushSign } from './verify.js';

/**
 * Trade tags: 100 TradeCreate, 103 TradeSuccess, 106 TradeCanceled, 108 TradePartlySellerShip,
 * 109 TradeAmountChanged, 110 TradePaid, 111 TradeAddressChangeApplied, 113 TradeMemoModify.
 * After-sale tags: 200 RefundCreated, 201 ReturnAgreed, 202 ReturnApplyAgreed, 203 BuyerReturnGoods,
 * 204 RefundRefused, 205 ReturnApplyRefused, 206 RefundSuccess, 207 RefundClosed, 208 RefundModified,
 * 211 ExchangeConfirmed.
 */
export type DouyinPushTag =
  100 | 103 | 106 | 108 | 109 | 110 | 111 | 113 | 200 | 201 | 202 | 203 | 204 | 205 | 206 | 207 | 208 | 211;

/**
 * A signed Douyin push for one order event: the exact body string and the headers Douyin sends
 * (`app-id`, `event-sign`). `data` is a JSON string whose `p_id` is a bare 19-digit number. An
 * after-sale tag names the order's refund, or its exchange (`about`), as the facts' RefundCreated
 * sample does (`aftersale_type` 3, or 7 for a 补寄 kept as the order's `exchange`).
 */
export function renderDouyinPush(
  app: { appKey: string; appSecret: string },
  order: SimOrder,
  tag: DouyinPushTag,
  about: 'refund' | 'exchange' = 'refund',
): { headers: Record<string, string>; body: string } {
  const sec = (d: Date) => Math.floor(d.getTime() / 1000);
  const exchange = about === 'exchange' ? order.exchange : undefined;
  const data =
    tag >= 200 && exchange
      ? {
          p_id: jsonId(order.id),
          s_id: jsonId(exchange.lineId),
          shop_id: jsonId(order.shopKey),
          aftersale_id: exchange.id,
          aftersale_status: exchange.status,
          aftersale_type: exchange.type ?? 3,
          refund_amount: 0,
          refund_post_amount: 0,
          apply_time: sec(exchange.createdAt),
          update_time: sec(exchange.modifiedAt),
        }
      : tag >= 200
        ? {
            p_id: jsonId(order.id),
            s_id: jsonId(order.items[0]?.lineId ?? order.id),
            shop_id: jsonId(order.shopKey),
            aftersale_id: order.refund?.id ?? '',
            aftersale_status: 6,
            aftersale_type: order.refund?.kind === 'return_and_refund' ? 0 : 1,
            refund_amount: order.refund?.amountMinor ?? 0,
            refund_post_amount: 0,
            apply_time: sec(order.refund?.createdAt ?? order.modifiedAt),
            update_time: sec(order.refund?.modifiedAt ?? order.modifiedAt),
          }
        : {
            p_id: jsonId(order.id),
            s_ids: order.items.map((i) => jsonId(i.lineId)),
            shop_id: jsonId(order.shopKey),
            order_status: douyinStatus(order).order_status,
            order_type: 0,
            biz: 2,
            update_time: sec(order.modifiedAt),
          };
  const body = stringify([{ tag: String(tag), msg_id: randomUUID(), data: stringify(data) }]) ?? '[]';
  return {
    headers: {
      'content-type': 'application/json',
      'app-id': app.appKey,
      'event-sign': douyinPushSign(app.appKey, app.appSecret, body),
    },
    body,
  };
}
