export { OWN_DELIVERY_HEADER, OWN_SIGNATURE_HEADER, renderOwnPush } from './push.js';
export { signOwnPush, verifyOwnPush } from './sign.js';
export { ownDeliveryId, ownWebhookParser } from './webhook.js';
export {
  createOwnStoreShipper,
  FULFILMENT_EVENT,
  FulfilmentCallbackSchema,
  fulfilmentDeliveryId,
  OWN_EVENT_HEADER,
  renderFulfilmentCallback,
  type FulfilmentCallback,
  type OwnStoreCallbackTarget,
} from './fulfilment.js';
export {
  CANCELLATION_EVENT,
  CancellationCallbackSchema,
  renderCancellationCallback,
  sendCancellationCallback,
  type CancellationCallback,
} from './cancellation.js';
