import { useEffect, useState } from 'react';
import type { PickLine, PickList } from '../../api/types.js';

/** A line of a pick list: one lot of one entry at one location. */
export function pickLineKey(location: string, line: PickLine): string {
  return `${line.stage}:${line.entryNo}:${line.lot.code}@${location}`;
}

/**
 * The lines ticked off on a pick list, kept in this browser's localStorage per build and stage
 * (a reload, or the phone locking, keeps them). Only the ticks are stored: the list itself is
 * always read fresh from the server.
 */
export function usePickTicks(build: string, stage: number | undefined) {
  const storageKey = `tracelot.pick.${build}.${stage ?? 'all'}`;
  const [ticked, setTicked] = useState<Set<string>>(() => read(storageKey));
  useEffect(() => setTicked(read(storageKey)), [storageKey]);

  const toggle = (key: string) => {
    const next = new Set(ticked);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setTicked(next);
    try {
      localStorage.setItem(storageKey, JSON.stringify([...next]));
    } catch {
      // Storage full or disabled: the ticks still hold until the page is left.
    }
  };
  const has = (key: string) => ticked.has(key);
  const count = (list: PickList) =>
    list.locations.reduce(
      (n, g) => n + g.lines.filter((l) => ticked.has(pickLineKey(g.location.code, l))).length,
      0,
    );
  return { has, toggle, count };
}

function read(key: string): Set<string> {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
    return new Set(Array.isArray(stored) ? stored.filter((k) => typeof k === 'string') : []);
  } catch {
    return new Set();
  }
}
