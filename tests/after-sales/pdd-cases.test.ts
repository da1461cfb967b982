import { describePlatformCases } from '../support/market-cases.js';
import { pddCases } from '../support/pdd-cases.js';

// PDD after-sales on the real dev server and the simulated PDD gateway: captured by the poll
// (pdd.refund.list.increment.get) and by PMC pdd_refund_* messages, read with
// pdd.refund.information.get, agreed with pdd.refund.agree; PDD has no refusal API, so a refusal
// before shipment is answered by shipping.

describePlatformCases('PDD', pddCases());
