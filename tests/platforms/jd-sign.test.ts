import { describe, expect, it } from 'vitest';
import { jdSign } from '../../integrations/platforms/jd/sign.js';
import { expectedJdSign, jdSignatureMatches } from '../../sandbox/platforms/jd/verify.js';

// API-FACTS §18.1 (JD's official example: ms + offset timestamp, no format/sign_method) and §18.2 #4.
const official = {
  '360buy_param_json':
    '{"end_date":null,"optional_fields":null,"order_state":"WAIT_SELLER_STOCK_OUT","page":"1","page_size":"200","start_date":null}',
  access_token: 'yourtoken',
  app_key: 'yourappkey',
  method: 'jingdong.pop.order.search',
  timestamp: '2021-05-07 09:20:39.683+0800',
  v: '2.0',
};

const local = {
  method: 'jingdong.pop.order.search',
  app_key: 'testAppKey',
  access_token: 'testToken',
  timestamp: '2024-01-01 12:00:00',
  v: '2.0',
  '360buy_param_json':
    '{"start_date":"2024-01-01 11:30:00","end_date":"2024-01-01 12:00:00","order_state":"WAIT_SELLER_STOCK_OUT","page":"1","page_size":"100"}',
};

describe('JD signing', () => {
  it('reproduces the official example in the adapter and in the simulator', () => {
    expect(jdSign(official, 'yourappSecret')).toBe('D70825340F4084360B9362B60DFD7930');
    expect(expectedJdSign(official, 'yourappSecret')).toBe('D70825340F4084360B9362B60DFD7930');
  });

  it('reproduces the local vector in both', () => {
    expect(jdSign(local, 'testSecret')).toBe('F76763F7C79D1D1ECCE1EEAAD80E555F');
    expect(expectedJdSign(local, 'testSecret')).toBe('F76763F7C79D1D1ECCE1EEAAD80E555F');
  });

  it('lets the simulator refuse a signature over different business parameters', () => {
    const sign = jdSign(local, 'testSecret');
    expect(jdSignatureMatches({ ...local, sign }, 'testSecret')).toBe(true);
    expect(jdSignatureMatches({ ...local, '360buy_param_json': '{}', sign }, 'testSecret')).toBe(false);
  });
});
