import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Context } from '../context.js';
import { CodeParams } from '../domain/common.schemas.js';
import { contentDisposition } from '../domain/media-type.js';
import {
  LabelMediaItem,
  LabelTemplate,
  LabelTemplateCreate,
  LabelTemplateQuery,
  LabelTemplateUpdate,
  PrintRequest,
} from './label.schemas.js';
import { printLabels } from './label-print.service.js';
import type { LabelRenderer } from './label-render.js';
import type { Metrics } from '../metrics/metrics.js';
import { LabelRenderPool } from './label-render.pool.js';
import {
  createLabelTemplate,
  getLabelTemplate,
  listLabelMedia,
  listLabelTemplates,
  updateLabelTemplate,
} from './label-template.service.js';

export const labelRoutes: FastifyPluginAsyncZod<{
  ctx: Context;
  publicUrl?: string | undefined;
  /** Default: a pool of worker threads of its own, stopped when the server closes. */
  renderer?: LabelRenderer | undefined;
  /** Where the pool reports its queue (jobs waiting, jobs running). */
  metrics?: Metrics | undefined;
}> = async (app, { ctx, publicUrl, renderer: given, metrics }) => {
  const tags = ['labels'];
  let renderer = given;
  if (!renderer) {
    const pool = new LabelRenderPool();
    app.addHook('onClose', () => pool.close());
    metrics?.report('label_render_queue', () => pool.stats().queued);
    metrics?.report('label_renders_running', () => pool.stats().running);
    renderer = pool;
  }
  app.get(
    '/label-media',
    {
      schema: {
        tags,
        summary: 'Label media presets: tapes, thermal labels, A4 sheets',
        response: { 200: z.object({ items: z.array(LabelMediaItem) }) },
      },
    },
    () => ({ items: listLabelMedia() }),
  );
  app.get(
    '/label-templates',
    {
      schema: {
        tags,
        summary: 'List label templates',
        querystring: LabelTemplateQuery,
        response: { 200: z.object({ items: z.array(LabelTemplate) }) },
      },
    },
    async (req) => ({ items: await listLabelTemplates(ctx, req.query) }),
  );
  app.post(
    '/label-templates',
    {
      schema: {
        tags,
        summary: 'Create a label template',
        body: LabelTemplateCreate,
        response: { 201: LabelTemplate },
      },
    },
    async (req, reply) => reply.code(201).send(await createLabelTemplate(ctx, req.actor, req.body)),
  );
  app.get(
    '/label-templates/:code',
    {
      schema: {
        tags,
        summary: 'Get a label template by code or name',
        params: CodeParams,
        response: { 200: LabelTemplate },
      },
    },
    (req) => getLabelTemplate(ctx, req.params.code),
  );
  app.patch(
    '/label-templates/:code',
    {
      schema: {
        tags,
        summary: 'Change or archive a label template',
        params: CodeParams,
        body: LabelTemplateUpdate,
        response: { 200: LabelTemplate },
      },
    },
    (req) => updateLabelTemplate(ctx, req.actor, req.params.code, req.body),
  );
  app.post(
    '/labels',
    {
      // Printing changes nothing: viewers print labels too.
      config: { access: 'read' },
      schema: {
        tags,
        summary:
          'Print labels: application/pdf (label printers, A4 sheets) or ZPL text (thermal printers)',
        description:
          "The symbols carry each object's page URL (`<public URL>/c/<code>`) or, by the template, the bare code; UDI templates (gs1datamatrix) carry GS1 data from the part's GTIN. Labels are drawn in worker threads and streamed; when as many are being drawn as the server allows, the answer is 503 with Retry-After.",
        body: PrintRequest,
      },
    },
    async (req, reply) => {
      const base = publicUrl ?? `${req.protocol}://${req.host}`;
      const printed = await printLabels(ctx, req.body, base, renderer);
      return reply
        .type(printed.contentType)
        .header('content-disposition', contentDisposition('inline', printed.fileName))
        .header('x-label-count', String(printed.count))
        .header('cache-control', 'no-store')
        .send(printed.body);
    },
  );
};
