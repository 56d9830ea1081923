import { Readable } from 'node:stream';
import type { FileStore } from '../attachments/file-store.js';
import { now, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { addSiteRow, findLocalSiteRow, listSiteRows } from '../db/site.repository.js';
import { bindKeySite, keySite } from '../auth/api-key.repository.js';
import {
  listPeerRows,
  notePeerSync,
  oldestRecordBeyond,
  readVector,
  savePeerRow,
  type Vector,
} from '../db/sync-rows.js';
import { isCanonicalCode } from '../domain/code.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import { applyBundle } from './bundle-apply.service.js';
import { linesOf } from './bundle.js';
import type { ApplyResult } from './peer.schemas.js';
import { bundleLines, bundleText } from './bundle-write.service.js';
import { PeerAdd, type Peer, type PeerSync } from './peer.schemas.js';

/** The header in which a syncing site names itself. */
export const SITE_HEADER = 'tracelot-site';

/**
 * Lets a site sync here: an admin, or a key of the `site` role used by the site it belongs to.
 * Such a key belongs to the first site that syncs with it (a logged change of the key); any
 * other site sending it is refused, so a key copied to a third site is useless there.
 */
export async function admitSite(ctx: Context, actor: Actor, site: string | undefined) {
  if (actor.role !== 'site' || !actor.code) return;
  if (!site || !isCanonicalCode(site))
    throw new ValidationError(
      SITE_HEADER,
      "send the syncing site's id in the Tracelot-Site header",
    );
  let bound = await keySite(ctx.db, actor.code);
  if (bound === null) {
    const at = now(ctx);
    await inTransaction(ctx.db, async (db) => {
      if (await bindKeySite(db, actor.code!, site))
        await appendHistory(db, actor, at, [
          { subjectCode: actor.code!, type: 'updated', data: { site: { from: null, to: site } } },
        ]);
    });
    bound = await keySite(ctx.db, actor.code);
  }
  if (bound !== site)
    throw new ForbiddenError(
      `this key belongs to site ${bound}: another site may not use it (a site restored from a backup has a new id: give it a new key)`,
      'authorization',
    );
}

/** This site's id and name, and what it holds: what a peer asks before it sends. */
export async function siteVector(ctx: Context) {
  const site = await findLocalSiteRow(ctx.db);
  return { site: { id: site.id, name: site.name }, vector: await readVector(ctx.db) };
}

/**
 * Adds (or updates) a site to sync with over HTTPS: asks it who it is with the key it gave,
 * which also binds that key to this site there.
 */
export async function addPeer(ctx: Context, input: PeerAdd): Promise<Peer> {
  const { name, url, key } = parseInput(PeerAdd, input);
  const remote = await new PeerClient(ctx, url, key).vector();
  const sites = await listSiteRows(ctx.db);
  if (sites.find((s) => s.local === 1)?.id === remote.site.id)
    throw new ValidationError('url', `${url} is this site`);
  if (!sites.some((s) => s.id === remote.site.id)) {
    const taken = sites.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (taken) throw new ConflictError(`a site named ${taken.name} is known already`, 'name');
    await addSiteRow(ctx.db, { id: remote.site.id, name });
  }
  await savePeerRow(ctx.db, { site_id: remote.site.id, url, api_key: key, added_at: now(ctx) });
  return (await listPeers(ctx)).find((p) => p.site.id === remote.site.id)!;
}

export async function listPeers(ctx: Context): Promise<Peer[]> {
  return (await listPeerRows(ctx.db)).map((r) => ({
    site: { id: r.site_id, name: r.name },
    url: r.url,
    addedAt: r.added_at,
    lastSyncAt: r.last_sync_at,
    lastResult: r.last_result ? (JSON.parse(r.last_result) as Peer['lastResult']) : null,
  }));
}

/**
 * Syncs with every peer, or the one named: sends it what it lacks, then applies what this site
 * lacks of it. Each direction is one bundle applied in one transaction; an interrupted sync has
 * applied each bundle whole or not at all, and the next one starts from what each side holds.
 */
export async function syncPeers(
  ctx: Context,
  store: FileStore,
  name?: string,
  onProgress: (what: string) => void = () => undefined,
): Promise<PeerSync[]> {
  const peers = (await listPeerRows(ctx.db)).filter(
    (p) => name === undefined || p.name.toLowerCase() === name.toLowerCase() || p.site_id === name,
  );
  if (name !== undefined && peers.length === 0)
    throw new NotFoundError(
      'site',
      `no site named ${name} to sync with: add it with tracelot site add`,
    );
  const results: PeerSync[] = [];
  for (const peer of peers) {
    const site = { id: peer.site_id, name: peer.name };
    const client = new PeerClient(ctx, peer.url, peer.api_key);
    const say = (what: string) => onProgress(`${peer.name}: ${what}`);
    try {
      const theirs = await client.vector();
      if (theirs.site.id !== peer.site_id)
        throw new ConflictError(`${peer.url} is now site ${theirs.site.id}, not ${peer.site_id}`);
      say('sending');
      const sent = await client.push(
        bundleLines(ctx.db, store, theirs.vector, { onProgress: say }),
      );
      say('receiving');
      const received = await client.pull(await readVector(ctx.db), (lines) =>
        applyBundle(ctx.db, store, lines, say),
      );
      results.push({ site, sent, received });
      await notePeerSync(ctx.db, peer.site_id, now(ctx), {
        ok: true,
        sent: sent.records.applied,
        received: received.records.applied,
        conflicts: sent.conflicts + received.conflicts,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results.push({ site, error: message });
      await notePeerSync(ctx.db, peer.site_id, now(ctx), { ok: false, error: message });
    }
  }
  return results;
}

/** Another site's sync API (src/sync/sync.routes.ts), reached with the key it gave this site. */
class PeerClient {
  private readonly base: string;
  constructor(
    private readonly ctx: Context,
    url: string,
    private readonly key: string,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  private async headers(extra: Record<string, string> = {}) {
    const local = await findLocalSiteRow(this.ctx.db);
    return { authorization: `Bearer ${this.key}`, [SITE_HEADER]: local.id, ...extra };
  }

  private async request(path: string, init: RequestInit): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/api/v1${path}`, init);
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      throw new ConflictError(`${this.base} cannot be reached: ${cause ?? String(error)}`, 'url');
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      throw new ConflictError(
        `${this.base} answered ${res.status}: ${body?.error?.message ?? res.statusText}`,
        'url',
      );
    }
    return res;
  }

  async vector(): Promise<{ site: { id: string; name: string }; vector: Vector }> {
    const res = await this.request('/sync/vector', { headers: await this.headers() });
    return (await res.json()) as { site: { id: string; name: string }; vector: Vector };
  }

  async push(lines: AsyncIterable<string>): Promise<ApplyResult> {
    const body = Readable.from(bundleText(lines));
    const res = await this.request('/sync/push', {
      method: 'POST',
      headers: await this.headers({ 'content-type': 'application/x-ndjson' }),
      body: Readable.toWeb(body) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    return (await res.json()) as ApplyResult;
  }

  async pull<T>(since: Vector, apply: (lines: AsyncIterable<string>) => Promise<T>): Promise<T> {
    const res = await this.request('/sync/pull', {
      method: 'POST',
      headers: await this.headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({ since }),
    });
    const input = Readable.fromWeb(res.body as never);
    try {
      return await apply(linesOf(input));
    } finally {
      input.destroy();
    }
  }
}

/**
 * The `sync_lag_seconds` metric: how long ago this site wrote the oldest change that a site it
 * syncs with (tracelot site add) does not hold yet, as far as this site knows — what that site
 * held when it last sent a bundle here. 0 when every such site holds everything, or none is set.
 */
export async function syncLagSeconds(ctx: Context): Promise<number> {
  const peers = await listPeerRows(ctx.db);
  if (peers.length === 0) return 0;
  const sites = await listSiteRows(ctx.db);
  const own = sites.filter((s) => s.local !== 0).map((s) => s.id);
  // What the peer that lags most holds of each of this site's ids: the first record beyond it
  // is the oldest one some peer lacks. One lookup per id, however many peers.
  const lowest: Vector = {};
  for (const peer of peers) {
    const held = JSON.parse(
      sites.find((s) => s.id === peer.site_id)?.peer_vector ?? '{}',
    ) as Vector;
    for (const id of own) lowest[id] = Math.min(lowest[id] ?? Infinity, held[id] ?? 0);
  }
  const oldest = await oldestRecordBeyond(ctx.db, own, lowest);
  if (oldest === null) return 0;
  return Math.max(0, (ctx.clock().getTime() - Date.parse(oldest)) / 1000);
}
