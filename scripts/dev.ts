import { inOwnProcessGroup, runInOwnProcessGroup } from './stack/session.js';

/**
 * `npm run dev`: the whole system in one command (scripts/stack/dev-stack.ts), run in a process
 * group of its own so that Ctrl-C stops its parts in order instead of all at once.
 */
if (inOwnProcessGroup()) await import('./stack/dev-stack.js');
else await runInOwnProcessGroup();
