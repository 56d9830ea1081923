import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestDatabase } from './databases.js';

const run = promisify(execFile);
const BIN = path.resolve('bin/tracelot.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (npm test builds first) with the given environment. */
export function cli(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  return runCli(env, args);
}

/** The same, with `input` on its standard input (a signer's password, say). */
export function cliWithInput(
  env: Record<string, string>,
  input: string,
  ...args: string[]
): Promise<CliResult> {
  return runCli(env, args, input);
}

async function runCli(
  env: Record<string, string>,
  args: string[],
  input?: string,
): Promise<CliResult> {
  try {
    const running = run(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (input !== undefined) running.child.stdin?.end(input);
    const { stdout, stderr } = await running;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

export const json = (out: { stdout: string }) => JSON.parse(out.stdout);

/** The environment that points the CLI at a test database (SQLite file in `dir`, or its PG schema). */
export function cliEnv(database: TestDatabase, dir: string): Record<string, string> {
  return database.dialect === 'sqlite'
    ? { TRACELOT_DATA: dir, TRACELOT_DATABASE_URL: '' }
    : {
        TRACELOT_DATABASE_URL: `${database.url}?options=${encodeURIComponent(`-c search_path=${database.schema}`)}`,
      };
}
