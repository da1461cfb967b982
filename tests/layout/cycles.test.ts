import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkedFolders, findCycles, importGraph } from '../../scripts/check-cycles.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cycles-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

describe('import circle check', () => {
  it('finds a circle closed by a type-only import, and names every module in it', async () => {
    const dir = await tree({
      'api/server.ts': "import { routes } from './routes/orders.js';\nexport interface Deps { a: 1 }\n",
      'api/routes/orders.ts': "import type { Deps } from '../server.js';\nexport const routes = 1;\n",
      'api/deps.ts': 'export interface Other { b: 2 }\n',
    });
    expect(findCycles(importGraph(dir, ['api']))).toEqual([['api/routes/orders.ts', 'api/server.ts']]);
  });

  it('accepts a chain that only goes one way', async () => {
    const dir = await tree({
      'workflows/a.ts': "import type { X } from '../activities/b.js';\nexport type Y = X;\n",
      'activities/b.ts': "import { z } from '../domain/c.js';\nexport type X = typeof z;\n",
      'domain/c.ts': 'export const z = 1;\n',
    });
    expect(findCycles(importGraph(dir, ['workflows', 'activities', 'domain']))).toEqual([]);
  });

  it('finds none in this repository', () => {
    expect(findCycles(importGraph(ROOT, checkedFolders(ROOT)))).toEqual([]);
  });
});
