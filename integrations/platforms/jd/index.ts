export { createJdAdapter, JD_LIMITS, type JdAdapterOptions } from './adapter.js';
export { JD_LOGI_COPR_IDS } from './carriers.js';
export { normalizeJdOrder, normalizeJdRefundApply } from './normalize.js';
export { jdSign } from './sign.js';
