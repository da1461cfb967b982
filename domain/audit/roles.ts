import { z } from 'zod';

/**
 * Who may do what. A hold names the role that clears it (客审 by customer-service or reviewer,
 * 财审 by finance); the API checks the same roles on every route. Admin may do everything.
 */
export const ROLES = ['reviewer', 'finance', 'customer-service', 'warehouse', 'ops', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export function hasRole(actorRoles: readonly string[], needed: readonly Role[]): boolean {
  return actorRoles.includes('admin') || needed.some((role) => actorRoles.includes(role));
}
