import { useEffect, useState } from 'react';

export interface Loaded<T> {
  /** The latest answer; while a newer load runs, the previous one (lists stay on screen). */
  data: T | undefined;
  /** The error of the load for the current `deps`, if it failed. */
  error: unknown;
  /** True until the load for the current `deps` has answered. */
  loading: boolean;
  /** Loads again (after a change), keeping the current data on screen meanwhile. */
  reload(): void;
}

interface State<T> {
  data?: T;
  error?: unknown;
  /** The deps the answer belongs to. */
  for?: readonly unknown[];
}

/**
 * Runs `load` when `deps` change and keeps its answer or error. A newer load aborts the
 * older one, so a slow answer never overwrites a newer one.
 */
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): Loaded<T> {
  const [state, setState] = useState<State<T>>({});
  const [round, setRound] = useState(0);
  const key = [...deps, round];

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, for: key });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState((s) => ({ data: s.data, error, for: key }));
      },
    );
    return () => controller.abort();
    // `load` is a new closure on every render: `deps` name what it depends on.
  }, key);

  const current = state.for !== undefined && sameList(state.for, key);
  return {
    data: state.data,
    error: current ? state.error : undefined,
    loading: !current,
    reload: () => setRound((r) => r + 1),
  };
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}
