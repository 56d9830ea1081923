import type { Context } from '../context.js';
import { TooManyAttemptsError } from '../domain/errors.js';
import { LOGIN_THROTTLE, loginDelayMs } from '../domain/login-throttle.js';
import {
  countFailure,
  deleteThrottle,
  findThrottles,
  lockThrottle,
  uncountFailure,
  type ThrottleRow,
} from './login-throttle.repository.js';

/** A try that may go ahead; its failure is counted already (see claimLoginAttempt). */
export interface LoginAttempt {
  /** Undefined for a single sign-on, whose username is not known before the provider answers. */
  userKey: string | undefined;
  addressKey: string;
  /** Failures counted for the username and the address, this try included. */
  failures: { user: number; address: number };
}

export const userThrottleKey = (username: string) => `user:${username.trim().toLowerCase()}`;

/** How often a try re-reads the counts when other requests counted first. */
const MAX_ROUNDS = 20;

/**
 * Lets a login try go ahead, or throws TooManyAttemptsError (wait, or the username is locked).
 * The try is counted as a failure before the password is checked — a guarded update, so that
 * parallel tries on several servers are counted one by one and wait their turn — and taken
 * back by `loginSucceeded`.
 */
export async function claimLoginAttempt(
  ctx: Context,
  username: string | null,
  address: string,
): Promise<LoginAttempt> {
  // null: a single sign-on, throttled by the client's address only (the provider throttles the
  // guessing of its own passwords).
  const userKey = username === null ? undefined : userThrottleKey(username);
  const addressKey = `address:${address}`;
  const now = ctx.clock().getTime();
  const at = new Date(now).toISOString();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const rows = await findThrottles(ctx.db, userKey ? [userKey, addressKey] : [addressKey]);
    const user = rows.find((r) => r.key === userKey);
    const addr = rows.find((r) => r.key === addressKey);
    if (user?.locked)
      throw new TooManyAttemptsError(
        `locked after ${user.failures} failed logins: an admin can unlock it`,
        'username',
      );
    const userFailures = current(user, now);
    const addressFailures = current(addr, now);
    const wait = Math.max(
      waitMs(user, userFailures, LOGIN_THROTTLE.user.free, now),
      waitMs(addr, addressFailures, LOGIN_THROTTLE.address.free, now),
    );
    if (wait > 0) throw tooSoon(wait);
    if (userKey && !(await countFailure(ctx.db, userKey, user, userFailures + 1, at))) continue;
    if (!(await countFailure(ctx.db, addressKey, addr, addressFailures + 1, at))) {
      if (userKey) await uncountFailure(ctx.db, userKey);
      continue;
    }
    return {
      userKey,
      addressKey,
      failures: { user: userFailures + 1, address: addressFailures + 1 },
    };
  }
  throw tooSoon(LOGIN_THROTTLE.firstDelayMs);
}

/** The password was right: the username's failures are forgotten, the address's try taken back. */
export async function loginSucceeded(ctx: Context, attempt: LoginAttempt): Promise<void> {
  if (attempt.userKey) await deleteThrottle(ctx.db, attempt.userKey);
  await uncountFailure(ctx.db, attempt.addressKey);
}

/** The password was wrong: the failure stays counted; enough of them lock the username. */
export async function loginFailed(ctx: Context, attempt: LoginAttempt): Promise<void> {
  if (attempt.userKey && attempt.failures.user >= LOGIN_THROTTLE.user.lockAfter)
    await lockThrottle(ctx.db, attempt.userKey);
}

/** Lifts the lock and the failures of a username; false if there were none. */
export function unlockUsername(ctx: Context, username: string): Promise<boolean> {
  return deleteThrottle(ctx.db, userThrottleKey(username));
}

/** Failed logins that still count, and the lock, of each username (lower case). */
export async function loginStates(
  ctx: Context,
  usernames: readonly string[],
): Promise<Map<string, { failedLogins: number; locked: boolean }>> {
  const rows = await findThrottles(ctx.db, usernames.map(userThrottleKey));
  const now = ctx.clock().getTime();
  return new Map(
    rows.map((r) => [
      r.key.slice('user:'.length),
      { failedLogins: current(r, now), locked: r.locked === 1 },
    ]),
  );
}

/** Failures that still count: those within the window (all of them while locked). */
function current(row: ThrottleRow | undefined, now: number): number {
  if (!row) return 0;
  const age = now - Date.parse(row.last_failure_at);
  return row.locked || age < LOGIN_THROTTLE.windowMs ? row.failures : 0;
}

function waitMs(row: ThrottleRow | undefined, failures: number, free: number, now: number) {
  if (!row || failures === 0) return 0;
  return Date.parse(row.last_failure_at) + loginDelayMs(failures, free) - now;
}

function tooSoon(waitMs: number): TooManyAttemptsError {
  const seconds = Math.ceil(waitMs / 1000);
  return new TooManyAttemptsError(
    `too many failed logins: try again in ${seconds} s`,
    'password',
    seconds,
  );
}
