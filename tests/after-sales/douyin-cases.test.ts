import { douyinCases } from '../support/douyin-cases.js';
import { describePlatformCases } from '../support/market-cases.js';

// Douyin 抖店 after-sales on the real dev server and the simulated open platform: captured by the
// poll (/afterSale/List) and by signed pushes (tag 200 RefundCreated) through the webhook route,
// answered with /afterSale/operate carrying update_time as the version: 401 agrees a refund before
// shipment, which Douyin refuses only by shipping.

describePlatformCases('Douyin', douyinCases);
