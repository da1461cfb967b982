import { z } from 'zod';
import type { AfterSalesApi, PlatformCase } from '../after-sales-types.js';
import { PlatformError } from '../errors.js';
import { isRecord } from '../taobao/json.js';
import type { AdapterContext } from '../types.js';
import { caseStatusOf, rejectedWrite } from '../after-sales-writes.js';
import { assertJdSuccess, JdClient } from './client.js';
import { normalizeJdRefundApply } from './normalize.js';
import { JdRefundApplySchema, type JdRefundApply } from './wire.js';
import { createJdServiceOrders, isJdServiceCaseId, jdServiceOptionsOf } from './service-orders.js';

/**
 * JD refund applies (退款审核单, a cancellation before shipment) as after-sales cases
 * (AFTER-SALES-FACTS §1.2, API-FACTS §3.2 (d)). JD has no push we can build on, so cases come from
 * the poll (`jingdong.pop.afs.soa.refundapply.queryPageList`, `listRefunds`); one case is read with
 * the same call filtered by `ids` (a documented parameter; whether JD then needs no time range is
 * ❓), and audited with `jingdong.pop.afs.soa.refundapply.replyRefund(status, id, checkUserName,
 * remark)`. The apply covers the whole order and carries no amount to agree: JD refunds what the
 * buyer asked, so a partial agreement is not offered. The reply's status values and its answer's
 * envelope are not in the facts (❓): `agreeStatus`/`refuseStatus` are options, and the answer is
 * read wherever it carries JOS's `success` flag. Service orders after shipment (`jingdong.asc.*`,
 * case ids `asc-{serviceId}`) are read and answered through `service-orders.ts`.
 */
export interface JdAfterSalesOptions {
  /** `replyRefund` status that approves the apply (❓ default 1, the list's 审核通过). */
  agreeStatus?: string;
  /** `replyRefund` status that turns it down (❓ default 2, the list's 审核不通过). */
  refuseStatus?: string;
  /** `checkUserName` sent with every reply (the seller's operator name shown on JD). */
  checkUserName?: string;
}

const STATUS_WORD: Record<string, string> = {
  '0': '未审核',
  '1': '审核通过',
  '2': '审核不通过',
  '3': '京东财务审核通过',
  '4': '京东财务审核不通过',
  '5': '人工审核通过',
  '6': '拦截并退款',
  '7': '青龙拦截成功',
  '8': '青龙拦截失败',
  '9': '强制关单并退款',
};

/** 退款审核单 → case: the same reading as the poll's (`normalizeJdRefundApply`, API-FACTS §3.2 (d)). */
export function jdRefundApplyToCase(apply: JdRefundApply): PlatformCase {
  const info = normalizeJdRefundApply(apply);
  return {
    platformCaseId: info.platformRefundId,
    platformOrderId: info.platformOrderId,
    kind: 'refund_only',
    status: caseStatusOf(info.status),
    platformStatus: `${apply.status} ${STATUS_WORD[apply.status] ?? ''}`.trim(),
    amountFen: info.amountMinor,
    reason: info.reason ?? '',
    // An apply cancels the order: every line.
    lineIds: [],
    shipped: false,
    createdAt: info.createdAt,
    modifiedAt: info.modifiedAt,
  };
}

/** The first object in a JOS envelope that reports `success` (the wrapper key is ❓ per call). */
function resultOf(envelope: Record<string, unknown>): Record<string, unknown> {
  if ('success' in envelope) return envelope;
  const inner = Object.values(envelope).find((v) => isRecord(v) && 'success' in v);
  return isRecord(inner) ? inner : envelope;
}

export function createJdAfterSales(ctx: AdapterContext, options: JdAfterSalesOptions = {}): AfterSalesApi {
  const client = new JdClient(ctx);
  const services = createJdServiceOrders(client, jdServiceOptionsOf(ctx.credentials.extra));
  const reply = async (current: PlatformCase, status: string, remark: string) => {
    const envelope = await client.call('jingdong.pop.afs.soa.refundapply.replyRefund', {
      status,
      id: current.platformCaseId,
      checkUserName: options.checkUserName ?? 'erp',
      remark,
    });
    assertJdSuccess('jingdong.pop.afs.soa.refundapply.replyRefund', resultOf(envelope));
    return { outcome: 'done' } as const;
  };

  return {
    platform: 'jd',

    async getCase(ref) {
      if (isJdServiceCaseId(ref.platformCaseId)) return services.get(ref.platformCaseId, ref.platformOrderId);
      const envelope = await client.call('jingdong.pop.afs.soa.refundapply.queryPageList', {
        ids: ref.platformCaseId,
        pageIndex: 1,
        pageSize: 1,
      });
      const result = envelope['queryResult'];
      assertJdSuccess('jingdong.pop.afs.soa.refundapply.queryPageList', result);
      const rows = z.array(JdRefundApplySchema).parse(isRecord(result) ? (result['result'] ?? []) : []);
      const apply = rows.find((row) => row.id === ref.platformCaseId);
      if (!apply) throw new PlatformError(`jd: refund apply ${ref.platformCaseId} not found`, 'jd');
      return jdRefundApplyToCase(apply);
    },

    async agree(current, amountFen) {
      if (isJdServiceCaseId(current.platformCaseId)) {
        if (current.kind !== 'return_refund' || amountFen !== current.amountFen) {
          return {
            outcome: 'not_offered',
            message: `jd service orders: only a whole return (${current.amountFen} fen) is agreed through the API; agree this in the back office`,
          };
        }
        return rejectedWrite(() => services.agreeReturn(current));
      }
      if (amountFen !== current.amountFen) {
        return {
          outcome: 'not_offered',
          message: `jd refund applies are agreed whole (${current.amountFen} fen): agree a part in the back office`,
        };
      }
      return rejectedWrite(() => reply(current, options.agreeStatus ?? '1', '同意退款'));
    },

    async returnReceived(current, goods) {
      if (!isJdServiceCaseId(current.platformCaseId) || current.kind !== 'return_refund') {
        return { outcome: 'not_offered', message: 'jd: only a service order’s return is registered back' };
      }
      return rejectedWrite(() => services.registerReceipt(current, goods.units));
    },

    async refuse(current, reason) {
      if (isJdServiceCaseId(current.platformCaseId))
        return rejectedWrite(() => services.refuse(current, reason));
      return rejectedWrite(() => reply(current, options.refuseStatus ?? '2', reason.slice(0, 200)));
    },
  };
}
