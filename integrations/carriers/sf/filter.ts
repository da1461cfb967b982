import type { ServiceCoverage } from '../../../domain/carriers/reachability.js';
import type { CoverageQuery } from '../types.js';
import { sfCall, type SfOptions } from './client.js';

interface FilterResult {
  orderId?: string;
  /** 1 人工确认, 2 可收派, 3 不可收派 (API-FACTS §9, meanings ❓). */
  filterResult?: number | string;
  originCode?: string;
  destCode?: string;
  remark?: string;
}

/** SF's remark codes on a screening that failed (❓: the simulator's and common SF doc mirrors'). */
const REMARKS: Record<string, string> = {
  '1': '收方超范围',
  '2': '派方超范围',
  '3': '其他原因',
};

/**
 * SF 订单筛选 (`EXP_RECE_FILTER_ORDER_BSP`, API-FACTS §9 names the service): whether SF picks up
 * and delivers for an address before anything is ordered. The request reuses the create-order
 * contact shape (`contactInfos[{contactType 2 = receiver, province, city, county, address}]`) with
 * `filterType` 1 (automatic screening); the answer's `filterResult` is read as 2 deliverable,
 * 3 not deliverable, 1 needs SF's manual confirmation (meanings ❓ per API-FACTS). Anything but
 * a clear 3 leaves the decision to the registry: a screening we cannot read never holds an order.
 */
export async function sfCoverage(options: SfOptions, query: CoverageQuery): Promise<ServiceCoverage> {
  const to = query.destination;
  const inner = await sfCall<FilterResult>(options, 'EXP_RECE_FILTER_ORDER_BSP', {
    filterType: 1,
    orderId: query.reference,
    contactInfos: [
      {
        contactType: 2,
        country: to.country,
        province: to.province,
        city: to.city,
        county: to.district,
        address: to.detail ?? `${to.district}`,
      },
      ...(query.origin
        ? [{ contactType: 1, province: query.origin.province, city: query.origin.city ?? '', address: '' }]
        : []),
    ],
  });
  if (!inner.success || !inner.msgData)
    return {
      serves: 'unknown',
      reason: `SF 筛单失败: ${inner.errorCode ?? ''} ${inner.errorMsg ?? ''}`.trim(),
    };
  const result = Number(inner.msgData.filterResult);
  if (result === 2) return { serves: true };
  const remark = inner.msgData.remark ?? '';
  if (result === 3)
    return { serves: false, reason: `SF 筛单: 不可收派${remark ? `（${REMARKS[remark] ?? remark}）` : ''}` };
  return {
    serves: 'unknown',
    reason: `SF 筛单: 需人工确认 (filterResult ${inner.msgData.filterResult ?? '?'})`,
  };
}
