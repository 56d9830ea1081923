import { useEffect, useState } from 'react';

/**
 * A list kept in sessionStorage under `key`: it survives going to another page and back (e.g.
 * to ship the collected units), and ends with the browser tab. Unreadable contents start empty.
 */
export function useSessionList<T>(key: string): [T[], (update: (list: T[]) => T[]) => void] {
  const [list, setList] = useState<T[]>(() => {
    try {
      const stored: unknown = JSON.parse(sessionStorage.getItem(key) ?? '[]');
      return Array.isArray(stored) ? (stored as T[]) : [];
    } catch {
      return [];
    }
  });
  useEffect(() => {
    try {
      sessionStorage.setItem(key, JSON.stringify(list));
    } catch {
      // Storage full or disabled (private mode): the list still works for this page.
    }
  }, [key, list]);
  return [list, setList];
}
