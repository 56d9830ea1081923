import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Context } from '../context.js';
import { CodeParams } from '../domain/common.schemas.js';
import { contentDisposition } from '../domain/media-type.js';
import { renderDhrPdf } from './dhr-pdf.js';
import { Dhr } from './dhr.schemas.js';
import { getBuildDhr, getUnitDhr } from './dhr.service.js';

/** The same two routes for a unit and for a build: the record as JSON, and as a PDF. */
const SUBJECTS = [
  {
    path: '/units/:code',
    what: "A unit's",
    contents:
      'identity, build and BOM, genealogy down to supplier lots, stages, tests, installations, service events, shipments, files, history',
    get: getUnitDhr,
  },
  {
    path: '/builds/:code',
    what: "A build's",
    contents:
      "the build, its BOM, stages and materials, a table of its units, then each unit's record",
    get: getBuildDhr,
  },
] as const;

export const dhrRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  const tags = ['dhr'];
  for (const { path, what, contents, get } of SUBJECTS) {
    app.get(
      `${path}/dhr.json`,
      {
        schema: {
          tags,
          summary: `${what} Device History Record: ${contents}`,
          params: CodeParams,
          response: { 200: Dhr },
        },
      },
      (req) => get(ctx, req.params.code, req.actor),
    );
    app.get(
      `${path}/dhr.pdf`,
      {
        schema: {
          tags,
          summary: `${what} Device History Record as a PDF`,
          description:
            'application/pdf: the same content as the JSON form, section by section (docs/dhr.md)',
          params: CodeParams,
        },
      },
      async (req, reply) => sendPdf(reply, await get(ctx, req.params.code, req.actor)),
    );
  }
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
