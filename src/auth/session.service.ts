import { randomBytes } from 'node:crypto';
import { now, type Context } from '../context.js';
import { AuthenticationError } from '../domain/errors.js';
import type { Actor, Role } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { Login } from './auth.schemas.js';
import { hashPassword, sha256, verifyPassword } from './secrets.js';
import {
  deleteExpiredSessions,
  deleteSession,
  findSessionUser,
  insertSession,
} from './session.repository.js';
import { findUserByName } from './user.repository.js';

export const SESSION_DAYS = 30;

/** Checks a password and opens a session; returns the token for the cookie. */
export async function login(
  ctx: Context,
  input: Login,
): Promise<{ token: string; actor: Actor; expiresAt: Date }> {
  const data = parseInput(Login, input);
  const user = await findUserByName(ctx.db, data.username.trim());
  // Same answer, and the same work, for unknown users and wrong passwords: the time taken
  // must not tell which usernames exist.
  const hash = user?.password_hash ?? (await dummyHash());
  const ok =
    (await verifyPassword(data.password, hash)) && user !== undefined && user.disabled === 0;
  if (!user || !ok) throw new AuthenticationError('wrong username or password', 'password');
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
    actor: { code: user.code, name: user.username, role: user.role as Role },
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
  return user && { code: user.code, name: user.username, role: user.role as Role };
}
