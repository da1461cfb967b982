import { WebhookSignatureError } from '../platforms/errors.js';

/**
 * A push that does not carry our secret (SF's pushes have no signature; the push URL entered in
 * the service's console carries a token instead). Answered 401.
 */
export class PushTokenError extends WebhookSignatureError {}

/** A push whose body is not the service's push format: answered 400, naming the field. */
export class PushPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PushPayloadError';
  }
}
