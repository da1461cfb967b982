import { readFileSync } from 'node:fs';

/**
 * Where a V8 CPU profile's time went (`node --cpu-prof` writes one per thread): self time by
 * function and by package or source file, and the inclusive time of the functions asked for.
 *
 *   npx tsx bench/support/profile-summary.ts <file.cpuprofile> [--top 30] [--inclusive name,name]
 *     [--callers name,name] [--depth 6] [--from s] [--to s]
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** node_modules/@scope/pkg/… → "@scope/pkg"; a source file of the project → its path from the repo. */
export function moduleOf(url: string): string {
  if (!url) return '(native or idle)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url;
  const m =
    /\/(api|activities|db|domain|services|workflows|worker|bench|sandbox|config|integrations|adapters)\/.*/.exec(
      url,
    );
  return m ? m[0].slice(1) : url;
}

export interface SummaryOptions {
  top?: number;
  /** Functions whose inclusive time (their own and their callees') is wanted. */
  inclusive?: string[];
  /** Functions whose callers (the stack above them, `depth` frames) are wanted, by self time. */
  callers?: string[];
  depth?: number;
  /** Only samples within this window, in seconds from the profile's start. */
  fromS?: number;
  toS?: number;
}

export function summarise(profile: Profile, options: SummaryOptions = {}): string[] {
  const { top = 30, inclusive = [], callers = [], depth = 6, fromS = 0, toS = Infinity } = options;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < fromS * 1e6 || at > toS * 1e6) return;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self].filter(([id]) =>
    /^\((idle|program|garbage collector)\)$/.test(byId.get(id)!.callFrame.functionName),
  );
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  const incl = new Map<string, number>(inclusive.map((n) => [n, 0]));
  const stacks = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${moduleOf(f.url)}:${f.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const mod = /^\(/.test(f.functionName) ? f.functionName : moduleOf(f.url);
    byModule.set(mod, (byModule.get(mod) ?? 0) + us);
    if (callers.includes(f.functionName)) {
      const frames: string[] = [];
      for (let up = parent.get(id); up !== undefined && frames.length < depth; up = parent.get(up)) {
        const c = byId.get(up)!.callFrame;
        frames.push(`${c.functionName || '(anonymous)'}@${moduleOf(c.url)}:${c.lineNumber + 1}`);
      }
      const key = `${f.functionName} ← ${frames.join(' ← ')}`;
      stacks.set(key, (stacks.get(key) ?? 0) + us);
    }
    if (inclusive.length) {
      // Each named function on the sample's stack, counted once per sample.
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const name = byId.get(at)!.callFrame.functionName;
        if (incl.has(name) && !seen.has(name)) {
          seen.add(name);
          incl.set(name, incl.get(name)! + us);
        }
      }
    }
  }
  const ms = (us: number) => (us / 1000).toFixed(0).padStart(7);
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    `sampled ${ms(total)} ms, of which idle/program/GC ${ms(idle.reduce((a, [, us]) => a + us, 0))} ms`,
    'self time by package or file:',
    ...sorted(byModule).map(([k, us]) => `  ${ms(us)} ms ${pct(us)}  ${k}`),
    'self time by function:',
    ...sorted(byFunction).map(([k, us]) => `  ${ms(us)} ms ${pct(us)}  ${k}`),
    ...(inclusive.length
      ? ['inclusive time:', ...[...incl].map(([k, us]) => `  ${ms(us)} ms ${pct(us)}  ${k}`)]
      : []),
    ...(callers.length
      ? ['callers:', ...sorted(stacks).map(([k, us]) => `  ${ms(us)} ms ${pct(us)}  ${k}`)]
      : []),
  ];
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const file = process.argv[2];
  if (!file) {
    console.error(
      'usage: npx tsx bench/support/profile-summary.ts <file.cpuprofile> [--top N] [--inclusive a,b]',
    );
    process.exit(2);
  }
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  console.log(
    summarise(profile, {
      top: Number(arg('top') ?? 30),
      inclusive: arg('inclusive')?.split(',') ?? [],
      callers: arg('callers')?.split(',') ?? [],
      depth: Number(arg('depth') ?? 6),
      fromS: Number(arg('from') ?? 0),
      toS: Number(arg('to') ?? Infinity),
    }).join('\n'),
  );
}
