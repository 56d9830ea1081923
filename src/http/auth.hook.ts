import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticateApiKey } from '../auth/api-key.service.js';
import { authenticateSession } from '../auth/session.service.js';
import type { Context } from '../context.js';
import { AuthenticationError, ForbiddenError } from '../domain/errors.js';
import { canWrite, type Actor } from '../domain/roles.js';

export const SESSION_COOKIE = 'tracelot_session';

/**
 * Who may call a route. Default: `read` for GET/HEAD, `write` otherwise. `public` routes
 * need no credentials; `admin` routes manage users and keys.
 */
export type Access = 'public' | 'read' | 'write' | 'admin';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

/**
 * Authenticates every request to the routes of `api` (an encapsulated plugin: the hook runs
 * for the routes the router matched, whatever escapes the URL used) by bearer API key or
 * session cookie, then checks access.
 */
export function registerAuth(api: FastifyInstance, ctx: Context): void {
  api.decorateRequest('actor', null as unknown as Actor);
  api.addHook('onRequest', async (request) => {
    const access = accessOf(request);
    if (access === 'public') return;
    const actor = await authenticate(ctx, request);
    request.actor = actor;
    if (access === 'write' && !canWrite(actor.role)) {
      throw new ForbiddenError(`${actor.name} is a ${actor.role} and cannot make changes`);
    }
    if (access === 'admin' && actor.role !== 'admin') {
      throw new ForbiddenError(`${actor.name} is a ${actor.role}; only admins may do this`);
    }
  });
}

function accessOf(request: FastifyRequest): Access {
  const declared = request.routeOptions.config.access;
  if (declared) return declared;
  return request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write';
}

async function authenticate(ctx: Context, request: FastifyRequest): Promise<Actor> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new AuthenticationError('expected "Bearer <API key>"', 'authorization');
    const actor = await authenticateApiKey(ctx, match[1]!);
    if (!actor) throw new AuthenticationError('API key not recognised or revoked', 'authorization');
    return actor;
  }
  const token = request.cookies[SESSION_COOKIE];
  if (token) {
    const actor = await authenticateSession(ctx, token);
    if (actor) return actor;
    throw new AuthenticationError('session expired: log in again', 'session');
  }
  throw new AuthenticationError(
    'log in, or send "Authorization: Bearer <API key>"',
    'authorization',
  );
}
