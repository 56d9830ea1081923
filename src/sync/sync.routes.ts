import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FileStore } from '../attachments/file-store.js';
import type { Context } from '../context.js';
import { ValidationError } from '../domain/errors.js';
import { applyBundle } from './bundle-apply.service.js';
import { linesOf } from './bundle.js';
import { bundleLines, bundleText } from './bundle-write.service.js';
import { Conflict, ConflictPage, ConflictQuery, ResolveConflict } from './conflict.schemas.js';
import { getConflict, listConflicts, resolveConflict } from './conflict.service.js';
import { Peer, PeerAdd, SyncSince } from './peer.schemas.js';
import {
  addPeer,
  admitSite,
  listPeers,
  SITE_HEADER,
  siteVector,
  syncPeers,
} from './peer.service.js';

const sync = { access: 'sync' as const };
const NDJSON = 'application/x-ndjson';

export const syncRoutes: FastifyPluginAsyncZod<{
  ctx: Context;
  files?: FileStore | undefined;
}> = async (app, { ctx, files }) => {
  const tags = ['sites'];
  const store = () => {
    if (!files) throw new ValidationError('files', 'this server keeps no files: it cannot sync');
    return files;
  };
  const siteOf = (headers: Record<string, unknown>) => {
    const value = headers[SITE_HEADER];
    return typeof value === 'string' ? value : undefined;
  };
  // A pushed bundle is read as it arrives, line by line, never whole.
  app.addContentTypeParser(NDJSON, (_req, payload, done) => done(null, payload));

  app.get(
    '/sync/vector',
    {
      config: sync,
      schema: {
        tags,
        summary:
          "This site, and per site it knows the number of the last record it holds (another site's key)",
        response: {
          200: z.object({
            site: z.object({ id: z.string(), name: z.string() }),
            vector: z.record(z.string(), z.number()),
          }),
        },
      },
    },
    async (req) => {
      await admitSite(ctx, req.actor, siteOf(req.headers));
      return siteVector(ctx);
    },
  );
  app.post(
    '/sync/pull',
    {
      config: sync,
      schema: {
        tags,
        summary: 'A bundle of what the caller lacks (JSON lines; docs/sites.md)',
        body: SyncSince,
      },
    },
    async (req, reply) => {
      await admitSite(ctx, req.actor, siteOf(req.headers));
      const lines = bundleLines(ctx.db, store(), req.body.since);
      const body = Readable.from(bundleText(lines));
      return reply.type(NDJSON).send(body);
    },
  );
  app.post(
    '/sync/push',
    {
      config: sync,
      schema: {
        tags,
        summary: 'Apply a bundle of the calling site (JSON lines), in one transaction',
      },
    },
    async (req) => {
      await admitSite(ctx, req.actor, siteOf(req.headers));
      if (!String(req.headers['content-type'] ?? '').startsWith(NDJSON))
        throw new ValidationError('content-type', `send the bundle as ${NDJSON}`);
      return applyBundle(ctx.db, store(), linesOf(req.body as Readable), () => undefined, {
        from: req.actor.role === 'site' ? siteOf(req.headers) : undefined,
      });
    },
  );
  app.get(
    '/sync/peers',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'The sites this one syncs with over HTTPS',
        response: { 200: z.object({ items: z.array(Peer) }) },
      },
    },
    async () => ({ items: await listPeers(ctx) }),
  );
  app.post(
    '/sync/peers',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Add a site to sync with: its address and the site key it gave (admins)',
        body: PeerAdd,
        response: { 201: Peer },
      },
    },
    async (req, reply) => reply.code(201).send(await addPeer(ctx, req.body)),
  );
  app.get(
    '/sync/conflicts',
    {
      schema: {
        tags,
        summary: 'What sync between sites could not merge silently: open ones, or all',
        querystring: ConflictQuery,
        response: { 200: ConflictPage },
      },
    },
    (req) => listConflicts(ctx, req.query),
  );
  app.get(
    '/sync/conflicts/:code',
    {
      schema: {
        tags,
        summary: 'One conflict, with both sides',
        params: z.object({ code: z.string().max(64) }),
        response: { 200: Conflict },
      },
    },
    (req) => getConflict(ctx, req.params.code),
  );
  app.post(
    '/sync/conflicts/:code/resolve',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Say which side of a conflict stands, and why (admins; logged)',
        params: z.object({ code: z.string().max(64) }),
        body: ResolveConflict,
        response: { 200: Conflict },
      },
    },
    (req) => resolveConflict(ctx, req.actor, req.params.code, req.body),
  );
  app.post(
    '/sync/run',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Sync now with every added site, or the one named (admins)',
        body: z.strictObject({ site: z.string().max(200).optional() }).default({}),
      },
    },
    async (req) => ({ items: await syncPeers(ctx, store(), req.body.site) }),
  );
};
