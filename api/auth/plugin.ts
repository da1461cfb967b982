import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasRole, type Role } from '../../domain/audit/roles.js';
import type { Db } from '../../db/connect.js';
import { HttpProblem } from '../errors.js';
import type { Actor } from './actor.js';
import { authenticate } from './credentials.js';

/**
 * Who may call what. Every route declares its access in its options:
 *
 *   config: { roles: ['reviewer', 'finance'] }  // these roles (admin always may)
 *   config: { roles: 'any' }                    // anyone signed in with at least one role
 *   config: { public: true }                    // no credentials (login)
 *
 * Health, the web UI's files, API docs, JSON schemas and webhooks (they verify the platform's signature instead) are
 * public by path. Everything else is refused: a route whose author forgot to declare access
 * answers 403 to everyone rather than leaking data.
 */

export type RouteRoles = readonly Role[] | 'any';

declare module 'fastify' {
  interface FastifyContextConfig {
    roles?: RouteRoles;
    public?: boolean;
  }
  interface FastifyRequest {
    /** The authenticated caller; null on public routes. */
    actor: Actor | null;
  }
  interface FastifyInstance {
    /** Every route registered after auth was installed, with the access it declared. */
    routeAccess: RouteAccess[];
  }
}

export type Access = { kind: 'public' } | { kind: 'roles'; roles: RouteRoles } | { kind: 'undeclared' };

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

export function isPublicPath(url: string): boolean {
  return (
    url === '/health' ||
    // The web UI's pages and assets: it signs in with the same credentials, then calls the API.
    url === '/' ||
    url === '/app' ||
    url.startsWith('/app/') ||
    url === '/docs' ||
    url.startsWith('/docs/') ||
    url.startsWith('/schemas/') ||
    url.startsWith('/webhooks/')
  );
}

function accessOf(url: string, config: { roles?: RouteRoles; public?: boolean } | undefined): Access {
  if (config?.public === true || isPublicPath(url)) return { kind: 'public' };
  if (config?.roles === 'any' || (Array.isArray(config?.roles) && config.roles.length > 0)) {
    return { kind: 'roles', roles: config.roles };
  }
  return { kind: 'undeclared' };
}

/**
 * Whether a caller holding `roles` may call a route with this access: the one rule the request
 * hook enforces, the role matrix test checks and docs/access.md is generated from.
 */
export function mayCall(access: Access, roles: readonly Role[]): boolean {
  if (access.kind === 'public') return true;
  if (access.kind === 'undeclared') return false;
  return access.roles === 'any' ? roles.length > 0 : hasRole(roles, access.roles);
}

/** The cookie `POST /codec/session` sets for Temporal Web; sent by browsers to /codec/ only. */
export const CODEC_COOKIE = 'erp_codec';

function codecCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CODEC_COOKIE && value.length) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * Reads `Authorization: Bearer <token>` or `x-api-key: <token>`; on the codec routes also the
 * codec cookie (Temporal Web cannot send our headers).
 */
export function credentialOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  const key = request.headers['x-api-key'];
  if (typeof key === 'string' && key.trim()) return key.trim();
  return request.url.startsWith('/codec/') ? codecCookie(request.headers.cookie) : undefined;
}

function unauthenticated(reply: FastifyReply, message: string): HttpProblem {
  reply.header('www-authenticate', 'Bearer');
  return new HttpProblem(401, message, [], 'UNAUTHENTICATED');
}

/**
 * Installs authentication and role checks on the whole server. Call before any route is
 * registered, so that every route's declaration is seen and recorded.
 */
export function installAuth(app: FastifyInstance, deps: { db: Db }): void {
  const routes: RouteAccess[] = [];
  app.decorate('routeAccess', routes);
  app.decorateRequest('actor', null);

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const access = accessOf(route.url, route.config);
    for (const method of methods) routes.push({ method: String(method), url: route.url, access });
  });

  app.addHook('onRequest', async (request, reply) => {
    const url = request.routeOptions.url;
    // No route matched: the not-found handler answers 404 and reveals nothing.
    if (url === undefined) return;
    const access = accessOf(url, request.routeOptions.config);
    if (access.kind === 'public') return;

    const token = credentialOf(request);
    if (!token) {
      throw unauthenticated(
        reply,
        'authentication required: send "Authorization: Bearer <api key or session token>" or an "x-api-key" header',
      );
    }
    const actor = await authenticate(deps.db, token);
    if (!actor) throw unauthenticated(reply, 'the API key or session token is invalid, expired or revoked');
    request.actor = actor;

    const route = `${request.method} ${url}`;
    if (access.kind === 'undeclared') {
      throw new HttpProblem(403, `${route} declares no roles, so it is refused to everyone`, [], 'FORBIDDEN');
    }
    if (!mayCall(access, actor.roles)) {
      const needed =
        access.roles === 'any' ? 'any role' : `one of the roles ${[...access.roles, 'admin'].join(', ')}`;
      throw new HttpProblem(
        403,
        `${route} needs ${needed}; ${actor.name} has ${actor.roles.length ? actor.roles.join(', ') : 'no roles'}`,
        [],
        'FORBIDDEN',
      );
    }
  });
}

/** The authenticated caller of a route that declared roles (never null there). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new HttpProblem(401, 'authentication required', [], 'UNAUTHENTICATED');
  return request.actor;
}
