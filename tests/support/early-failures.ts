import type { Reporter, TestCase } from 'vitest/node';

/**
 * Prints a failing test's errors the moment it fails. The default reporter keeps them for its
 * summary at the end of the run, so a long run stopped early (a loaded machine, a session that ends
 * first) named the failing test but not why it failed.
 */
export default class EarlyFailures implements Reporter {
  onTestCaseResult(test: TestCase): void {
    const result = test.result();
    if (result.state !== 'failed') return;
    const lines = [`\n[failed] ${test.module.relativeModuleId} > ${test.fullName}`];
    for (const e of result.errors) {
      lines.push(`${e.name ?? 'Error'}: ${e.message}`);
      if (e.diff) lines.push(e.diff);
      if (e.stack) lines.push(e.stack.split('\n').slice(1, 8).join('\n'));
    }
    process.stderr.write(`${lines.join('\n')}\n`);
  }
}
