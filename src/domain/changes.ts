export type Changes = Record<string, { from: unknown; to: unknown }>;

/**
 * The columns of `patch` whose values differ from `row`: what to write and what to record.
 * Undefined values in the patch mean "leave as is".
 */
export function diffColumns<R extends object>(
  row: R,
  patch: { [K in keyof R]?: R[K] | undefined },
): { set: Partial<R>; changes: Changes } {
  const set: Partial<R> = {};
  const changes: Changes = {};
  for (const key of Object.keys(patch) as (keyof R & string)[]) {
    const value = patch[key];
    if (value === undefined || value === row[key]) continue;
    set[key] = value as R[typeof key];
    changes[key] = { from: row[key], to: value };
  }
  return { set, changes };
}
