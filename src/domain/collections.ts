/** Map.groupBy, which Node 20 lacks. */
export function groupBy<T, K>(items: Iterable<T>, key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = out.get(k);
    if (group) group.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Each value once, in the order first met: [3, 1, 3] → [3, 1]. */
export function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** `items` in the order of `codes`. */
export function sortedLike<T extends { code: string }>(codes: string[], items: T[]): T[] {
  const at = new Map(codes.map((c, i) => [c, i]));
  return [...items].sort((a, b) => at.get(a.code)! - at.get(b.code)!);
}

/** Strings in code-unit order, not the locale's: the same order on every machine. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** For `filter`: the values that are not null, typed so. */
export function isPresent<T>(value: T | null): value is T {
  return value !== null;
}

/** `fn` computed once per key. */
export function memo<K, V>(fn: (key: K) => V): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) {
      value = fn(key);
      known.set(key, value);
    }
    return value;
  };
}
