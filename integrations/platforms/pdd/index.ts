export { createPddAdapter, PDD_LIMITS, type PddAdapter, type PddAdapterOptions } from './adapter.js';
export { PDD_LOGISTICS_IDS } from './carriers.js';
export { normalizePddOrder, normalizePddRefund } from './normalize.js';
export { pddSign, pddWssPath, pddWssUrl, PDD_MESSAGE_ENDPOINT } from './sign.js';
export { parsePmcFrame, pmcAckFrame, type PmcFrameResult } from './webhook.js';
