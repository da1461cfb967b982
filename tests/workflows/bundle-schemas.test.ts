import { readFile } from 'node:fs/promises';
import { expect, inject, it } from 'vitest';

/**
 * Every workflow the worker starts or replays loads its own copy of the workflow bundle's modules
 * (the SDK's reused V8 context gives each workflow a fresh module cache), so a zod schema a module
 * builds at load costs every order and shipment CPU and memory, although only a person's Update
 * ever parses with one (docs/benchmarks.md, "Schemas built on first use"). Workflows import the
 * order model, reviews and after-sales from domain/lazy/, whose schemas are built on first use.
 */

/** Small enums and id patterns, built at load wherever they are: one schema each. */
const CHEAP_AT_LOAD = [
  './domain/audit/flags.ts',
  './domain/audit/roles.ts',
  './domain/carriers/codes.ts',
  './domain/ids.ts',
  './domain/platforms.ts',
];

it('the workflow bundle builds no schema at load beyond a few enums: workflows import domain/lazy/', async () => {
  const code = await readFile(inject('workflowBundlePath'), 'utf8');
  // webpack's development bundle: each module's source follows a `/***/ "<path>"` line.
  const parts = code.split(/^\/\*\*\*\/ "([^"\n]+)"\n/m);
  const modules = new Map<string, string>();
  for (let i = 1; i < parts.length; i += 2) modules.set(parts[i]!, parts[i + 1]!);
  expect(modules.size).toBeGreaterThan(50);
  // The eager modules beside the lazy ones (the API's and activities' `…Schema` constants).
  for (const eager of [
    './domain/order.ts',
    './domain/review.ts',
    './domain/after-sales.ts',
    './domain/money.ts',
  ])
    expect([...modules.keys()], `${eager} is in the workflow bundle`).not.toContain(eager);
  // The carrier registry's coverage and price tables: workflows need only the names (names.ts).
  expect([...modules.keys()], 'the carrier registry is in the workflow bundle').not.toContain(
    './domain/carriers/registry.ts',
  );
  // A module of ours that calls zod at its top level (`const X = zod__WEBPACK_IMPORTED_MODULE_0__.object(`).
  const buildsAtLoad = [...modules]
    .filter(([path]) => path.startsWith('./') && !CHEAP_AT_LOAD.includes(path))
    .filter(([, source]) =>
      /^(?:\s*\*\/\s*)?(?:const|let|var) \w+ = zod__WEBPACK_IMPORTED_MODULE_\d+__\s*[.[]/m.test(source),
    )
    .map(([path]) => path);
  expect(buildsAtLoad).toEqual([]);
});
