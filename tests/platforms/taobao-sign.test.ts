import { describe, expect, it } from 'vitest';
import { topSign } from '../../integrations/platforms/taobao/sign.js';
import { expectedTopSign, topSignatureMatches } from '../../sandbox/platforms/taobao/verify.js';

// API-FACTS §18.1 (official TOP worked example) and §18.2 #1-#2.
const officialExample = {
  method: 'taobao.item.seller.get',
  app_key: '12345678',
  session: 'test',
  timestamp: '2016-01-01 12:00:00',
  format: 'json',
  v: '2.0',
  sign_method: 'md5',
  fields: 'num_iid,title,nick,price,num',
  num_iid: '11223344',
};

const fullinfoExample = {
  method: 'taobao.trade.fullinfo.get',
  app_key: '12345678',
  session: 'test',
  timestamp: '2016-01-01 12:00:00',
  format: 'json',
  v: '2.0',
  sign_method: 'md5',
  fields: 'tid,type,status,payment,orders',
  tid: '11223344',
};

describe('topSign', () => {
  it('reproduces the official TOP md5 worked example', () => {
    expect(topSign(officialExample, 'helloworld', 'md5')).toBe('66987CB115214E59E6EC978214934FB8');
  });

  it('computes HMAC-MD5 over the same example signed with sign_method=hmac', () => {
    expect(topSign({ ...officialExample, sign_method: 'hmac' }, 'helloworld', 'hmac')).toBe(
      'D56D7858309C31B6251083A874D48273',
    );
  });

  it('matches the fullinfo md5 and hmac vectors', () => {
    expect(topSign(fullinfoExample, 'helloworld', 'md5')).toBe('DAE4C765B6DC29FD8996BD5492075553');
    expect(topSign({ ...fullinfoExample, sign_method: 'hmac' }, 'helloworld', 'hmac')).toBe(
      '8DD569D003AE2F960E3BE1B5EE51B222',
    );
  });

  it('leaves an existing sign parameter out of the signature', () => {
    expect(topSign({ ...officialExample, sign: 'WHATEVER' }, 'helloworld', 'md5')).toBe(
      '66987CB115214E59E6EC978214934FB8',
    );
  });

  it('signs hmac-sha256 as 64 upper-case hex characters that depend on the secret', () => {
    const a = topSign({ ...officialExample, sign_method: 'hmac-sha256' }, 'helloworld', 'hmac-sha256');
    const b = topSign({ ...officialExample, sign_method: 'hmac-sha256' }, 'other', 'hmac-sha256');
    expect(a).toMatch(/^[0-9A-F]{64}$/);
    expect(a).not.toBe(b);
  });
});

describe('the TOP simulator verifier (its own implementation)', () => {
  it('reproduces every TOP vector', () => {
    expect(expectedTopSign(officialExample, 'helloworld', 'md5')).toBe('66987CB115214E59E6EC978214934FB8');
    expect(expectedTopSign({ ...officialExample, sign_method: 'hmac' }, 'helloworld', 'hmac')).toBe(
      'D56D7858309C31B6251083A874D48273',
    );
    expect(expectedTopSign(fullinfoExample, 'helloworld', 'md5')).toBe('DAE4C765B6DC29FD8996BD5492075553');
    expect(expectedTopSign({ ...fullinfoExample, sign_method: 'hmac' }, 'helloworld', 'hmac')).toBe(
      '8DD569D003AE2F960E3BE1B5EE51B222',
    );
  });

  it('agrees with the adapter signer on hmac-sha256 and accepts what the adapter signs', () => {
    const params = { ...officialExample, sign_method: 'hmac-sha256' };
    const sign = topSign(params, 'helloworld', 'hmac-sha256');
    expect(expectedTopSign(params, 'helloworld', 'hmac-sha256')).toBe(sign);
    expect(topSignatureMatches({ ...params, sign }, 'helloworld')).toBe(true);
  });

  it('rejects a signature made with another secret or over altered parameters', () => {
    const sign = topSign(officialExample, 'helloworld', 'md5');
    expect(topSignatureMatches({ ...officialExample, sign }, 'other-secret')).toBe(false);
    expect(topSignatureMatches({ ...officialExample, num_iid: '11223345', sign }, 'helloworld')).toBe(false);
  });
});
