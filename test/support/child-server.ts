import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';

/** `tracelot serve` as a child process (built dist), for tests that kill it with -9. */
export interface ChildServer {
  process: ChildProcess;
  /** Everything it printed. */
  output(): string;
}

/**
 * Starts `tracelot serve --data dir` with `env` (e.g. cliEnv's database) on `port` (0: any),
 * resolved once it says it is ready.
 */
export async function serveChild(
  env: Record<string, string>,
  dir: string,
  port = 0,
): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    [path.resolve('bin/tracelot.js'), 'serve', '--port', String(port), '--data', dir],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready in')) resolve();
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${output}`)));
  });
  return { process: child, output: () => output };
}

/** Ends a child at once, as a power cut or the OOM killer would (SIGKILL). */
export async function kill9(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = once(server, 'exit');
  server.kill('SIGKILL');
  await exited;
}

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  return typeof address === 'object' && address ? address.port : 0;
}
