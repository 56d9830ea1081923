import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Context } from '../context.js';
import { NotFoundError } from '../domain/errors.js';
import { setSessionCookie } from './auth.hook.js';
import { SsoCallbackQuery, SsoInfo, SsoStartQuery } from './oidc.schemas.js';
import { OIDC_LOGIN_MS, SignOnRefusedError, type SingleSignOn } from './oidc.service.js';
import { refusedPage, SIGN_ON_PAGE_CSP } from './oidc-page.js';

/** The browser's login on its way through the provider; sent back only to the callback. */
export const OIDC_COOKIE = 'tracelot_oidc';
const CALLBACK_PATH = '/api/v1/auth/oidc';

export const oidcRoutes: FastifyPluginAsyncZod<{
  ctx: Context;
  sso: SingleSignOn | undefined;
}> = async (app, { ctx, sso }) => {
  const pub = { access: 'public' as const };
  app.get(
    '/auth/oidc',
    {
      config: pub,
      schema: {
        tags: ['auth'],
        summary: 'Whether single sign-on is set up, and the provider’s name for the login page',
        response: { 200: SsoInfo },
      },
    },
    () => ({ enabled: sso !== undefined, label: sso?.options.label ?? null }),
  );
  app.get(
    '/auth/oidc/start',
    {
      config: pub,
      schema: {
        tags: ['auth'],
        summary: 'Single sign-on: sends the browser to the provider (authorization code + PKCE)',
        querystring: SsoStartQuery,
        response: { 302: z.void().describe('to the provider’s authorization endpoint') },
      },
    },
    async (req, reply) => {
      if (!sso) throw notSetUp();
      try {
        const { cookie, url } = await sso.start(ctx, req.query.next);
        reply.setCookie(OIDC_COOKIE, cookie, {
          path: CALLBACK_PATH,
          httpOnly: true,
          sameSite: 'lax',
          secure: req.protocol === 'https',
          maxAge: OIDC_LOGIN_MS / 1000,
        });
        return reply.header('cache-control', 'no-store').redirect(url, 302);
      } catch (error) {
        return refused(req, reply, error);
      }
    },
  );
  app.get(
    '/auth/oidc/callback',
    {
      config: pub,
      schema: {
        tags: ['auth'],
        summary:
          'Single sign-on: where the provider sends the browser back; sets the session cookie and goes on to the page asked for, or shows why the sign-in was refused',
        querystring: SsoCallbackQuery,
        response: {
          303: z
            .void()
            .describe(
              'signed in: to the page asked for (refused: an HTML page with 400, 403, 409, 429 or 502 saying why)',
            ),
        },
      },
    },
    async (req, reply) => {
      if (!sso) throw notSetUp();
      reply.clearCookie(OIDC_COOKIE, { path: CALLBACK_PATH });
      reply.header('cache-control', 'no-store');
      const search = req.url.slice(req.url.indexOf('?') + 1 || req.url.length);
      try {
        const session = await sso.finish(ctx, req.cookies[OIDC_COOKIE], search, req.ip);
        setSessionCookie(req, reply, session);
        req.log.info(
          `single sign-on: ${JSON.stringify(session.actor.name)} as ${session.actor.role}`,
        );
        return reply.redirect(session.returnTo, 303);
      } catch (error) {
        return refused(req, reply, error);
      }
    },
  );
};

function notSetUp(): NotFoundError {
  return new NotFoundError(
    'single sign-on',
    'oidc',
    undefined,
    'single sign-on is not set up on this server (docs/sso.md)',
  );
}

function refused(req: FastifyRequest, reply: FastifyReply, error: unknown) {
  if (!(error instanceof SignOnRefusedError)) throw error;
  req.log.warn(`single sign-on refused from ${req.ip}: ${error.message}`);
  return reply
    .code(error.status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', SIGN_ON_PAGE_CSP)
    .header('x-frame-options', 'DENY')
    .serializer((body: string) => body)
    .send(refusedPage(error.message));
}
