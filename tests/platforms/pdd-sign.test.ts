import { describe, expect, it } from 'vitest';
import { pddSign, pddWssPath, pddWssUrl } from '../../integrations/platforms/pdd/sign.js';
import {
  expectedPddSign,
  expectedPmcSignature,
  pddSignatureMatches,
  verifyPmcPath,
} from '../../sandbox/platforms/pdd/verify.js';

// API-FACTS §18.1 (official PDD example) and §18.2 #3, #14.
const official = {
  access_token: 'asd78172s8ds9a921j9qqwda12312w1w21211',
  client_id: '1',
  data_type: 'XML',
  order_status: '1',
  page: '1',
  page_size: '10',
  timestamp: '1480411125',
  type: 'pdd.order.number.list.get',
};

const increment = {
  type: 'pdd.order.number.list.increment.get',
  client_id: 'testClientId',
  access_token: 'testToken',
  timestamp: '1700000000',
  data_type: 'JSON',
  start_updated_at: '1699998200',
  end_updated_at: '1700000000',
  is_lucky_flag: '0',
  order_status: '5',
  refund_status: '5',
  page: '1',
  page_size: '100',
};

const WSS_PATH = '/message/app/1700000000000/OTgxODMwNDI2NWZiN2NiNzA2NzIxOTI0ZjJlMDMxMjE%3D';

describe('PDD signing in the adapter', () => {
  it('reproduces the official md5 example', () => {
    expect(pddSign(official, 'testSecret')).toBe('E4DE3ED21002510DED352819E7AE6775');
  });

  it('matches the increment-list vector and ignores an existing sign', () => {
    expect(pddSign(increment, 'testSecret')).toBe('CE4962CF2B01FAFE07DDEA9535515296');
    expect(pddSign({ ...increment, sign: 'X' }, 'testSecret')).toBe('CE4962CF2B01FAFE07DDEA9535515296');
  });

  it('signs the PMC WebSocket path', () => {
    expect(pddWssPath('app', 1700000000000, 'secret')).toBe(WSS_PATH);
    expect(pddWssUrl('app', 'secret', 1700000000000)).toBe(`wss://message-api.pinduoduo.com${WSS_PATH}`);
  });
});

describe('PDD signing in the simulator (its own implementation)', () => {
  it('reproduces the official example and the increment vector', () => {
    expect(expectedPddSign(official, 'testSecret')).toBe('E4DE3ED21002510DED352819E7AE6775');
    expect(expectedPddSign(increment, 'testSecret')).toBe('CE4962CF2B01FAFE07DDEA9535515296');
    expect(
      pddSignatureMatches({ ...increment, sign: 'CE4962CF2B01FAFE07DDEA9535515296' }, 'testSecret'),
    ).toBe(true);
    expect(
      pddSignatureMatches(
        { ...increment, page: '2', sign: 'CE4962CF2B01FAFE07DDEA9535515296' },
        'testSecret',
      ),
    ).toBe(false);
  });

  it('verifies the PMC path vector and refuses a tampered or stale one', () => {
    expect(encodeURIComponent(expectedPmcSignature('app', '1700000000000', 'secret'))).toBe(
      WSS_PATH.split('/').at(-1),
    );
    const at = new Date(1700000000000);
    expect(verifyPmcPath(WSS_PATH, { app: 'secret' }, at)).toEqual({ ok: true, clientId: 'app' });
    expect(verifyPmcPath(WSS_PATH, { app: 'other' }, at)).toMatchObject({
      ok: false,
      reason: 'bad signature',
    });
    expect(verifyPmcPath(WSS_PATH, { app: 'secret' }, new Date(1700000000000 + 3_600_000))).toMatchObject({
      ok: false,
      reason: 'timestamp out of range',
    });
  });
});
