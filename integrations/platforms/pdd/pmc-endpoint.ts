import { PDD_MESSAGE_ENDPOINT, pddWssPath } from './sign.js';
import type { ChannelApp } from '../../../activities/capture/channels/apps.js';

const PDD_GATEWAY_HOST = 'gw-api.pinduoduo.com';

/**
 * Where an app's PMC WebSocket lives: `extra.pmcUrl` when the shop sets one; PDD's message service
 * for shops on PDD's gateway; otherwise (a sandbox) beside the shop's gateway, same origin and
 * prefix, with the ws(s) scheme.
 */
export function pmcEndpointFor(app: Pick<ChannelApp, 'baseUrl' | 'extra'>): string {
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
export function pmcConnectUrl(
  app: Pick<ChannelApp, 'appKey' | 'appSecret' | 'baseUrl' | 'extra'>,
  now: Date,
) {
  return `${pmcEndpointFor(app)}${pddWssPath(app.appKey, now.getTime(), app.appSecret)}`;
}
