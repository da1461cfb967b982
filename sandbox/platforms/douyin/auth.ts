/** Douyin's shops and tokens: the simulators' shared token authority (sandbox/kit/token-auth.ts). */
export { SimTokenAuth as DouyinSimAuth } from '../../kit/token-auth.js';
export type { SimTokenGrant as DouyinSimGrant } from '../../kit/token-auth.js';
