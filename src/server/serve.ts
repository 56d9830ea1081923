import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ensureFirstAdmin } from '../auth/user.service.js';
import { createContext } from '../context.js';
import { migrateToLatest, openDatabase } from '../db/database.js';
import {
  fileStoreIn,
  formatBytes,
  removeStaleParts,
  type FileStore,
} from '../attachments/file-store.js';
import { buildApp, type TrustProxy } from '../http/app.js';
import { lineLogger, type LogLevel } from '../http/logger.js';
import { getLocalSite } from '../sites/site.service.js';
import { webRoot } from '../paths.js';
import { WebhookWorker, type WebhookWorkerOptions } from '../webhooks/webhook-worker.js';
import { lanUrls } from './lan-urls.js';
import { terminalQr } from './terminal-qr.js';

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
  /** Upload limit in bytes (default 50 MB). */
  maxUploadBytes?: number | undefined;
  /** Whether `print` reaches a terminal that shows colours (the QR code is drawn with them). */
  ansi?: boolean;
  /** The webhook worker's timing (backoff base, poll interval); see webhook-worker.ts. */
  webhooks?: WebhookWorkerOptions | undefined;
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** Removes what uploads cut short by a stopped server left; a failure only warns. */
async function cleanUploads(files: FileStore, print: (line: string) => void): Promise<void> {
  try {
    const removed = await removeStaleParts(files);
    if (removed.count > 0)
      print(
        `Removed ${removed.count} upload part(s) (${formatBytes(removed.bytes)}) that interrupted uploads left in ${path.join(files.dir, 'tmp')}`,
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
  const handle = openDatabase({ url: options.databaseUrl, dataDir: options.dataDir });
  try {
    const applied = await migrateToLatest(handle.db);
    if (applied.length > 0) options.print(`Database migrated: ${applied.join(', ')}`);
    const ctx = createContext(handle.db);
    const files = fileStoreIn(options.dataDir, options.maxUploadBytes);
    await cleanUploads(files, options.print);
    const app = await buildApp({
      ctx,
      webRoot: webRoot(),
      publicUrl: options.publicUrl,
      trustProxy: options.trustProxy,
      logger: lineLogger(options.logLevel ?? 'warn'),
      files,
    });
    await app.listen({ port: options.port, host: options.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
    const first = await ensureFirstAdmin(ctx);
    options.print(`Tracelot is serving ${url} (database: ${handle.dialect} ${handle.location})`);
    const site = await getLocalSite(ctx);
    // Migration 0012 names every new site 'local': two sites of one company should not both be.
    const hint = site.name === 'local' ? '; name it with `tracelot site rename NAME`' : '';
    options.print(`Site: ${site.name} (${site.id})${hint}`);
    printPhoneAccess(options, port);
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
      async close() {
        await webhooks.stop();
        await app.close();
        await handle.close();
      },
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
