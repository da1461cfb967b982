import { codesOf } from './codes.js';

/**
 * The branches (网点) a seller's Cainiao session subscribed, per carrier, with the waybills each
 * still allows: what `cainiao.waybill.ii.search` reports and what `cainiao.waybill.ii.get` draws
 * on. A session nobody set branches up for is unmetered: it may issue for every carrier and its
 * search shows one `SANDBOX` branch per carrier with a large balance that never runs out (the demo
 * and tests that do not care about balances). Opening a branch meters the session.
 */
export interface SimBranch {
  code: string;
  name: string;
  quantity: number;
  allocated: number;
  cancelled: number;
}

export type BranchDraw =
  { ok: true; branch: SimBranch | null } | { ok: false; kind: 'no_balance' | 'account_not_configured' };

const UNMETERED_QUANTITY = 100_000;

export class CainiaoBranches {
  private readonly bySession = new Map<string, Map<string, SimBranch[]>>();

  /** Subscribes `cpCode` at a branch of the session (or resets that branch's balance). */
  open(session: string, cpCode: string, branch: { code: string; name: string; quantity: number }): void {
    const carriers = this.bySession.get(session) ?? new Map<string, SimBranch[]>();
    this.bySession.set(session, carriers);
    const branches = carriers.get(cpCode) ?? [];
    carriers.set(cpCode, branches);
    const existing = branches.find((b) => b.code === branch.code);
    if (existing) Object.assign(existing, { name: branch.name, quantity: branch.quantity });
    else branches.push({ ...branch, allocated: 0, cancelled: 0 });
  }

  /** Tops up (or drains, with a negative number) a branch's waybills. */
  topUp(session: string, cpCode: string, branchCode: string, quantity: number): void {
    const branch = this.bySession
      .get(session)
      ?.get(cpCode)
      ?.find((b) => b.code === branchCode);
    if (!branch) throw new Error(`no branch ${branchCode} for ${cpCode} on that session`);
    branch.quantity = Math.max(0, branch.quantity + quantity);
  }

  quantity(session: string, cpCode: string, branchCode: string): number | undefined {
    return this.bySession
      .get(session)
      ?.get(cpCode)
      ?.find((b) => b.code === branchCode)?.quantity;
  }

  /** What search reports for the session, optionally for one carrier. */
  subscriptions(session: string, cpCode?: string): Array<{ cpCode: string; branches: SimBranch[] }> {
    const carriers = this.bySession.get(session);
    if (!carriers) {
      return codesOf('cainiao')
        .filter((cp) => !cpCode || cp === cpCode)
        .map((cp) => ({
          cpCode: cp,
          branches: [
            { code: 'SANDBOX', name: '沙箱网点', quantity: UNMETERED_QUANTITY, allocated: 0, cancelled: 0 },
          ],
        }));
    }
    return [...carriers]
      .filter(([cp]) => !cpCode || cp === cpCode)
      .map(([cp, branches]) => ({ cpCode: cp, branches }));
  }

  /** Takes one waybill from the named branch, else the first with waybills left. */
  draw(session: string, cpCode: string, branchCode: string | undefined): BranchDraw {
    const carriers = this.bySession.get(session);
    if (!carriers) return { ok: true, branch: null };
    const branches = carriers.get(cpCode) ?? [];
    const candidates = branchCode ? branches.filter((b) => b.code === branchCode) : branches;
    if (candidates.length === 0) return { ok: false, kind: 'account_not_configured' };
    const branch = candidates.find((b) => b.quantity > 0);
    if (!branch) return { ok: false, kind: 'no_balance' };
    branch.quantity -= 1;
    branch.allocated += 1;
    return { ok: true, branch };
  }

  /** A cancelled waybill goes back to its branch. */
  giveBack(session: string, cpCode: string, branchCode: string): void {
    const branch = this.bySession
      .get(session)
      ?.get(cpCode)
      ?.find((b) => b.code === branchCode);
    if (!branch) return;
    branch.quantity += 1;
    branch.cancelled += 1;
  }
}
