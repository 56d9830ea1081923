import type { FileStore } from '../attachments/file-store.js';
import type { Context } from '../context.js';
import { syncPeers } from './peer.service.js';

/**
 * `tracelot serve --sync-every 5m`: syncs with every added site on a timer. A round that is still
 * running when the next is due is not overlapped; a failing site is told and tried next round
 * (each sync starts from what both sides hold, so nothing is lost by a missed round).
 */
export function scheduleSync(
  ctx: Context,
  store: FileStore,
  everyMs: number,
  print: (line: string) => void,
): () => Promise<void> {
  let running: Promise<void> | null = null;
  const round = async () => {
    for (const r of await syncPeers(ctx, store)) {
      if (r.error) print(`Sync with ${r.site.name} failed: ${r.error}`);
      else if (r.sent!.records.applied + r.received!.records.applied > 0)
        print(
          `Synced with ${r.site.name}: sent ${r.sent!.records.applied}, received ${r.received!.records.applied} records${r.sent!.conflicts + r.received!.conflicts ? `, ${r.sent!.conflicts + r.received!.conflicts} conflicts` : ''}`,
        );
    }
  };
  const timer = setInterval(() => {
    running ??= round()
      .catch((error: unknown) => print(`Sync failed: ${String(error)}`))
      .finally(() => (running = null));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
