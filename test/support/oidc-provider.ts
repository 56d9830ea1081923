import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

/** A person known to the test provider; change `groups` to change their role at the provider. */
export interface TestAccount {
  sub: string;
  username: string;
  password: string;
  email: string;
  groups: string[];
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: TestAccount[];
  close(): Promise<void>;
}

/** A free port on 127.0.0.1 (for a server that must know its URL before it listens). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const esc = (text: string) => text.replace(/[&<>"]/g, (c) => ESC[c]!);

function loginForm(uid: string, error?: string): string {
  return `<!doctype html><html><head><title>Test IdP</title></head><body>
<h1>Test IdP sign-in</h1>${error ? `<p role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login">
<label>Login <input name="login" autocomplete="username"></label>
<label>Secret <input name="password" type="password"></label>
<button type="submit">Continue</button></form></body></html>`;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return new URLSearchParams(text);
}

/**
 * A real, certified OpenID provider (panva's oidc-provider) on a free port of 127.0.0.1, with an
 * account store of `accounts` (checked passwords; `groups` claim from the `groups` scope) and one
 * confidential client that may send users back to `redirectUris`. Its own login form stands in for
 * the provider's: wrong passwords are refused there; consent is given to the client without asking.
 */
export async function startOidcProvider(options: {
  redirectUris: string[];
  accounts: TestAccount[];
}): Promise<TestProvider> {
  const { accounts } = options;
  const clientId = 'tracelot';
  const clientSecret = 'tracelot-test-secret-0123456789abcdef';
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: {
      keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }],
    },
    cookies: { keys: ['test-provider-cookie-key'] },
    claims: {
      openid: ['sub'],
      profile: ['preferred_username', 'name'],
      email: ['email', 'email_verified'],
      groups: ['groups'],
    },
    features: { devInteractions: { enabled: false } },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Grant: 3600,
      Session: 3600,
    },
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const account = accounts.find((a) => a.sub === sub);
      return (
        account && {
          accountId: sub,
          claims: () => ({
            sub,
            preferred_username: account.username,
            name: account.username,
            email: account.email,
            email_verified: true,
            groups: [...account.groups],
          }),
        }
      );
    },
    // Tracelot is this provider's own application: consent is given without a page.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session, result } = ctx.oidc;
      const grantId = result?.consent?.grantId ?? session!.grantIdFor(client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: client!.clientId,
        accountId: session!.accountId!,
      });
      grant.addOIDCScope('openid profile email groups');
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();
  handle = (req, res) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url ?? '');
    if (!match) return void callback(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      if (!match[2]) {
        res.writeHead(200, { 'content-type': 'text/html' }).end(loginForm(details.uid));
        return;
      }
      const form = await formBody(req);
      const account = accounts.find((a) => a.username === form.get('login'));
      if (!account || account.password !== form.get('password')) {
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(loginForm(details.uid, 'Wrong login or secret'));
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: account.sub } },
        { mergeWithLastSubmission: false },
      );
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  };
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Cookies by name, as a browser would keep them for the provider (paths ignored: one host). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Follows the provider's redirects from `url` (the authorization URL Tracelot sent the browser
 * to) as a browser would, signing in on its login form with `login` and `password` when asked,
 * until it sends the browser elsewhere: returns that URL (Tracelot's callback with the answer).
 */
export async function signInAtProvider(
  provider: TestProvider,
  url: string,
  login: { username: string; password: string },
  jar = new CookieJar(),
): Promise<URL> {
  let next = new URL(url);
  for (let hop = 0; hop < 10; hop++) {
    if (next.origin !== provider.issuer) return next;
    const page = await fetch(next, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(page);
    let res = page;
    if (page.status === 200 && next.pathname.startsWith('/interaction/')) {
      await page.text();
      res = await fetch(new URL(`${next.pathname}/login`, next), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ login: login.username, password: login.password }).toString(),
      });
      jar.take(res);
    }
    const location = res.headers.get('location');
    if (!location)
      throw new Error(`the provider answered ${res.status} at ${next.href}: ${await res.text()}`);
    next = new URL(location, next);
  }
  throw new Error('the provider redirected more than 10 times');
}
