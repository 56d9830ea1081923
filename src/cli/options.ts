import { userInfo } from 'node:os';
import { Option, type Command } from 'commander';
import { createContext, type Context } from '../context.js';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../db/database.js';
import type { Actor } from '../domain/roles.js';
import type { FileStore } from '../attachments/file-store.js';
import { openFileStore } from '../attachments/file-store.service.js';
import { collect, collectField } from './arguments.js';

export interface DatabaseFlags {
  data: string;
  database?: string;
}

/** `--data DIR | --database URL`, with their environment variables, on every command that needs the database. */
export function withDatabaseOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--data <dir>', 'data folder (SQLite file and attachments)')
        .env('TRACELOT_DATA')
        .default('./tracelot-data'),
    )
    .addOption(
      new Option(
        '--database <url>',
        'postgres://… for PostgreSQL (default: SQLite in the data folder)',
      ).env('TRACELOT_DATABASE_URL'),
    );
}

/** Opens and migrates the database, runs `fn` with a context, closes. */
export async function withContext<T>(
  flags: DatabaseFlags,
  fn: (ctx: Context, handle: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const handle = openDatabase({ url: flags.database, dataDir: flags.data });
  try {
    await migrateToLatest(handle.db);
    return await fn(createContext(handle.db), handle);
  } finally {
    await handle.close();
  }
}

/**
 * The instance's file store (the data folder or the database, as the database says), so that a
 * command reads and writes files where the servers do.
 */
export function filesOf(
  ctx: Context,
  flags: DatabaseFlags,
  maxUploadBytes?: number,
): Promise<FileStore> {
  return openFileStore(ctx.db, { dataDir: flags.data, maxUploadBytes });
}

/** The command line acts as an admin of the database it can open; the ledger names the OS user. */
export function cliActor(): Actor {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep 'unknown'.
  }
  return { code: null, name: `cli:${name}`, role: 'admin' };
}

/** Flags of a paged list command (pageOptions), as commander hands them over: strings. */
export interface PageFlags {
  limit: string;
  offset: string;
  json?: boolean;
}

/** The page a list command asks its service for. */
export function pageOf(flags: PageFlags): { limit: number; offset: number } {
  return { limit: Number(flags.limit), offset: Number(flags.offset) };
}

/** Flags of a list command: search, tag and paging. */
export interface ListFlags extends DatabaseFlags, PageFlags {
  search?: string;
  tag?: string;
}

export function listOptions(command: Command): Command {
  return withDatabaseOptions(
    pageOptions(
      command
        .option('-s, --search <text>', 'match name, MPN, tag or custom field value')
        .option('--tag <tag>', 'only with this tag'),
    ),
  );
}

/** `--limit`, `--offset` and `--json` of a paged list command; `limit` is its default page size. */
export function pageOptions(command: Command, limit = '50'): Command {
  return command
    .option('--limit <n>', 'at most this many', limit)
    .option('--offset <n>', 'skip this many', '0')
    .option('--json', 'print JSON');
}

/**
 * `<parent> show <argument> [--json]` on the database, the shape every show command shares:
 * `show` gets the argument as typed and whether JSON was asked for.
 */
export function showCommand(
  parent: Command,
  description: string,
  argument: [name: string, description?: string],
  show: (ctx: Context, ref: string, json: boolean) => Promise<void>,
): void {
  withDatabaseOptions(
    parent
      .command('show')
      .description(description)
      .argument(...argument)
      .option('--json', 'print JSON'),
  ).action((ref: string, flags: DatabaseFlags & { json?: boolean }) =>
    withContext(flags, (ctx) => show(ctx, ref, flags.json === true)),
  );
}

/** Flags of a command that sets an object's tags and custom fields. */
export interface AttributeFlags {
  tag?: string[];
  field?: Record<string, string>;
  json?: boolean;
}

/**
 * `--tag` and `--field` (each repeatable) and `--json` of a command that creates an object or,
 * with 'replace', changes one (the lists given replace the object's).
 */
export function attributeOptions(command: Command, mode: 'set' | 'replace' = 'set'): Command {
  const replaces = mode === 'replace';
  return command
    .option(
      '--tag <tag>',
      replaces ? 'replaces the tags (repeatable)' : 'a tag (repeatable)',
      collect,
    )
    .option(
      '--field <key=value>',
      replaces ? 'replaces the custom fields (repeatable)' : 'a custom field (repeatable)',
      collectField,
    )
    .option('--json', 'print JSON');
}
