import type { Role } from '../../domain/audit/roles.js';

/** Who is calling: attached to every authenticated request as `request.actor`. */
export interface Actor {
  /** The user's id. */
  id: string;
  /** The username: what is recorded as `updated_by`, `created_by` and timeline actors. */
  name: string;
  roles: Role[];
  /** The shops the user is limited to (店铺权限); null: every shop. */
  shops: string[] | null;
  via: 'api_key' | 'session';
  /** The API key or session id (its public part), for audit logs and logout. */
  credentialId: string;
}
