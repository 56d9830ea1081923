import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyMemory } from './api-key.service.js';
import { authenticateSession } from './session.service.js';
import type { Context } from '../context.js';
import { AuthenticationError, ForbiddenError } from '../domain/errors.js';
import { canWrite, type Actor } from '../domain/roles.js';

export const SESSION_COOKIE = 'tracelot_session';

/** Sets the cookie of a session just opened (a password login or a single sign-on). */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  session: { token: string; expiresAt: Date },
): void {
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    expires: session.expiresAt,
  });
}

/**
 * Who may call a route. Default: `read` for GET/HEAD, `write` otherwise. `public` routes
 * need no credentials; `admin` routes manage users and keys; `sync` routes are for other sites'
 * keys (and admins), which may call nothing else.
 */
export type Access = 'public' | 'read' | 'write' | 'admin' | 'sync';

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
 * session cookie, then checks access. A key the server recognised within the last second is
 * answered without I/O, in the same tick: the hook is callback-style so that this common case
 * costs no promise at all (resolve requests are a few tens of microseconds in all).
 * `publicUrl`'s origin is accepted for cookie writes besides the request's own host.
 */
export function registerAuth(
  api: FastifyInstance,
  ctx: Context,
  apiKeys: ApiKeyMemory,
  publicUrl?: string,
): void {
  api.decorateRequest('actor', null as unknown as Actor);
  api.addHook('onRequest', (request, _reply, done) => {
    const access = accessOf(request);
    if (access === 'public') {
      // Login too: a cross-site form could otherwise log a victim into the attacker's account.
      try {
        checkSameOrigin(request, publicUrl);
      } catch (error) {
        return done(error as Error);
      }
      return done();
    }
    const admit = (actor: Actor) => {
      request.actor = actor;
      checkAccess(actor, access);
    };
    let key: string | undefined;
    try {
      key = bearerKey(request);
      const known = key === undefined ? undefined : apiKeys.recall(key);
      if (known) {
        admit(known);
        return done();
      }
    } catch (error) {
      return done(error as Error);
    }
    authenticate(ctx, apiKeys, request, key, publicUrl)
      .then(admit)
      .then(() => done(), done);
  });
}

function checkAccess(actor: Actor, access: Access): void {
  if ((actor.role === 'site') !== (access === 'sync') && actor.role !== 'admin') {
    throw new ForbiddenError(
      actor.role === 'site'
        ? `${actor.name} is another site's key: it may only sync`
        : `${actor.name} is a ${actor.role}; only other sites' keys and admins may sync`,
    );
  }
  if (access === 'write' && !canWrite(actor.role)) {
    throw new ForbiddenError(`${actor.name} is a ${actor.role} and cannot make changes`);
  }
  if (access === 'admin' && actor.role !== 'admin') {
    throw new ForbiddenError(`${actor.name} is a ${actor.role}; only admins may do this`);
  }
}

function accessOf(request: FastifyRequest): Access {
  const declared = request.routeOptions.config.access;
  if (declared) return declared;
  return request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write';
}

/** The key of an `Authorization: Bearer <key>` header; undefined without the header. */
function bearerKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new AuthenticationError('expected "Bearer <API key>"', 'authorization');
  return match[1]!;
}

async function authenticate(
  ctx: Context,
  apiKeys: ApiKeyMemory,
  request: FastifyRequest,
  key: string | undefined,
  publicUrl: string | undefined,
): Promise<Actor> {
  if (key !== undefined) {
    const actor = await apiKeys.authenticate(key);
    if (!actor) throw new AuthenticationError('API key not recognised or revoked', 'authorization');
    return actor;
  }
  const token = request.cookies[SESSION_COOKIE];
  if (token) {
    checkSameOrigin(request, publicUrl);
    const actor = await authenticateSession(ctx, token);
    if (actor) return actor;
    throw new AuthenticationError('session expired: log in again', 'session');
  }
  throw new AuthenticationError(
    'log in, or send "Authorization: Bearer <API key>"',
    'authorization',
  );
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery: a browser sends the session cookie with a form or a `text/plain`
 * fetch from any page of the same site (a sibling port or subdomain; SameSite does not tell
 * those apart), so a cookie may change things only from the app's own origin. Browsers say
 * where a request comes from (Sec-Fetch-Site, else Origin); a request without either is not a
 * browser's cross-origin one. API keys are never sent by a browser on its own: not checked.
 * Public writes (login, logout) are checked whether a cookie came or not.
 */
function checkSameOrigin(request: FastifyRequest, publicUrl: string | undefined): void {
  if (SAFE_METHODS.has(request.method)) return;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') {
    throw new ForbiddenError(`a ${site} request may not use the session cookie`, 'origin');
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const host = hostOf(origin);
  if (host === request.host || (publicUrl !== undefined && host === hostOf(publicUrl))) return;
  throw new ForbiddenError(
    `a request from ${origin} may not use the session cookie of ${request.host}`,
    'origin',
  );
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
