import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { attachmentRoutes } from '../attachments/attachment.routes.js';
import type { FileStore } from '../attachments/file-store.js';
import { ApiKeyMemory } from '../auth/api-key.service.js';
import { auditRoutes } from '../audit/audit.routes.js';
import { signatureRoutes } from '../signatures/signature.routes.js';
import { siteRoutes } from '../sites/site.routes.js';
import { syncRoutes } from '../sync/sync.routes.js';
import { authRoutes } from '../auth/auth.routes.js';
import { oidcRoutes } from '../auth/oidc.routes.js';
import { SingleSignOn, type OidcOptions } from '../auth/oidc.service.js';
import { buildRoutes } from '../builds/build.routes.js';
import { demoRoutes } from '../demo/demo.routes.js';
import { dhrRoutes } from '../dhr/dhr.routes.js';
import type { Context } from '../context.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { LabelRenderer } from '../labels/label-render.js';
import { labelRoutes } from '../labels/label.routes.js';
import { LabelRenderPool } from '../labels/label-render.pool.js';
import { printerRoutes } from '../printers/printer.routes.js';
import { locationRoutes } from '../locations/location.routes.js';
import { lotRoutes } from '../stock/lot.routes.js';
import { partRoutes } from '../parts/part.routes.js';
import { projectRoutes } from '../projects/project.routes.js';
import { shippingRoutes } from '../units/shipping.routes.js';
import { unitRoutes } from '../units/unit.routes.js';
import { resolveRoutes } from '../resolver/resolve.routes.js';
import { serialRoutes } from '../serials/serial.routes.js';
import { shipmentRoutes } from '../shipments/shipment.routes.js';
import { stockRoutes } from '../stock/stock.routes.js';
import { testResultRoutes } from '../test-results/test-result.routes.js';
import { traceRoutes } from '../trace/trace.routes.js';
import { webhookRoutes } from '../webhooks/webhook.routes.js';
import { liveEventRoutes } from '../events/live-event.routes.js';
import { LiveEventHub, type LiveEventOptions } from '../events/live-event.service.js';
import { VERSION } from '../version.js';
import { registerAuth } from '../auth/auth.hook.js';
import { errorHandler } from './error-handler.js';
import { qrRoutes } from './qr.routes.js';
import { validatorCompiler } from './validator.js';
import { healthRoutes } from './health.routes.js';
import { registerRequestId, requestIdOf } from './request-id.js';
import type { Metrics } from '../metrics/metrics.js';
import { registerRequestMetrics } from '../metrics/metrics.hook.js';

/** Request bodies above this answer 413. A 10,000-item receive is about 2 MB. */
export const BODY_LIMIT = 8 * 1024 * 1024;

export interface AppOptions {
  ctx: Context;
  /** Folder of the built web UI; served at / when it exists. */
  webRoot?: string | undefined;
  /** Base of the URLs printed in QR codes, e.g. https://tracelot.example.com (default: the request's host). */
  publicUrl?: string | undefined;
  /** Default: no logging (tests). */
  logger?: FastifyBaseLogger;
  /** Where attachment files live and the upload limit; without it uploads are refused. */
  files?: FileStore | undefined;
  /** Draws labels; default: worker threads of the app's own, stopped when it closes. */
  labelRenderer?: LabelRenderer | undefined;
  /**
   * The print sender: how often it looks for queued jobs besides when woken (default 30 s), or
   * false for none (the OpenAPI command, which has no database to send from).
   */
  printSender?: false | { pollMs: number } | undefined;
  /**
   * Which proxies' X-Forwarded-* headers to believe (fastify's trustProxy: true, a hop count,
   * addresses). Default none: any client could otherwise choose the host printed in labels.
   */
  trustProxy?: TrustProxy | undefined;
  /** Counts requests and reports the label queue into these (tracelot serve --metrics-port). */
  metrics?: Metrics | undefined;
  /** Live updates' timing and limits (poll interval, heartbeat, most streams); see live-event.service.ts. */
  liveEvents?: LiveEventOptions | undefined;
  /** Single sign-on through an OpenID Connect provider (docs/sso.md); needs `publicUrl`. */
  oidc?: OidcOptions | undefined;
}

export type TrustProxy = boolean | number | string[];

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { ctx } = options;
  const sso = singleSignOn(options);
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: BODY_LIMIT,
    // fastify takes a hop count too (for client addresses), though its types leave it out.
    trustProxy: (options.trustProxy ?? false) as FastifyServerOptions['trustProxy'],
    genReqId: requestIdOf,
  }).withTypeProvider<ZodTypeProvider>();
  registerRequestId(app);
  if (options.metrics) registerRequestMetrics(app, options.metrics);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Tracelot API',
        version: VERSION,
        description:
          'Traceability for hardware makers. Authenticate with `Authorization: Bearer <API key>` (create one with `tracelot apikey create`) or a session cookie from /api/v1/auth/login.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
    // Schemas with an id (recursive ones: the trace tree) become components the routes refer to.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { deepLinking: false },
  });

  await app.register(healthRoutes, { ctx });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, () =>
    app.swagger(),
  );

  await app.register(
    async (api) => {
      const apiKeys = new ApiKeyMemory(ctx);
      registerAuth(api, ctx, apiKeys, options.publicUrl);
      const withCtx = { ctx };
      await api.register(partRoutes, withCtx);
      await api.register(locationRoutes, withCtx);
      await api.register(lotRoutes, withCtx);
      await api.register(stockRoutes, withCtx);
      await api.register(projectRoutes, withCtx);
      await api.register(buildRoutes, withCtx);
      await api.register(traceRoutes, withCtx);
      // Before shipmentRoutes, as when POST /shipments was theirs: the same OpenAPI document.
      await api.register(shippingRoutes, withCtx);
      await api.register(shipmentRoutes, withCtx);
      await api.register(unitRoutes, withCtx);
      await api.register(testResultRoutes, withCtx);
      await api.register(dhrRoutes, withCtx);
      await api.register(demoRoutes, withCtx);
      await api.register(resolveRoutes, withCtx);
      await api.register(serialRoutes, withCtx);
      await api.register(attachmentRoutes, { ctx, files: options.files });
      await api.register(authRoutes, { ctx, apiKeys });
      await api.register(oidcRoutes, { ctx, sso });
      await api.register(auditRoutes, withCtx);
      await api.register(signatureRoutes, withCtx);
      await api.register(siteRoutes, withCtx);
      await api.register(syncRoutes, { ctx, files: options.files });
      await api.register(webhookRoutes, withCtx);
      const hub = new LiveEventHub(ctx, {
        ...options.liveEvents,
        onError:
          options.liveEvents?.onError ??
          ((error) => app.log.error({ err: error }, 'live updates: reading the change log failed')),
      });
      // Before the server closes: open streams would otherwise keep it waiting for them.
      app.addHook('preClose', () => hub.stop());
      await api.register(liveEventRoutes, { hub });
      await api.register(qrRoutes, { publicUrl: options.publicUrl });
      // One pool of label-drawing threads for downloads and print jobs alike.
      let renderer = options.labelRenderer;
      if (!renderer) {
        const pool = new LabelRenderPool();
        app.addHook('onClose', () => pool.close());
        options.metrics?.report('label_render_queue', () => pool.stats().queued);
        options.metrics?.report('label_renders_running', () => pool.stats().running);
        renderer = pool;
      }
      await api.register(labelRoutes, { ctx, publicUrl: options.publicUrl, renderer });
      await api.register(printerRoutes, {
        ctx,
        publicUrl: options.publicUrl,
        renderer,
        sender: options.printSender,
      });
    },
    { prefix: '/api/v1' },
  );

  await registerWeb(app, options.webRoot);
  return app;
}

/** The provider's client, when one is set up; its redirect URI is under the public URL. */
function singleSignOn(options: AppOptions): SingleSignOn | undefined {
  if (!options.oidc) return undefined;
  if (!options.publicUrl)
    throw new ValidationError(
      'public-url',
      'single sign-on needs the public URL: the provider sends browsers back to <public URL>/api/v1/auth/oidc/callback',
    );
  return new SingleSignOn(options.oidc, options.publicUrl);
}

/**
 * The web UI's policy: its own built scripts and styles only (no inline code, so injected markup
 * cannot run), WebAssembly for the zxing camera scanner, blob: and data: images for thumbnails
 * and scans, same-origin and blob: frames (and reads) for PDF previews, and no framing by other
 * pages.
 */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self' blob:",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "frame-src 'self' blob:",
  "object-src 'self' blob:",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The React app: static files, and index.html for every other page path (client routing). */
async function registerWeb(app: FastifyInstance, root: string | undefined): Promise<void> {
  const hasWeb = root !== undefined && existsSync(path.join(root, 'index.html'));
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith('/api/')) {
      reply.header('content-security-policy', WEB_CSP).header('x-frame-options', 'DENY');
    }
    done();
  });
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      // Vite names built assets by content hash: they never change.
      setHeaders: (res, file) => {
        if (file.includes(`${path.sep}assets${path.sep}`))
          res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const page = request.method === 'GET' && !request.url.startsWith('/api/');
    if (page && hasWeb)
      return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
    if (page)
      return reply
        .type('text/plain')
        .code(404)
        .send('The web UI is not built: run `npm run build:web`.');
    return errorHandler(
      new NotFoundError('route', `${request.method} ${request.url.split('?')[0]}`),
      request,
      reply,
    );
  });
}
