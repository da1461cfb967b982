import fc from 'fast-check';
import { parse, stringify, LosslessNumber } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { parsePlatformJson } from '../../integrations/platforms/taobao/json.js';

describe('parsePlatformJson', () => {
  it('keeps 19-digit ids and yuan floats as their exact text', () => {
    expect(
      parsePlatformJson('{"tid":3812345678901234567,"pay":25.90,"s":"a\\"1\\\\","ok":true,"n":null}'),
    ).toEqual({
      tid: '3812345678901234567',
      pay: '25.90',
      s: 'a"1\\',
      ok: true,
      n: null,
    });
  });

  it('agrees with lossless-json for any JSON document', () => {
    const number = fc.oneof(
      fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map((n) => new LosslessNumber(n.toString())),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => new LosslessNumber(String(d))),
    );
    const value = fc.letrec((tie) => ({
      json: fc.oneof(
        { depthSize: 'small' },
        fc.string({ unit: 'binary' }),
        number,
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('json'), { maxLength: 4 }),
        fc.dictionary(fc.string({ unit: 'binary' }), tie('json'), { maxKeys: 4 }),
      ),
    })).json;
    fc.assert(
      fc.property(value, (doc) => {
        const text = stringify(doc)!;
        expect(parsePlatformJson(text)).toEqual(parse(text, null, (digits) => digits));
      }),
      { numRuns: 300 },
    );
  });
});
