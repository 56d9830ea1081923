import { now, withDb, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { mapUniqueViolation } from '../db/errors.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors.js';
import type { Actor, UserRole } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { diffColumns } from '../domain/changes.js';
import { appendHistory } from '../history/history.repository.js';
import { UserCreate, UserUpdate, type User, type UserCreated } from './auth.schemas.js';
import { loginStates, unlockUsername } from './login-throttle.service.js';
import { hashPassword, randomSecret } from './secrets.js';
import { deleteUserSessions } from './session.repository.js';
import { findApiKeyRow } from './api-key.repository.js';
import {
  countUsers,
  findUserByName,
  findUserBySubject,
  findUserRow,
  insertUser,
  listUserRows,
  lockActiveAdmins,
  updateUserRow,
  type UserRow,
} from './user.repository.js';

export const FIRST_ADMIN = 'admin';
const GENERATED_PASSWORD_LENGTH = 20;

export async function createUser(
  ctx: Context,
  actor: Actor,
  input: UserCreate,
): Promise<UserCreated> {
  const data = parseInput(UserCreate, input);
  const password = data.password ?? randomSecret(GENERATED_PASSWORD_LENGTH);
  const code = ctx.newCode();
  const at = now(ctx);
  const passwordHash = await hashPassword(password);
  await inTransaction(ctx.db, async (db) => {
    if (await findUserByName(db, data.username)) {
      throw usernameTaken(data.username);
    }
    await mapUniqueViolation(
      insertUser(db, {
        code,
        username: data.username,
        password_hash: passwordHash,
        role: data.role,
        created_at: at,
        disabled: 0,
      }),
      'app_user_username_unique',
      () => usernameTaken(data.username),
    );
    await appendHistory(db, actor, at, [
      { subjectCode: code, type: 'created', data: { username: data.username, role: data.role } },
    ]);
  });
  const user = await getUser(ctx, code);
  return data.password ? { user } : { user, password };
}

/**
 * On an empty database, creates the `admin` user with a random password and returns it (to be
 * printed once); otherwise returns undefined. Safe when several servers start at once: the
 * unique username index lets only one insert win.
 */
export async function ensureFirstAdmin(
  ctx: Context,
): Promise<{ username: string; password: string } | undefined> {
  if ((await countUsers(ctx.db)) > 0) return undefined;
  const system: Actor = { code: null, name: 'system', role: 'admin' };
  try {
    const created = await createUser(ctx, system, { username: FIRST_ADMIN, role: 'admin' });
    return { username: created.user.username, password: created.password! };
  } catch (error) {
    if ((await countUsers(ctx.db)) > 0) return undefined;
    throw error;
  }
}

export async function listUsers(ctx: Context): Promise<User[]> {
  return toUsers(ctx, await listUserRows(ctx.db));
}

/** `ref` is the user's code or username. */
export async function getUserRow(ctx: Context, ref: string): Promise<UserRow> {
  const row =
    (await findUserByName(ctx.db, ref)) ?? (await findUserRow(ctx.db, ref.trim().toLowerCase()));
  if (!row) throw new NotFoundError('user', ref, 'user');
  return row;
}

export async function updateUser(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: UserUpdate,
): Promise<User> {
  const data = parseInput(UserUpdate, input);
  const code = await inTransaction(ctx.db, async (db) => {
    const tctx = withDb(ctx, db);
    const row = await getUserRow(tctx, ref);
    const disabled = data.disabled === undefined ? undefined : data.disabled ? 1 : 0;
    const { set, changes } = diffColumns(row, { role: data.role, disabled });
    const losesAdmin =
      row.role === 'admin' && row.disabled === 0 && (set.role !== undefined || set.disabled === 1);
    if (losesAdmin && (await lockActiveAdmins(db)).filter((c) => c !== row.code).length === 0) {
      throw new ConflictError(
        'this is the last admin: make another user admin first',
        data.role ? 'role' : 'disabled',
      );
    }
    if (data.password && row.oidc_subject !== null) {
      throw new ConflictError(
        `${row.username} signs in through single sign-on and has no password here`,
        'password',
      );
    }
    if (data.password) {
      set.password_hash = await hashPassword(data.password);
      changes.password = { from: '***', to: '***' };
    }
    if (Object.keys(changes).length === 0) return row.code;
    const at = now(ctx);
    await updateUserRow(db, row.code, set);
    // A new password or a disabled account ends the user's sessions.
    if (set.password_hash || set.disabled === 1) await deleteUserSessions(db, row.code);
    await appendHistory(db, actor, at, [{ subjectCode: row.code, type: 'updated', data: changes }]);
    return row.code;
  });
  return getUser(ctx, code);
}

/**
 * Replaces a hash of an older cost with one of today's, at a login that proved the password: a
 * change of the user's record like any other, so logged, with the user as its actor.
 */
export async function rehashPassword(ctx: Context, user: UserRow, password: string) {
  const passwordHash = await hashPassword(password);
  const actor: Actor = { code: user.code, name: user.username, role: user.role };
  await inTransaction(ctx.db, async (db) => {
    await updateUserRow(db, user.code, { password_hash: passwordHash });
    await appendHistory(db, actor, now(ctx), [
      {
        subjectCode: user.code,
        type: 'updated',
        data: { passwordHash: { from: 'an older cost', to: "today's cost" } },
      },
    ]);
  });
}

/** Sets a new random password and returns it (for `tracelot user reset-password`). */
export async function resetPassword(
  ctx: Context,
  actor: Actor,
  ref: string,
): Promise<{ user: User; password: string }> {
  const password = randomSecret(GENERATED_PASSWORD_LENGTH);
  const user = await updateUser(ctx, actor, ref, { password });
  return { user, password };
}

/** Who a single sign-on provider says is logging in, and the role its claims give. */
export interface ProviderIdentity {
  issuer: string;
  subject: string;
  /** Names the user may take at the first login, in order (preferred_username, email). */
  usernames: string[];
  role: UserRole;
}

/**
 * The user of a single sign-on: found by the provider's issuer and subject (never by name),
 * created at the first login with no local password, and given the role the provider's claims
 * map to at every login (a change at the provider takes effect at the next one). Both are
 * changes of the user's record, logged with the user as the actor.
 */
export async function userFromProvider(ctx: Context, identity: ProviderIdentity): Promise<UserRow> {
  const at = now(ctx);
  const code = await inTransaction(ctx.db, async (db) => {
    const row = await findUserBySubject(db, identity.issuer, identity.subject);
    if (!row) return createProviderUser(withDb(ctx, db), identity, at);
    if (row.disabled === 1)
      throw new ForbiddenError(
        `${row.username} is disabled here: ask an admin of Tracelot`,
        'user',
      );
    if (row.role === identity.role) return row.code;
    if (row.role === 'admin' && (await lockActiveAdmins(db)).every((c) => c === row.code)) {
      throw new ConflictError(
        `${row.username} is the last admin here and the provider now makes them ${identity.role}: make another user admin first`,
        'role',
      );
    }
    await updateUserRow(db, row.code, { role: identity.role });
    const actor: Actor = { code: row.code, name: row.username, role: identity.role };
    await appendHistory(db, actor, at, [
      {
        subjectCode: row.code,
        type: 'updated',
        data: { role: { from: row.role, to: identity.role } },
      },
    ]);
    return row.code;
  });
  return (await findUserRow(ctx.db, code))!;
}

async function createProviderUser(
  ctx: Context,
  identity: ProviderIdentity,
  at: string,
): Promise<string> {
  const { db } = ctx;
  let username: string | undefined;
  for (const name of identity.usernames) {
    if (!(await findUserByName(db, name))) {
      username = name;
      break;
    }
  }
  if (username === undefined) {
    throw new ConflictError(
      identity.usernames.length === 0
        ? 'the provider gave no usable name (preferred_username or email: letters, digits and . _ @ - only)'
        : `a user named '${identity.usernames.join("' or '")}' exists already here: an admin must rename or remove it first`,
      'username',
    );
  }
  const code = ctx.newCode();
  const taken = () => usernameTaken(username);
  await mapUniqueViolation(
    mapUniqueViolation(
      insertUser(db, {
        code,
        username,
        // No local password: nothing verifies against an empty hash (secrets.ts).
        password_hash: '',
        role: identity.role,
        created_at: at,
        disabled: 0,
        oidc_issuer: identity.issuer,
        oidc_subject: identity.subject,
      }),
      'app_user_username_unique',
      taken,
    ),
    'app_user_oidc_subject',
    () => new ConflictError('this login is being made at the same time: try again', 'user'),
  );
  const actor: Actor = { code, name: username, role: identity.role };
  await appendHistory(db, actor, at, [
    {
      subjectCode: code,
      type: 'created',
      data: { username, role: identity.role, issuer: identity.issuer },
    },
  ]);
  return code;
}

function usernameTaken(username: string): ConflictError {
  return new ConflictError(`a user named '${username}' exists already`, 'username');
}

/** Users as the API shows them, with their failed logins and lock. */
async function toUsers(ctx: Context, rows: UserRow[]): Promise<User[]> {
  const states = await loginStates(
    ctx,
    rows.map((r) => r.username),
  );
  return rows.map((row) => ({
    code: row.code,
    username: row.username,
    role: row.role,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    sso: row.oidc_subject !== null,
    failedLogins: states.get(row.username.toLowerCase())?.failedLogins ?? 0,
    locked: states.get(row.username.toLowerCase())?.locked ?? false,
  }));
}

async function getUser(ctx: Context, code: string): Promise<User> {
  return (await toUsers(ctx, [(await findUserRow(ctx.db, code))!]))[0]!;
}

/** Lifts the lock of a user that failed to log in too often, and forgets the failures. */
export async function unlockUser(ctx: Context, actor: Actor, ref: string): Promise<User> {
  const row = await getUserRow(ctx, ref);
  const before = await getUser(ctx, row.code);
  await inTransaction(ctx.db, async (db) => {
    if (!(await unlockUsername(withDb(ctx, db), row.username)))
      throw new ConflictError(`${row.username} has no failed logins to clear`, 'code');
    const changes = {
      locked: { from: before.locked, to: false },
      failedLogins: { from: before.failedLogins, to: 0 },
    };
    await appendHistory(db, actor, now(ctx), [
      { subjectCode: row.code, type: 'updated', data: changes },
    ]);
  });
  return getUser(ctx, row.code);
}

/** Whether the code is a user's or an API key's: their history is for admins only. */
export async function isAccount(ctx: Context, code: string): Promise<boolean> {
  const [user, key] = await Promise.all([findUserRow(ctx.db, code), findApiKeyRow(ctx.db, code)]);
  return user !== undefined || key !== undefined;
}
