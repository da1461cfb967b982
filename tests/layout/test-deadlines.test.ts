import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import config from '../../vitest.config.js';

/**
 * The suite runs on machines busy with a dev stack and a benchmark beside it, so every wait is a
 * condition and the deadlines are the suite's (vitest.config.ts). A test or hook that names its own,
 * shorter deadline fails there and nowhere else: a five-minute test with four three-minute waits
 * failed that way under load. This reads every test file and refuses such overrides.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEST_MS = config.test!.testTimeout!;
const HOOK_MS = config.test!.hookTimeout!;
const LIMITS: Record<string, number> = {
  it: TEST_MS,
  test: TEST_MS,
  beforeAll: HOOK_MS,
  beforeEach: HOOK_MS,
  afterAll: config.test!.teardownTimeout!,
  afterEach: HOOK_MS,
};

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return testFiles(full);
    return e.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** The value of a numeric expression made of literals, `*`, `+` and the file's own numeric consts. */
function numeric(node: ts.Expression, consts: Map<string, ts.Expression>): number | null {
  if (ts.isNumericLiteral(node)) return Number(node.text.replaceAll('_', ''));
  if (ts.isParenthesizedExpression(node)) return numeric(node.expression, consts);
  if (ts.isIdentifier(node)) {
    const init = consts.get(node.text);
    return init ? numeric(init, consts) : null;
  }
  if (ts.isBinaryExpression(node)) {
    const [a, b] = [numeric(node.left, consts), numeric(node.right, consts)];
    if (a === null || b === null) return null;
    if (node.operatorToken.kind === ts.SyntaxKind.AsteriskToken) return a * b;
    if (node.operatorToken.kind === ts.SyntaxKind.PlusToken) return a + b;
  }
  return null;
}

/** Each test or hook in `file` whose own deadline is shorter than the suite's, as `file:line`. */
function shortDeadlines(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const consts = new Map<string, ts.Expression>();
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      consts.set(node.name.text, node.initializer);
    }
    if (ts.isCallExpression(node)) {
      // it(…), it.concurrent(…), it.each(rows)(…): the name under the accesses and calls.
      let callee: ts.Expression = node.expression;
      while (ts.isPropertyAccessExpression(callee) || ts.isCallExpression(callee)) callee = callee.expression;
      const limit = ts.isIdentifier(callee) ? LIMITS[callee.text] : undefined;
      const last = node.arguments.at(-1);
      const fn = node.arguments.find((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
      if (limit !== undefined && last && fn && last !== fn) {
        const ms = numeric(last, consts);
        if (ms !== null && ms < limit) {
          const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
          found.push(`${path.relative(ROOT, file)}:${line} (${ms} ms)`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('test deadlines', () => {
  it('no test or hook gives itself a shorter deadline than the suite’s', () => {
    const files = testFiles(path.join(ROOT, 'tests'));
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap(shortDeadlines)).toEqual([]);
  });

  it('finds a short deadline written with a constant, as the one that failed under load was', () => {
    const file = path.join(ROOT, 'tests/layout/fixtures/short-deadline.ts');
    expect(shortDeadlines(file)).toEqual([
      'tests/layout/fixtures/short-deadline.ts:6 (300000 ms)',
      'tests/layout/fixtures/short-deadline.ts:9 (60000 ms)',
    ]);
  });
});
