import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OidcOptions } from '../../src/auth/oidc.service.js';
import { startServer } from '../../src/server/serve.js';

export interface ApiSession {
  /** The session cookie, for requests whose answer a test examines itself. */
  cookie: string;
  /** JSON request with this user's session cookie; throws unless the answer is 2xx. */
  call<T = any>(method: string, url: string, body?: unknown): Promise<T>;
}

export interface TestServer {
  url: string;
  /** The server's data folder (its SQLite database and files). */
  dataDir: string;
  /** What the server printed when it started. */
  lines: string[];
  admin: { username: string; password: string };
  /** Logs in through the API (for setting up data the test is not about). */
  login(username: string, password: string): Promise<ApiSession>;
  /** Stops the server and removes its data folder. */
  close(): Promise<void>;
}

/**
 * The real server, as `tracelot serve` starts it, on a free port with a fresh SQLite data folder
 * (or `dataDir`, which it then owns). The first-admin password is read from the lines it prints
 * at its first start.
 */
export async function startTestServer(
  options: {
    dataDir?: string;
    maxUploadBytes?: number;
    /** Single sign-on: needs `port` too, as the provider must know the callback's URL. */
    oidc?: OidcOptions;
    port?: number;
  } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'tracelot-server-')));
  const lines: string[] = [];
  const server = await startServer({
    port: options.port ?? 0,
    host: '127.0.0.1',
    dataDir,
    ...(options.oidc ? { oidc: options.oidc, publicUrl: `http://127.0.0.1:${options.port}` } : {}),
    print: (line) => lines.push(line),
    logLevel: 'error',
    ...(options.maxUploadBytes === undefined ? {} : { maxUploadBytes: options.maxUploadBytes }),
  });
  const close = async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  const at = lines.findIndex((line) => line.startsWith('First start: created the user'));
  const username = /'([^']+)'/.exec(lines[at] ?? '')?.[1];
  const password = lines[at + 1]?.trim();
  if (!username || !password) {
    await close();
    throw new Error(`no first-admin password in the start-up lines:\n${lines.join('\n')}`);
  }
  return {
    url: server.url,
    dataDir,
    lines,
    admin: { username, password },
    login: (user, pass) => apiLogin(server.url, user, pass),
    close,
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
    cookie,
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
