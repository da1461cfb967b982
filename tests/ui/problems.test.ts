import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpProblem, installErrorHandler, parseOrThrow } from '../../api/errors.js';
import { describeIssue, describeProblem, type ProblemLike } from '../../ui/src/i18n/problems.js';

// A Chinese page says the API's refusals in Chinese: the API answers with codes and particulars
// (through its one error handler, exercised here over HTTP), the page's catalogue turns them into
// sentences, and our own words for a field are kept as written.

const app = Fastify().withTypeProvider<ZodTypeProvider>();
app.setValidatorCompiler(validatorCompiler);
app.setSerializerCompiler(serializerCompiler);
installErrorHandler(app);
app.post(
  '/things',
  {
    schema: {
      body: z.object({
        name: z.string().min(2),
        quantity: z.number().int().positive(),
        kind: z.enum(['gift', 'sample']),
        reason: z.string().min(1, 'say why'),
      }),
    },
  },
  async () => ({ ok: true }),
);
app.post('/parsed', async (request) => parseOrThrow(z.object({ sku: z.string() }), request.body, 'body'));
app.post('/wave', async () => {
  throw new HttpProblem(
    409,
    'warehouse: no order of "HZ" is waiting for a wave',
    [],
    'NOTHING_WAITING_FOR_WAVE',
    {},
    {
      warehouse: 'HZ',
    },
  );
});
app.get('/thing/:id', async (request) => {
  throw new HttpProblem(404, `no thing "${(request.params as { id: string }).id}"`);
});

beforeAll(() => app.ready());
afterAll(() => app.close());

describe('refusals in the reader’s language', () => {
  it('field problems carry zod’s code and particulars; our own words carry none and are kept', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/things',
      payload: { name: 'x', quantity: 0, kind: 'free', reason: '' },
    });
    expect(res.statusCode).toBe(400);
    const issues = res.json().issues as { field: string; problem: string; code?: string }[];
    const said = Object.fromEntries(issues.map((i) => [i.field, describeIssue(i, 'zh')]));
    expect(said).toEqual({
      'body.name': '至少 2 个字符',
      'body.quantity': '必须大于 0',
      'body.kind': '只能是：gift、sample',
      'body.reason': 'say why',
    });
    // In English the API's own words stand.
    expect(issues.map((i) => describeIssue(i, 'en'))).toEqual(issues.map((i) => i.problem));
  });

  it('a missing field reads 必填, through the route schema and through parseOrThrow alike', async () => {
    const viaSchema = await app.inject({ method: 'POST', url: '/things', payload: {} });
    const viaParse = await app.inject({ method: 'POST', url: '/parsed', payload: {} });
    for (const res of [viaSchema, viaParse]) {
      expect(res.statusCode).toBe(400);
      const first = (res.json().issues as Parameters<typeof describeIssue>[0][])[0]!;
      expect(describeIssue(first, 'zh')).toBe('必填');
    }
  });

  it('a coded refusal is a whole Chinese sentence with its particulars', async () => {
    const res = await app.inject({ method: 'POST', url: '/wave' });
    const problem = res.json() as ProblemLike;
    expect(problem).toMatchObject({ code: 'NOTHING_WAITING_FOR_WAVE', params: { warehouse: 'HZ' } });
    expect(describeProblem(problem, 'zh')).toBe('仓库“HZ”没有等待波次的订单');
    expect(describeProblem(problem, 'en')).toBe('No order of "HZ" is waiting for a wave');
  });

  it('every refusal has a code; a general one says its kind in Chinese and keeps the API’s particulars', async () => {
    const res = await app.inject({ method: 'GET', url: '/thing/42' });
    const problem = res.json() as ProblemLike;
    expect(problem.code).toBe('NOT_FOUND');
    expect(describeProblem(problem, 'zh')).toBe('未找到：no thing "42"');
    expect(describeProblem(problem, 'en')).toBe('404 · no thing "42"');
    const unknownRoute = (await app.inject({ method: 'GET', url: '/nowhere' })).json() as ProblemLike;
    expect(unknownRoute.code).toBe('NOT_FOUND');
  });

  it('a workflow’s refusal reads by its code', () => {
    const finished = {
      statusCode: 409,
      code: 'OrderFinished',
      message: 'the order is shipped; …',
      params: { status: 'shipped' },
    };
    expect(describeProblem(finished, 'zh')).toBe('订单已是“shipped”，不再接受处理');
    // The page says the status in its words, as it does everywhere else.
    expect(describeProblem(finished, 'zh', (s) => ({ shipped: '已发货' })[s] ?? s)).toBe(
      '订单已是“已发货”，不再接受处理',
    );
    const notHeld = {
      statusCode: 409,
      code: 'OrderNotHeld',
      message: 'the order is not held (status: allocated)',
    };
    expect(describeProblem(notHeld, 'zh')).toBe(
      '订单不在待审核状态：the order is not held (status: allocated)',
    );
  });
});
