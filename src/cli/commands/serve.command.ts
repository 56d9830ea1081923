import { InvalidArgumentError, Option, type Command } from 'commander';
import type { TrustProxy } from '../../http/app.js';
import { duration, megabytes, trustProxy } from '../arguments.js';
import { withDatabaseOptions } from '../options.js';
import { LOG_LEVELS, type LogLevel } from '../../http/logger.js';
import type { LogFormat } from '../../server/serve.js';
import type { FileStoreKind } from '../../attachments/file-store.js';
import type { OidcOptions } from '../../auth/oidc.service.js';
import { ValidationError } from '../../domain/errors.js';
import { parseRoleMapping, type RoleMapping } from '../../domain/single-sign-on.js';

export function serveCommand(program: Command): void {
  withDatabaseOptions(
    program
      .command('serve')
      .description('run the web UI and the REST API')
      .addOption(
        new Option('--port <port>', 'port to listen on')
          .env('TRACELOT_PORT')
          .default('8080')
          .argParser(port),
      )
      .addOption(
        new Option('--host <host>', 'address to listen on')
          .env('TRACELOT_HOST')
          .default('127.0.0.1'),
      )
      .addOption(
        new Option(
          '--public-url <url>',
          'base URL printed in QR codes (default: the address the browser used)',
        ).env('TRACELOT_PUBLIC_URL'),
      )
      .addOption(
        new Option(
          '--trust-proxy <proxies>',
          'believe X-Forwarded-* headers from: true (any), a hop count, or addresses/CIDRs (comma-separated)',
        )
          .env('TRACELOT_TRUST_PROXY')
          .argParser(trustProxy),
      )
      .addOption(
        new Option(
          '--files <store>',
          "where attachment files are kept: 'folder' (the data folder) or 'database' (PostgreSQL only; servers then share no disk). Set by the instance's first server; later ones must agree. Move them with `tracelot files migrate`",
        )
          .env('TRACELOT_FILES')
          .choices(['folder', 'database']),
      )
      .addOption(
        new Option('--max-upload-mb <mb>', 'largest attachment accepted, in MB')
          .env('TRACELOT_MAX_UPLOAD_MB')
          .default(50)
          .argParser(megabytes),
      )
      .addOption(
        new Option(
          '--sync-every <period>',
          'sync with the sites added by `tracelot site add` this often, e.g. 5m (default: only on `tracelot sync`)',
        )
          .env('TRACELOT_SYNC_EVERY')
          .argParser(duration),
      )
      .addOption(
        new Option(
          '--metrics-port <port>',
          'serve Prometheus metrics at /metrics on this port (default: off)',
        )
          .env('TRACELOT_METRICS_PORT')
          .argParser(port),
      )
      .addOption(
        new Option('--metrics-host <host>', 'address the metrics listen on')
          .env('TRACELOT_METRICS_HOST')
          .default('127.0.0.1'),
      )
      .addOption(
        new Option('--log-format <format>', 'log lines as JSON (with request ids) or plain text')
          .env('TRACELOT_LOG_FORMAT')
          .choices(['json', 'text'])
          .default('json'),
      )
      .addOption(
        new Option('--log-level <level>', 'least severe log lines written (info: every request)')
          .env('TRACELOT_LOG_LEVEL')
          .choices(LOG_LEVELS)
          .default('warn'),
      )
      .addOption(
        new Option(
          '--webhook-backoff-ms <ms>',
          'first retry delay of a failed webhook delivery, doubling up to 1 h',
        )
          .env('TRACELOT_WEBHOOK_BACKOFF_MS')
          .default(30_000)
          .argParser(milliseconds),
      )
      .addOption(
        new Option('--webhook-timeout-ms <ms>', 'how long a webhook receiver has to answer')
          .env('TRACELOT_WEBHOOK_TIMEOUT_MS')
          .default(10_000)
          .argParser(milliseconds),
      )
      .addOption(
        new Option('--webhook-poll-ms <ms>', 'how often to look for webhook deliveries to send')
          .env('TRACELOT_WEBHOOK_POLL_MS')
          .default(1000)
          .argParser(milliseconds),
      )
      .addOption(
        new Option('--events-max-streams <n>', 'most live-update streams open at once (503 beyond)')
          .env('TRACELOT_EVENTS_MAX_STREAMS')
          .default(200)
          .argParser(streamCount),
      )
      .addOption(
        new Option(
          '--oidc-issuer <url>',
          'single sign-on: the OpenID Connect provider (docs/sso.md); needs --public-url',
        ).env('TRACELOT_OIDC_ISSUER'),
      )
      .addOption(
        new Option(
          '--oidc-client-id <id>',
          'single sign-on: Tracelot’s client id at the provider',
        ).env('TRACELOT_OIDC_CLIENT_ID'),
      )
      .addOption(
        new Option(
          '--oidc-client-secret <secret>',
          'single sign-on: the client secret (better in the environment: a command line is visible to other users)',
        ).env('TRACELOT_OIDC_CLIENT_SECRET'),
      )
      .addOption(
        new Option(
          '--oidc-roles <mapping>',
          'single sign-on: claim value → role, e.g. tracelot-admins=admin,tracelot-editors=editor,staff=viewer (or a JSON object)',
        )
          .env('TRACELOT_OIDC_ROLES')
          .argParser(roleMapping),
      )
      .addOption(
        new Option(
          '--oidc-role-claim <claim>',
          'single sign-on: the claim holding the values that map to roles (a.b for a nested one)',
        )
          .env('TRACELOT_OIDC_ROLE_CLAIM')
          .default('groups'),
      )
      .addOption(
        new Option('--oidc-scopes <scopes>', 'single sign-on: the scopes asked for')
          .env('TRACELOT_OIDC_SCOPES')
          .default('openid profile email'),
      )
      .addOption(
        new Option(
          '--oidc-label <text>',
          'single sign-on: the provider’s name on the login page ("Sign in with <text>")',
        )
          .env('TRACELOT_OIDC_LABEL')
          .default('single sign-on'),
      ),
  ).action(
    async (
      flags: {
        port: number;
        host: string;
        data: string;
        database?: string;
        publicUrl?: string;
        trustProxy?: TrustProxy;
        files?: FileStoreKind;
        maxUploadMb: number;
        syncEvery?: number;
        metricsPort?: number;
        metricsHost: string;
        logFormat: LogFormat;
        logLevel: LogLevel;
        webhookBackoffMs: number;
        webhookPollMs: number;
        webhookTimeoutMs: number;
        eventsMaxStreams: number;
      } & OidcFlags,
    ) => {
      const started = Date.now();
      // Loaded here: the other commands start faster without the web server's modules.
      const { startServer } = await import('../../server/serve.js');
      const server = await startServer({
        port: flags.port,
        host: flags.host,
        dataDir: flags.data,
        databaseUrl: flags.database,
        publicUrl: flags.publicUrl,
        trustProxy: flags.trustProxy,
        files: flags.files,
        maxUploadBytes: Math.round(flags.maxUploadMb * 1024 * 1024),
        syncEveryMs: flags.syncEvery,
        logFormat: flags.logFormat,
        logLevel: flags.logLevel,
        metrics:
          flags.metricsPort === undefined
            ? undefined
            : { port: flags.metricsPort, host: flags.metricsHost },
        webhooks: {
          backoffBaseMs: flags.webhookBackoffMs,
          pollMs: flags.webhookPollMs,
          timeoutMs: flags.webhookTimeoutMs,
        },
        liveEvents: { maxStreams: flags.eventsMaxStreams },
        oidc: oidcOptions(flags),
        print: (line) => console.log(line),
        ansi: process.stdout.isTTY && process.env.NO_COLOR === undefined,
      });
      console.log(`Ready in ${Date.now() - started} ms. Press Ctrl+C to stop.`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`${signal}: finishing open requests and closing the database…`);
        server.close().then(
          () => process.exit(0),
          (error: unknown) => {
            console.error(error);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    },
  );
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('not a port number');
  return n;
}

function milliseconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 86_400_000)
    throw new InvalidArgumentError('not a number of milliseconds (1 to 86400000)');
  return n;
}

function streamCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000)
    throw new InvalidArgumentError('not a number of streams (1 to 100000)');
  return n;
}

interface OidcFlags {
  publicUrl?: string;
  oidcIssuer?: string;
  oidcClientId?: string;
  oidcClientSecret?: string;
  oidcRoles?: RoleMapping;
  oidcRoleClaim: string;
  oidcScopes: string;
  oidcLabel: string;
}

/** The single sign-on options, when an issuer is given; the ones it cannot do without, checked. */
function oidcOptions(flags: OidcFlags): OidcOptions | undefined {
  if (flags.oidcIssuer === undefined) {
    if (flags.oidcClientId !== undefined || flags.oidcRoles !== undefined)
      throw new ValidationError('oidc-issuer', 'single sign-on needs the provider’s issuer URL');
    return undefined;
  }
  if (flags.oidcClientId === undefined)
    throw new ValidationError('oidc-client-id', 'single sign-on needs the client id');
  if (flags.oidcRoles === undefined)
    throw new ValidationError(
      'oidc-roles',
      'single sign-on needs the claim values that give a role, e.g. tracelot-admins=admin,staff=viewer',
    );
  if (flags.publicUrl === undefined)
    throw new ValidationError(
      'public-url',
      'single sign-on needs the public URL that the provider sends browsers back to',
    );
  return {
    issuer: flags.oidcIssuer,
    clientId: flags.oidcClientId,
    clientSecret: flags.oidcClientSecret,
    roles: flags.oidcRoles,
    roleClaim: flags.oidcRoleClaim,
    scopes: flags.oidcScopes,
    label: flags.oidcLabel,
  };
}

function roleMapping(value: string): RoleMapping {
  try {
    return parseRoleMapping(value);
  } catch (error) {
    if (error instanceof ValidationError) throw new InvalidArgumentError(error.reason);
    throw error;
  }
}
