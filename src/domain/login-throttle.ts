/**
 * How failed logins slow down guessing. Per username: a few free tries, then a wait that doubles
 * with every failure, and a lock an admin lifts. Per client address (many users behind one
 * office router): more free tries and the same waits, never a lock. Failures older than the
 * window are forgotten, unless the username is locked.
 */
export const LOGIN_THROTTLE = {
  user: { free: 5, lockAfter: 20 },
  address: { free: 20 },
  firstDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  windowMs: 60 * 60_000,
} as const;

/**
 * How long after the last of `failures` failures the next try must wait: nothing for the first
 * `free` ones, then 1 s, 2 s, 4 s … at most 15 minutes (5 free: the 6th failure makes the next
 * try wait 2 s).
 */
export function loginDelayMs(failures: number, free: number): number {
  if (failures < free) return 0;
  const doublings = Math.min(failures - free, 30);
  return Math.min(LOGIN_THROTTLE.firstDelayMs * 2 ** doublings, LOGIN_THROTTLE.maxDelayMs);
}
