import { randomBytes } from 'node:crypto';
import { now, type Context } from '../context.js';
import { AuthenticationError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { Login } from './auth.schemas.js';
import {
  claimLoginAttempt,
  loginFailed,
  loginSucceeded,
  type LoginAttempt,
} from './login-throttle.service.js';
import { hashPassword, needsRehash, sha256, verifyPassword } from './secrets.js';
import {
  deleteExpiredSessions,
  deleteSession,
  findSessionUser,
  insertSession,
} from './session.repository.js';
import { findUserByName, type UserRow } from './user.repository.js';
import { rehashPassword } from './user.service.js';

export const SESSION_DAYS = 30;

/** A wrong username or password, with the failures counted so far (for the server log). */
export class LoginFailedError extends AuthenticationError {
  constructor(readonly failures: LoginAttempt['failures']) {
    super('wrong username or password', 'password');
  }
}

/**
 * Checks a password and opens a session; returns the token for the cookie. Tries are throttled
 * per username and per client `address` (see claimLoginAttempt); a hash of an older cost is
 * replaced by one of today's.
 */
export async function login(ctx: Context, input: Login, address = 'local'): Promise<OpenedSession> {
  const data = parseInput(Login, input);
  const attempt = await claimLoginAttempt(ctx, data.username, address);
  const user = await findUserByName(ctx.db, data.username.trim());
  // Same answer, and the same work, for unknown users and wrong passwords: the time taken
  // must not tell which usernames exist. Unknown usernames are throttled and locked alike.
  const hash = user?.password_hash ?? (await dummyHash());
  const ok =
    (await verifyPassword(data.password, hash)) && user !== undefined && user.disabled === 0;
  if (!user || !ok) {
    await loginFailed(ctx, attempt);
    throw new LoginFailedError(attempt.failures);
  }
  await loginSucceeded(ctx, attempt);
  if (needsRehash(user.password_hash)) await rehashPassword(ctx, user, data.password);
  return openSession(ctx, user);
}

export interface OpenedSession {
  token: string;
  actor: Actor;
  expiresAt: Date;
}

/** A session of a user who proved who they are (a password, or the single sign-on provider). */
export async function openSession(ctx: Context, user: UserRow): Promise<OpenedSession> {
  const token = randomBytes(32).toString('base64url');
  const created = ctx.clock();
  const expiresAt = new Date(created.getTime() + SESSION_DAYS * 86_400_000);
  await deleteExpiredSessions(ctx.db, created.toISOString());
  await insertSession(ctx.db, {
    token_hash: sha256(token),
    user_code: user.code,
    created_at: created.toISOString(),
    expires_at: expiresAt.toISOString(),
  });
  return {
    token,
    actor: { code: user.code, name: user.username, role: user.role },
    expiresAt,
  };
}

let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}

export async function logout(ctx: Context, token: string): Promise<void> {
  await deleteSession(ctx.db, sha256(token));
}

export async function authenticateSession(ctx: Context, token: string): Promise<Actor | undefined> {
  const user = await findSessionUser(ctx.db, sha256(token), now(ctx));
  return user && { code: user.code, name: user.username, role: user.role };
}
