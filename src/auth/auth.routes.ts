import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Context } from '../context.js';
import { CodeParams } from '../domain/common.schemas.js';
import { SESSION_COOKIE, setSessionCookie } from './auth.hook.js';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyMemory } from './api-key.service.js';
import {
  ApiKey,
  ApiKeyCreate,
  ApiKeyCreated,
  Login,
  Me,
  PasswordReset,
  User,
  UserCreate,
  UserCreated,
  UserUpdate,
} from './auth.schemas.js';
import { LoginFailedError, login, logout } from './session.service.js';
import { createUser, listUsers, resetPassword, unlockUser, updateUser } from './user.service.js';

export const authRoutes: FastifyPluginAsyncZod<{ ctx: Context; apiKeys: ApiKeyMemory }> = async (
  app,
  { ctx, apiKeys },
) => {
  app.post(
    '/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Log in: sets an HttpOnly session cookie',
        body: Login,
        response: { 200: Me },
      },
    },
    async (req, reply) => {
      const session = await login(ctx, req.body, req.ip).catch((error: unknown) => {
        if (error instanceof LoginFailedError) {
          // Quoted: a username may hold a line break, which must not forge a log line.
          const { user, address } = error.failures;
          req.log.warn(
            `login failed: ${JSON.stringify(req.body.username)} from ${req.ip} (failures in the last hour: ${user} of the username, ${address} of the address)`,
          );
        }
        throw error;
      });
      setSessionCookie(req, reply, session);
      return { ...session.actor, via: 'session' as const };
    },
  );
  app.post(
    '/auth/logout',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'Log out', response: { 204: z.null() } },
    },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await logout(ctx, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/auth/me',
    { schema: { tags: ['auth'], summary: 'Who is calling', response: { 200: Me } } },
    (req) => ({
      ...req.actor,
      via: req.headers.authorization ? ('api_key' as const) : ('session' as const),
    }),
  );

  const admin = { access: 'admin' as const };
  app.get(
    '/users',
    {
      config: admin,
      schema: {
        tags: ['users'],
        summary: 'List users',
        response: { 200: z.object({ items: z.array(User) }) },
      },
    },
    async () => ({
      items: await listUsers(ctx),
    }),
  );
  app.post(
    '/users',
    {
      config: admin,
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: UserCreate,
        response: { 201: UserCreated },
      },
    },
    async (req, reply) => reply.code(201).send(await createUser(ctx, req.actor, req.body)),
  );
  app.patch(
    '/users/:code',
    {
      config: admin,
      schema: {
        tags: ['users'],
        summary: 'Change role, password or disable',
        params: CodeParams,
        body: UserUpdate,
        response: { 200: User },
      },
    },
    (req) => updateUser(ctx, req.actor, req.params.code, req.body),
  );
  app.post(
    '/users/:code/unlock',
    {
      config: admin,
      schema: {
        tags: ['users'],
        summary: 'Unlock a user locked after failed logins (and forget the failures)',
        params: CodeParams,
        response: { 200: User },
      },
    },
    (req) => unlockUser(ctx, req.actor, req.params.code),
  );
  app.post(
    '/users/:code/reset-password',
    {
      config: admin,
      schema: {
        tags: ['users'],
        summary: 'Give a user a new random password, returned once; their sessions end',
        params: CodeParams,
        response: { 200: PasswordReset },
      },
    },
    (req) => resetPassword(ctx, req.actor, req.params.code),
  );
  app.get(
    '/api-keys',
    {
      config: admin,
      schema: {
        tags: ['api keys'],
        summary: 'List API keys',
        response: { 200: z.object({ items: z.array(ApiKey) }) },
      },
    },
    async () => ({ items: await listApiKeys(ctx) }),
  );
  app.post(
    '/api-keys',
    {
      config: admin,
      schema: {
        tags: ['api keys'],
        summary: 'Create an API key (shown once)',
        body: ApiKeyCreate,
        response: { 201: ApiKeyCreated },
      },
    },
    async (req, reply) => reply.code(201).send(await createApiKey(ctx, req.actor, req.body)),
  );
  app.delete(
    '/api-keys/:code',
    {
      config: admin,
      schema: {
        tags: ['api keys'],
        summary: 'Revoke an API key',
        params: CodeParams,
        response: { 200: ApiKey },
      },
    },
    async (req) => {
      const revoked = await revokeApiKey(ctx, req.actor, req.params.code);
      // This server stops accepting the key now; others within API_KEY_MEMORY_MS.
      apiKeys.forget();
      return revoked;
    },
  );
};
