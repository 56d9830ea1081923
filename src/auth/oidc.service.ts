import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import type { Context } from '../context.js';
import {
  AuthenticationError,
  ForbiddenError,
  TracelotError,
  ValidationError,
} from '../domain/errors.js';
import {
  roleFromClaims,
  safeReturnPath,
  usernameCandidates,
  type RoleMapping,
} from '../domain/single-sign-on.js';
import { claimLoginAttempt, loginSucceeded } from './login-throttle.service.js';
import {
  deleteExpiredOidcLogins,
  insertOidcLogin,
  takeOidcLogin,
} from './oidc-login.repository.js';
import { sha256 } from './secrets.js';
import { openSession, type OpenedSession } from './session.service.js';
import { userFromProvider } from './user.service.js';

/** How `tracelot serve` signs users in through an OpenID Connect provider (docs/sso.md). */
export interface OidcOptions {
  /** The provider's issuer URL (its discovery document is at …/.well-known/openid-configuration). */
  issuer: string;
  clientId: string;
  /** Without one, Tracelot is a public client (PKCE only). */
  clientSecret?: string | undefined;
  /** The claim whose values map to roles, e.g. `groups` or `realm_access.roles`. */
  roleClaim: string;
  roles: RoleMapping;
  /** Shown on the login page: "Sign in with <label>". */
  label: string;
  /** Scopes asked for besides `openid`, e.g. `profile email groups`. */
  scopes: string;
}

/** A login begun must come back from the provider within this time. */
export const OIDC_LOGIN_MS = 10 * 60_000;
/** How long the provider may take to answer one request. */
const PROVIDER_TIMEOUT_S = 10;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A refused single sign-on: shown to the person as a page (not JSON: the browser came here by a
 * redirect), with the status it answers.
 */
export class SignOnRefusedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Single sign-on by the authorization code flow with PKCE (openid-client, a certified relying
 * party). The provider's metadata is discovered at the first login, not at start-up, so that a
 * provider that is down does not keep the server (and its local admin) from starting; a failed
 * discovery is tried again at the next login.
 */
export class SingleSignOn {
  readonly redirectUri: string;
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(
    readonly options: OidcOptions,
    publicUrl: string,
  ) {
    this.redirectUri = new URL('/api/v1/auth/oidc/callback', urlOf(publicUrl, 'public-url')).href;
    const issuer = urlOf(options.issuer, 'oidc-issuer');
    if (issuer.protocol !== 'https:' && !LOOPBACK.has(issuer.hostname))
      throw new ValidationError(
        'oidc-issuer',
        'must be an https:// URL (http:// only on localhost)',
      );
  }

  /**
   * Begins a login: stores the state, nonce and PKCE verifier under the hash of a random value
   * for the browser's cookie, and returns the provider's authorization URL to send it to.
   */
  async start(ctx: Context, next: string | undefined): Promise<{ cookie: string; url: string }> {
    const config = await this.discover();
    const cookie = randomBytes(32).toString('base64url');
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const at = ctx.clock();
    await deleteExpiredOidcLogins(ctx.db, at.toISOString());
    await insertOidcLogin(ctx.db, {
      cookie_hash: sha256(cookie),
      state,
      nonce,
      code_verifier: verifier,
      return_to: safeReturnPath(next),
      expires_at: new Date(at.getTime() + OIDC_LOGIN_MS).toISOString(),
    });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: [
        'openid',
        ...this.options.scopes.split(/\s+/).filter((s) => s && s !== 'openid'),
      ].join(' '),
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { cookie, url: url.href };
  }

  /**
   * Ends a login at the provider's answer (`search`: the callback's query): checks the state,
   * trades the code with the PKCE verifier for tokens, checks the ID token and its nonce, maps
   * the claims to a role, finds or creates the user, and opens a session as a password login
   * does. Throttled by client address like password logins; every refusal counts.
   */
  async finish(
    ctx: Context,
    cookie: string | undefined,
    search: string,
    address: string,
  ): Promise<OpenedSession & { returnTo: string }> {
    const attempt = await claimLoginAttempt(ctx, null, address).catch((error: unknown) => {
      throw refusal(error);
    });
    const login = cookie ? await takeOidcLogin(ctx.db, sha256(cookie)) : undefined;
    if (!login || login.expires_at <= ctx.clock().toISOString()) {
      throw new SignOnRefusedError(
        400,
        'This sign-in was not begun in this browser, was used already, or took longer than 10 minutes. Sign in again.',
      );
    }
    const claims = await this.claims(login, search);
    const { role, values } = roleFromClaims(claims, this.options.roleClaim, this.options.roles);
    if (role === undefined) {
      const held = values.length === 0 ? 'none' : values.slice(0, 20).join(', ');
      throw new SignOnRefusedError(
        403,
        `Your account at ${this.options.label} has no role in Tracelot: its claim '${this.options.roleClaim}' (${held}) maps to no role. Ask your administrator to add you to a group that gives access.`,
      );
    }
    try {
      const user = await userFromProvider(ctx, {
        issuer: this.issuerOf(await this.discover()),
        subject: String(claims.sub),
        usernames: usernameCandidates(claims),
        role,
      });
      await loginSucceeded(ctx, attempt);
      return { ...(await openSession(ctx, user)), returnTo: login.return_to };
    } catch (error) {
      throw refusal(error);
    }
  }

  /** The ID token's claims, and the userinfo endpoint's where it has one (groups are often there). */
  private async claims(
    login: { state: string; nonce: string; code_verifier: string },
    search: string,
  ): Promise<Record<string, unknown>> {
    const config = await this.discover();
    const callback = new URL(this.redirectUri);
    callback.search = search;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: login.code_verifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims()!;
      const userinfo = config.serverMetadata().userinfo_endpoint
        ? await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)
        : {};
      return { ...idToken, ...userinfo, sub: idToken.sub };
    } catch (error) {
      if (error instanceof oidc.AuthorizationResponseError) {
        const why = error.error_description ? `: ${error.error_description}` : '';
        throw new SignOnRefusedError(
          403,
          `${this.options.label} did not sign you in (${error.error}${why}).`,
        );
      }
      if (error instanceof oidc.ResponseBodyError) {
        throw new SignOnRefusedError(
          400,
          `${this.options.label} refused the sign-in's code (${error.error}: ${error.error_description ?? 'no reason given'}). Sign in again.`,
        );
      }
      if (error instanceof oidc.ClientError) {
        throw new SignOnRefusedError(
          400,
          `${this.options.label}'s answer does not belong to this sign-in (${error.message}). Sign in again.`,
        );
      }
      throw new SignOnRefusedError(
        502,
        `${this.options.label}'s answer could not be accepted (${(error as Error).message}). Sign in again; if it happens again, tell your administrator.`,
      );
    }
  }

  private issuerOf(config: oidc.Configuration): string {
    return config.serverMetadata().issuer;
  }

  private discover(): Promise<oidc.Configuration> {
    this.configuration ??= this.load().catch((error: unknown) => {
      this.configuration = undefined;
      throw new SignOnRefusedError(
        502,
        `${this.options.label} (${this.options.issuer}) cannot be reached: ${(error as Error).message}. Try again later, or log in with a local user.`,
      );
    });
    return this.configuration;
  }

  private async load(): Promise<oidc.Configuration> {
    const { issuer, clientId, clientSecret } = this.options;
    const insecure = new URL(issuer).protocol === 'http:';
    const config = await oidc.discovery(
      new URL(issuer),
      clientId,
      clientSecret,
      clientSecret ? oidc.ClientSecretBasic(clientSecret) : oidc.None(),
      {
        timeout: PROVIDER_TIMEOUT_S,
        ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
      },
    );
    config.timeout = PROVIDER_TIMEOUT_S;
    return config;
  }
}

function urlOf(text: string, field: string): URL {
  if (!URL.canParse(text)) throw new ValidationError(field, `'${text}' is not a URL`);
  return new URL(text);
}

/** A refusal from Tracelot's own checks (throttle, a disabled user, a name taken) as a page. */
function refusal(error: unknown): unknown {
  if (error instanceof SignOnRefusedError) return error;
  if (error instanceof TracelotError) {
    const status =
      error.code === 'too_many_attempts'
        ? 429
        : error instanceof ForbiddenError
          ? 403
          : error instanceof AuthenticationError
            ? 401
            : 409;
    return new SignOnRefusedError(status, `Tracelot refused the sign-in: ${error.reason}.`);
  }
  return error;
}
