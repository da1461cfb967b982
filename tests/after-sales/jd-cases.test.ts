import { jdCaseSimulator } from '../support/jd-sim.js';
import { describePlatformCases } from '../support/market-cases.js';

// JD refund applies (退款审核单) on the real dev server and the simulated JOS gateway: JD pushes
// nothing we can use, so the poll captures them; an apply covers the whole order; the seller
// audits it with jingdong.pop.afs.soa.refundapply.replyRefund (agree 1, refuse 2).

describePlatformCases('JD', jdCaseSimulator());
