import { performance } from 'node:perf_hooks';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Frees garbage left by the previous step, when node runs with --expose-gc (`npm run bench` does). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** An operation called with 0, 1, 2, …; it may return a promise, which is awaited. */
export type Op = (i: number) => unknown;

const CHECK_EVERY = 64;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

/** Runs `op` for about `ms` milliseconds; returns [operations, elapsed ms]. */
async function slice(op: Op, start: number, ms: number): Promise<[number, number]> {
  const t0 = performance.now();
  let n = 0;
  let elapsed = 0;
  do {
    for (let k = 0; k < CHECK_EVERY; k++) {
      const result = op(start + n++);
      if (isThenable(result)) await result;
    }
    elapsed = performance.now() - t0;
  } while (elapsed < ms);
  return [n, elapsed];
}

/**
 * Operations per second of each op, measured in alternating short slices (op A, op B, …, A, B,
 * …) so that a neighbour's load on the machine falls on all of them alike and the ratios hold.
 * A warm-up slice of each comes first and is not counted.
 */
export async function compareRates(
  ops: Op[],
  options: { rounds: number; sliceMs: number; warmupMs: number },
): Promise<number[]> {
  const counts = ops.map(() => 0);
  const times = ops.map(() => 0);
  for (const op of ops) await slice(op, 0, options.warmupMs);
  for (let round = 0; round < options.rounds; round++) {
    for (const [k, op] of ops.entries()) {
      collectGarbage();
      const [n, ms] = await slice(op, counts[k]!, options.sliceMs);
      counts[k]! += n;
      times[k]! += ms;
    }
  }
  return counts.map((n, k) => (n / times[k]!) * 1000);
}

/** Milliseconds an operation takes. */
export async function timeMs(op: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await op();
  return performance.now() - start;
}
