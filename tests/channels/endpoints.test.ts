import { describe, expect, it } from 'vitest';
import { pmcConnectUrl, pmcEndpointFor } from '../../integrations/platforms/pdd/pmc-endpoint.js';

describe('where a PDD app’s PMC connection goes', () => {
  it('is PDD’s message service for shops on PDD’s gateway, signed as PDD checks (vector #14)', () => {
    const app = {
      appKey: 'app',
      appSecret: 'secret',
      baseUrl: 'https://gw-api.pinduoduo.com/api/router',
      extra: {},
    };
    expect(pmcEndpointFor(app)).toBe('wss://message-api.pinduoduo.com');
    expect(pmcConnectUrl(app, new Date(1_700_000_000_000))).toBe(
      'wss://message-api.pinduoduo.com/message/app/1700000000000/OTgxODMwNDI2NWZiN2NiNzA2NzIxOTI0ZjJlMDMxMjE%3D',
    );
  });

  it('sits beside a sandbox gateway, and a configured pmcUrl wins', () => {
    expect(pmcEndpointFor({ baseUrl: 'http://127.0.0.1:3900/pdd', extra: {} })).toBe(
      'ws://127.0.0.1:3900/pdd',
    );
    expect(pmcEndpointFor({ baseUrl: 'https://sandbox.example/pdd/api/router/', extra: {} })).toBe(
      'wss://sandbox.example/pdd',
    );
    expect(
      pmcEndpointFor({
        baseUrl: 'https://gw-api.pinduoduo.com/api/router',
        extra: { pmcUrl: 'wss://pmc.internal.example/' },
      }),
    ).toBe('wss://pmc.internal.example');
  });
});
