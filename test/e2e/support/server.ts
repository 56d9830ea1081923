import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { webRoot } from '../../../src/paths.js';
import { startServer } from '../../../src/server/serve.js';

export interface ApiSession {
  /** JSON request with this user's session cookie; throws unless the answer is 2xx. */
  call<T = any>(method: string, url: string, body?: unknown): Promise<T>;
}

export interface E2eServer {
  url: string;
  /** The server's data folder (its SQLite database), for setting up what the UI cannot. */
  dataDir: string;
  admin: { username: string; password: string };
  /** Logs in through the API (for setting up data the test is not about). */
  login(username: string, password: string): Promise<ApiSession>;
  close(): Promise<void>;
}

/**
 * The real server, as `tracelot serve` starts it, on a free port with a fresh SQLite data
 * folder. It serves the built UI from dist/web; the first-admin password is read from the
 * lines it prints at its first start.
 */
export async function startE2eServer(): Promise<E2eServer> {
  if (!existsSync(path.join(webRoot(), 'index.html'))) {
    throw new Error(
      `The web UI is not built (${webRoot()}): run \`npm run build:web\` (\`npm test\` builds it).`,
    );
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tracelot-e2e-'));
  const lines: string[] = [];
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    print: (line) => lines.push(line),
    logLevel: 'error',
  });
  const at = lines.findIndex((line) => line.startsWith('First start: created the user'));
  const username = /'([^']+)'/.exec(lines[at] ?? '')?.[1];
  const password = lines[at + 1]?.trim();
  if (!username || !password) {
    await server.close();
    throw new Error(`no first-admin password in the start-up lines:\n${lines.join('\n')}`);
  }
  return {
    url: server.url,
    dataDir,
    admin: { username, password },
    login: (user, pass) => apiLogin(server.url, user, pass),
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function apiLogin(base: string, username: string, password: string): Promise<ApiSession> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200)
    throw new Error(`login of ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return {
    async call(method, url, body) {
      const answer = await fetch(base + url, {
        method,
        headers: {
          cookie,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await answer.text();
      if (!answer.ok) throw new Error(`${method} ${url}: ${answer.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
  };
}
