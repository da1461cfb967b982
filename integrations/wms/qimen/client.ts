import { formatGmt8 } from '../../platforms/taobao/gmt8.js';
import { child, parseXml, textOf, toXml, XmlError, type XmlElement, type XmlObject } from './xml.js';
import { qimenSign } from './sign.js';

export interface QimenCredentials {
  /** Gateway origin (`https://qimen.api.taobao.com`, or a sandbox). */
  baseUrl: string;
  appKey: string;
  secret: string;
}

/** The WMS answered `<flag>failure</flag>`: a business refusal, the same on every retry. */
export class QimenRefusal extends Error {
  override readonly name = 'QimenRefusal';
  constructor(
    readonly method: string,
    readonly code: string,
    message: string,
  ) {
    super(`${method} refused (${code}): ${message}`);
  }
}

/** The gateway could not be reached or answered garbage: worth trying again. */
export class QimenUnavailable extends Error {
  override readonly name = 'QimenUnavailable';
}

export const QIMEN_SERVICE_PATH = '/router/qimen/service';

/** The query string of a Qimen call (public parameters), signed over it and the body. */
export function signedQimenQuery(
  credentials: Pick<QimenCredentials, 'appKey' | 'secret'>,
  input: { method: string; customerId: string; body: string; now?: Date },
): URLSearchParams {
  const params: Record<string, string> = {
    method: input.method,
    timestamp: formatGmt8(input.now ?? new Date()),
    format: 'xml',
    app_key: credentials.appKey,
    v: '2.0',
    sign_method: 'md5',
    customerId: input.customerId,
  };
  return new URLSearchParams({ ...params, sign: qimenSign(params, input.body, credentials.secret) });
}

export interface QimenClient {
  /** Sends one request document; resolves with the `<response>` element of a successful answer. */
  call(method: string, customerId: string, request: XmlObject): Promise<XmlElement>;
}

/**
 * Calls through the Qimen gateway: public parameters in the query string, the XML request as the
 * POST body, the signature over both. A `failure` flag becomes QimenRefusal; HTTP and network
 * faults become QimenUnavailable.
 */
export function createQimenClient(
  credentials: QimenCredentials,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): QimenClient {
  const doFetch = options.fetch ?? fetch;
  const endpoint = `${credentials.baseUrl.replace(/\/$/, '')}${QIMEN_SERVICE_PATH}`;
  return {
    async call(method, customerId, request) {
      const body = toXml('request', request);
      const query = signedQimenQuery(credentials, { method, customerId, body });
      let text: string;
      let status: number;
      try {
        const response = await doFetch(`${endpoint}?${query}`, {
          method: 'POST',
          headers: { 'content-type': 'application/xml;charset=utf-8' },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
        status = response.status;
        text = await response.text();
      } catch (err) {
        throw new QimenUnavailable(`Qimen gateway unreachable: ${(err as Error).message}`);
      }
      if (status >= 500 || status === 429) {
        throw new QimenUnavailable(`Qimen gateway answered ${status}: ${text.slice(0, 200)}`);
      }
      let root: XmlElement;
      try {
        root = parseXml(text);
      } catch (err) {
        if (err instanceof XmlError)
          throw new QimenUnavailable(`Qimen answered ${status} with no XML response: ${err.message}`);
        throw err;
      }
      const response = root.name === 'response' ? root : child(root, 'response');
      if (!response) throw new QimenUnavailable(`Qimen answered <${root.name}>, not <response>`);
      if (textOf(response, 'flag') !== 'success') {
        throw new QimenRefusal(
          method,
          textOf(response, 'code') ?? String(status),
          textOf(response, 'message') ?? 'no message',
        );
      }
      return response;
    },
  };
}
