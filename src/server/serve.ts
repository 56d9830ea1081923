import path from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { ensureFirstAdmin } from '../auth/user.service.js';
import { createContext } from '../context.js';
import { migrateToLatest, openDatabase } from '../db/database.js';
import {
  FolderFileStore,
  formatBytes,
  type FileStore,
  type FileStoreKind,
} from '../attachments/file-store.js';
import { chooseFileStore } from '../attachments/file-store.service.js';
import { buildApp, type TrustProxy } from '../http/app.js';
import type { LiveEventOptions } from '../events/live-event.service.js';
import type { OidcOptions } from '../auth/oidc.service.js';
import { lineLogger, type LogLevel } from '../http/logger.js';
import { scheduleSync } from '../sync/sync-schedule.js';
import { getLocalSite } from '../sites/site.service.js';
import { webRoot } from '../paths.js';
import { WebhookWorker, type WebhookWorkerOptions } from '../webhooks/webhook-worker.js';
import { lanUrls } from './lan-urls.js';
import { terminalQr } from './terminal-qr.js';
import { Metrics } from '../metrics/metrics.js';
import { syncLagSeconds } from '../sync/peer.service.js';
import { webhookBacklog } from '../webhooks/webhook.service.js';
import { listenForMetrics, type MetricsListener } from '../metrics/metrics-server.js';

export interface ServeOptions {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string | undefined;
  publicUrl?: string | undefined;
  trustProxy?: TrustProxy | undefined;
  /** Where start-up lines go (the console for `tracelot serve`). */
  print: (line: string) => void;
  logLevel?: LogLevel;
  /**
   * Where attachment contents are kept: the data folder or (PostgreSQL only) the database. The
   * instance's first server sets it; later ones must agree (default: what the instance keeps).
   */
  files?: FileStoreKind | undefined;
  /** Upload limit in bytes (default 50 MB). */
  maxUploadBytes?: number | undefined;
  /** Whether `print` reaches a terminal that shows colours (the QR code is drawn with them). */
  ansi?: boolean;
  /** Sync with the added sites this often (milliseconds); default: only when asked. */
  syncEveryMs?: number | undefined;
  /**
   * Log lines as JSON (pino: one object a line, each request's with its `reqId`) or as text
   * (default: one plain line a message, no request ids, the cheapest).
   */
  logFormat?: LogFormat;
  /** Serve Prometheus metrics at http://<host>:<port>/metrics (off without it). */
  metrics?: { port: number; host: string } | undefined;
  /** The webhook worker's timing (backoff base, poll interval); see webhook-worker.ts. */
  webhooks?: WebhookWorkerOptions | undefined;
  /** Live updates' limits and timing (most streams, poll interval); see live-event.service.ts. */
  liveEvents?: LiveEventOptions | undefined;
  /** Single sign-on through an OpenID Connect provider (docs/sso.md); needs `publicUrl`. */
  oidc?: OidcOptions | undefined;
}

export type LogFormat = 'json' | 'text';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  /** Where the metrics are served, when they are. */
  metricsUrl?: string | undefined;
  close(): Promise<void>;
}

/** Removes what uploads cut short by a stopped server left; a failure only warns. */
async function cleanUploads(files: FileStore, print: (line: string) => void): Promise<void> {
  try {
    const removed = await files.removeStaleUploads();
    if (removed.count > 0)
      print(
        `Removed ${removed.count} upload part(s) (${formatBytes(removed.bytes)}) that interrupted uploads left in ${files instanceof FolderFileStore ? path.join(files.dir, 'tmp') : files.where}`,
      );
  } catch (error) {
    print(`Warning: could not remove what interrupted uploads left: ${String(error)}`);
  }
}

/**
 * How to reach the server from a phone: the LAN URLs and a QR code of the one to open (the
 * public URL when given), or, on a loopback address, how to listen on the network.
 */
function printPhoneAccess(options: ServeOptions, port: number): void {
  const urls = lanUrls(options.host, port);
  const phoneUrl = options.publicUrl ?? urls[0];
  if (urls.length > 0) options.print(`On your network: ${urls.join('  ')}`);
  if (phoneUrl === undefined) {
    options.print(
      'Only this machine can open it. From a phone: tracelot serve --host 0.0.0.0 (README: "Use it from a phone").',
    );
    return;
  }
  options.print(`Open ${phoneUrl} on a phone by scanning:`);
  for (const line of terminalQr(phoneUrl, options.ansi ?? false)) options.print(line);
}

/** Opens and migrates the database, creates the first admin if needed, and listens. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const metrics = options.metrics ? new Metrics() : undefined;
  const handle = openDatabase({
    url: options.databaseUrl,
    dataDir: options.dataDir,
    onQuery: metrics && ((millis, failed) => metrics.query(millis, failed)),
  });
  let listener: MetricsListener | undefined;
  try {
    const applied = await migrateToLatest(handle.db);
    if (applied.length > 0) options.print(`Database migrated: ${applied.join(', ')}`);
    const ctx = createContext(handle.db);
    const files = await chooseFileStore(handle.db, {
      dataDir: options.dataDir,
      maxUploadBytes: options.maxUploadBytes,
      requested: options.files,
    });
    await cleanUploads(files, options.print);
    // Before the app listens: a metrics port taken fails the start with nothing left open.
    if (metrics && options.metrics)
      listener = await listenForMetrics(metrics, options.metrics.port, options.metrics.host);
    metrics?.report('webhook_backlog', () => webhookBacklog(ctx));
    metrics?.report('sync_lag_seconds', () => syncLagSeconds(ctx));
    const app = await buildApp({
      ctx,
      webRoot: webRoot(),
      publicUrl: options.publicUrl,
      trustProxy: options.trustProxy,
      logger: serverLogger(options.logFormat ?? 'text', options.logLevel ?? 'warn'),
      files,
      metrics,
      liveEvents: options.liveEvents,
      oidc: options.oidc,
    });
    await app.listen({ port: options.port, host: options.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
    const first = await ensureFirstAdmin(ctx);
    options.print(`Tracelot is serving ${url} (database: ${handle.dialect} ${handle.location})`);
    if (listener) options.print(`Metrics: ${listener.url}`);
    if (options.oidc)
      options.print(
        `Single sign-on: ${options.oidc.label} (${options.oidc.issuer}), roles from the claim '${options.oidc.roleClaim}'`,
      );
    const site = await getLocalSite(ctx);
    // Migration 0012 names every new site 'local': two sites of one company should not both be.
    const hint = site.name === 'local' ? '; name it with `tracelot site rename NAME`' : '';
    options.print(`Site: ${site.name} (${site.id})${hint}`);
    options.print(`Files: in ${files.where}`);
    printPhoneAccess(options, port);
    const stopSync = options.syncEveryMs
      ? scheduleSync(ctx, files, options.syncEveryMs, options.print)
      : async () => undefined;
    if (options.syncEveryMs)
      options.print(`Syncing with the added sites every ${options.syncEveryMs / 1000} s`);
    const webhooks = new WebhookWorker(ctx, {
      ...options.webhooks,
      onError: (error) => options.print(`Webhooks: ${String(error)}`),
    });
    webhooks.start();
    if (first) {
      options.print('');
      options.print(`First start: created the user '${first.username}' with the password`);
      options.print(`    ${first.password}`);
      options.print('It is shown only this once. Log in and keep it safe.');
      options.print('');
    }
    return {
      app,
      url,
      metricsUrl: listener?.url,
      async close() {
        await stopSync();
        await listener?.close();
        await webhooks.stop();
        await app.close();
        await handle.close();
      },
    };
  } catch (error) {
    await listener?.close();
    await handle.close();
    throw error;
  }
}

/** JSON lines from fastify's own logger (pino) to stderr, or the plain line logger. */
function serverLogger(format: LogFormat, level: LogLevel): FastifyBaseLogger {
  return format === 'json' ? pino({ level }, pino.destination(2)) : lineLogger(level);
}
