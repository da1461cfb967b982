import { ROLES } from '../../domain/audit/roles.js';
import { mayCall, type RouteAccess } from './plugin.js';

export const ACCESS_TABLE_START = '<!-- access-table:start (generated from the route declarations) -->';
export const ACCESS_TABLE_END = '<!-- access-table:end -->';

/**
 * docs/access.md's table: every route and the roles that may call it, computed with `mayCall`
 * from the declarations the API enforces. HEAD routes mirror their GET and are left out.
 */
export function accessTable(routes: readonly RouteAccess[]): string {
  const rows = routes
    .filter((r) => r.method !== 'HEAD')
    .slice()
    .sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
  const header = ['method', 'route', ...ROLES];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const route of rows) {
    const cells = ROLES.map((role) =>
      route.access.kind === 'public' ? 'public' : mayCall(route.access, [role]) ? '✓' : '',
    );
    lines.push(`| ${route.method} | \`${route.url}\` | ${cells.join(' | ')} |`);
  }
  return [ACCESS_TABLE_START, ...lines, ACCESS_TABLE_END].join('\n');
}

/** The generated table inside a document, or undefined when its markers are missing. */
export function extractAccessTable(document: string): string | undefined {
  const start = document.indexOf(ACCESS_TABLE_START);
  const end = document.indexOf(ACCESS_TABLE_END);
  if (start < 0 || end < start) return undefined;
  return document.slice(start, end + ACCESS_TABLE_END.length);
}
