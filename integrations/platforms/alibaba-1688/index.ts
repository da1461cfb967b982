export { ALIBABA_1688_LIMITS, createAlibaba1688Adapter } from './adapter.js';
export { alibaba1688Carrier } from './carriers.js';
export { normalizeAlibaba1688Order } from './normalize.js';
export { createAlibaba1688Stock } from './stock.js';
export { alibaba1688SignPath, signAlibaba1688 } from './sign.js';
export { Alibaba1688TradeSchema } from './wire.js';
export type { Alibaba1688Trade } from './wire.js';
