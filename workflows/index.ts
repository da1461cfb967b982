// The workflow bundle entry: every workflow the worker runs is exported here.
export { orderWorkflow } from './order-workflow.js';
export { shopSyncWorkflow } from './shop-sync-workflow.js';
export { messageChannelWorkflow } from './message-channel-workflow.js';
export { shipmentWorkflow } from './shipment-workflow.js';
export { stockArrivalWorkflow } from './stock-arrival-workflow.js';
export { waveWorkflow } from './wave-workflow.js';
export { stockSyncWorkflow } from './stock-sync-workflow.js';
export { afterSaleWorkflow } from './after-sale-workflow.js';
export { basketItemsetsWorkflow } from './basket-itemsets-workflow.js';
export { stageFoldWorkflow } from './stage-fold-workflow.js';
