import type { LiveEvent } from '@domain/live-events.js';
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { useSession } from '../auth/session.js';

type Listener = (event: LiveEvent | 'reset') => void;

/**
 * One EventSource per tab, shared by every page that listens: a browser allows few connections
 * per server (six over HTTP/1.1), so a tab must not open one per page or section. It opens with
 * the first listener and closes a few seconds after the last leaves (a page change keeps it).
 * The browser reconnects by itself, sending the Last-Event-ID, and the server sends what was
 * missed meanwhile.
 */
const shared: {
  source: EventSource | undefined;
  url: string | undefined;
  listeners: Set<Listener>;
  closing: ReturnType<typeof setTimeout> | undefined;
} = { source: undefined, url: undefined, listeners: new Set(), closing: undefined };

function listen(url: string, listener: Listener): () => void {
  clearTimeout(shared.closing);
  if (shared.source && shared.url !== url) {
    shared.source.close();
    shared.source = undefined;
  }
  if (!shared.source) {
    const source = new EventSource(url);
    source.onmessage = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as LiveEvent;
      for (const l of [...shared.listeners]) l(event);
    };
    // The server could not resume where this tab was (a restore, or too far behind): refetch.
    source.addEventListener('reset', () => {
      for (const l of [...shared.listeners]) l('reset');
    });
    shared.source = source;
    shared.url = url;
  }
  shared.listeners.add(listener);
  return () => {
    shared.listeners.delete(listener);
    if (shared.listeners.size > 0) return;
    shared.closing = setTimeout(() => {
      shared.source?.close();
      shared.source = undefined;
    }, 5000);
  };
}

/** When and by whom what a page shows last changed elsewhere. */
export interface LiveUpdate {
  at: string;
  by: string;
}

/**
 * Calls `refetch` when a live event concerns one of `codes` (as a subject, or as the build of
 * one) — a stage completed, a test recorded, a unit shipped by another user or a test station —
 * and says when that last happened, for a quiet "updated" line. Events that come together (a
 * burst of test results) refetch once.
 */
export function useLiveEvents(codes: readonly string[], refetch: () => void): LiveUpdate | null {
  const api = useApi();
  const [update, setUpdate] = useState<LiveUpdate | null>(null);
  // The latest codes and refetch, read when an event comes, without listening again each render.
  const { me } = useSession();
  const latest = useRef({ codes, refetch, me });
  latest.current = { codes, refetch, me };

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unlisten = listen(api.eventsUrl, (event) => {
      if (event !== 'reset') {
        const mine = new Set(latest.current.codes);
        if (![...event.subjects, ...event.builds].some((c) => mine.has(c))) return;
        // A change made by this user (here, where the page reloads after it, or on another
        // device) refetches without the "updated elsewhere" line.
        const me = latest.current.me;
        if (!me || event.actor.code !== me.code || event.actor.name !== me.name)
          setUpdate({ at: event.at, by: event.actor.name });
      }
      clearTimeout(timer);
      timer = setTimeout(() => latest.current.refetch(), 150);
    });
    return () => {
      clearTimeout(timer);
      unlisten();
    };
    // One listener for the page's life; codes and refetch are read through `latest`.
  }, [api.eventsUrl]);

  return update;
}
