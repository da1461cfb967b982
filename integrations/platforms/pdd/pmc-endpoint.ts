import { PDD_MESSAGE_ENDPOINT, pddWssPath } from './sign.js';

const PDD_GATEWAY_HOST = 'gw-api.pinduoduo.com';

/** What locates and signs an app's connection: its key and secret, its shop's gateway and extras. */
export interface PmcApp {
  appKey: string;
  appSecret: string;
  baseUrl: string;
  /** Credential extras of the app's shop (`pmcUrl`). */
  extra: Record<string, string>;
}

/**
 * Where an app's PMC WebSocket lives: `extra.pmcUrl` when the shop sets one; PDD's message service
 * for shops on PDD's gateway; otherwise (a sandbox) beside the shop's gateway, same origin and
 * prefix, with the ws(s) scheme.
 */
export function pmcEndpointFor(app: Pick<PmcApp, 'baseUrl' | 'extra'>): string {
  const configured = app.extra['pmcUrl'];
  if (configured) return configured.replace(/\/+$/, '');
  const url = new URL(app.baseUrl);
  if (url.hostname === PDD_GATEWAY_HOST) return PDD_MESSAGE_ENDPOINT;
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  return url
    .toString()
    .replace(/\/+$/, '')
    .replace(/\/api\/router$/, '');
}

/** A freshly signed connection URL (the signature covers the current time). */
export function pmcConnectUrl(app: Pick<PmcApp, 'appKey' | 'appSecret' | 'baseUrl' | 'extra'>, now: Date) {
  return `${pmcEndpointFor(app)}${pddWssPath(app.appKey, now.getTime(), app.appSecret)}`;
}
