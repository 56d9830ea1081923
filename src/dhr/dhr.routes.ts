import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Context } from '../context.js';
import { CodeParams } from '../domain/common.schemas.js';
import { contentDisposition } from '../domain/media-type.js';
import { renderDhrPdf } from './dhr-pdf.js';
import { Dhr } from './dhr.schemas.js';
import { getBuildDhr, getUnitDhr } from './dhr.service.js';

export const dhrRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  const tags = ['dhr'];
  const pdfDescription =
    'application/pdf: the same content as the JSON form, section by section (docs/dhr.md)';
  app.get(
    '/units/:code/dhr.json',
    {
      schema: {
        tags,
        summary:
          "A unit's Device History Record: identity, build and BOM, genealogy down to supplier lots, stages, tests, installations, service events, shipments, files, history",
        params: CodeParams,
        response: { 200: Dhr },
      },
    },
    (req) => getUnitDhr(ctx, req.params.code, req.actor),
  );
  app.get(
    '/units/:code/dhr.pdf',
    {
      schema: {
        tags,
        summary: "A unit's Device History Record as a PDF",
        description: pdfDescription,
        params: CodeParams,
      },
    },
    async (req, reply) => sendPdf(reply, await getUnitDhr(ctx, req.params.code, req.actor)),
  );
  app.get(
    '/builds/:code/dhr.json',
    {
      schema: {
        tags,
        summary:
          "A build's Device History Record: the build, its BOM, stages and materials, a table of its units, then each unit's record",
        params: CodeParams,
        response: { 200: Dhr },
      },
    },
    (req) => getBuildDhr(ctx, req.params.code, req.actor),
  );
  app.get(
    '/builds/:code/dhr.pdf',
    {
      schema: {
        tags,
        summary: "A build's Device History Record as a PDF",
        description: pdfDescription,
        params: CodeParams,
      },
    },
    async (req, reply) => sendPdf(reply, await getBuildDhr(ctx, req.params.code, req.actor)),
  );
};

async function sendPdf(reply: FastifyReply, dhr: Dhr): Promise<FastifyReply> {
  const pdf = await renderDhrPdf(dhr);
  return reply
    .type('application/pdf')
    .header(
      'content-disposition',
      contentDisposition('attachment', `dhr-${dhr.kind}-${dhr.shortCode}.pdf`),
    )
    .header('cache-control', 'no-store')
    .send(pdf);
}
