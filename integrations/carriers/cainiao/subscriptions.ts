import { topCall, type CainiaoOptions } from './client.js';

/**
 * `cainiao.waybill.ii.search`: the carriers the seller's session subscribed (开通) for electronic
 * waybills, each with its branches (网点), the waybills left there (`quantity`) and the shipping
 * addresses bound to it. It is the call that proves a session works and that a branch exists before
 * an account is saved, and the balance the account shows. Field names after TOP's published
 * response (`waybill_apply_subscription_cols` → `branch_account_cols`); API-FACTS §10 lists this
 * call as the source of cp_codes but not its fields (⚠️, see docs/waybill-accounts.md).
 */
export interface CainiaoBranch {
  branchCode: string;
  branchName: string;
  /** Waybills the branch still allows the seller (可用面单余额). */
  quantity: number;
  allocatedQuantity: number;
  cancelQuantity: number;
}

export interface CainiaoSubscription {
  cpCode: string;
  /** 1 direct (直营), 2 franchised (加盟) — as Cainiao reports it. */
  cpType?: number;
  branches: CainiaoBranch[];
}

interface BranchBody {
  branch_code?: string;
  branch_name?: string;
  quantity?: number | string;
  allocated_quantity?: number | string;
  cancel_quantity?: number | string;
}

interface SubscriptionBody {
  cp_code?: string;
  cp_type?: number | string;
  branch_account_cols?: BranchBody[] | { waybill_branch_account?: BranchBody[] };
}

interface SearchResponse {
  waybill_apply_subscription_cols?:
    SubscriptionBody[] | { waybill_apply_subscription_info?: SubscriptionBody[] };
}

/** TOP's non-simplified JSON wraps each list in an object named after its element type. */
function list<T>(value: T[] | Record<string, T[] | undefined> | undefined): T[] {
  if (!value) return [];
  if (Array.isArray(value)) return value;
  return Object.values(value).find(Array.isArray) ?? [];
}

const count = (value: number | string | undefined) => Number(value ?? 0) || 0;

export async function searchCainiaoSubscriptions(
  options: CainiaoOptions,
  cpCode?: string,
): Promise<CainiaoSubscription[]> {
  const response = await topCall<SearchResponse>(
    options,
    'cainiao.waybill.ii.search',
    cpCode ? { cp_code: cpCode } : {},
  );
  return list(response.waybill_apply_subscription_cols).map((sub) => ({
    cpCode: String(sub.cp_code ?? ''),
    ...(sub.cp_type !== undefined ? { cpType: Number(sub.cp_type) } : {}),
    branches: list(sub.branch_account_cols).map((b) => ({
      branchCode: String(b.branch_code ?? ''),
      branchName: String(b.branch_name ?? ''),
      quantity: count(b.quantity),
      allocatedQuantity: count(b.allocated_quantity),
      cancelQuantity: count(b.cancel_quantity),
    })),
  }));
}
