import bwipjs from 'bwip-js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CodeParams } from '../domain/common.schemas.js';
import { parseCode } from '../domain/code.js';
import { objectUrl } from '../domain/object-url.js';

export const qrRoutes: FastifyPluginAsyncZod<{ publicUrl?: string | undefined }> = async (
  app,
  { publicUrl },
) => {
  app.get(
    '/codes/:code/qr.svg',
    {
      schema: {
        tags: ['codes'],
        summary: "QR code (SVG) of the object's page URL",
        params: CodeParams,
        response: { 200: z.string().describe('image/svg+xml') },
      },
    },
    async (req, reply) => {
      const code = parseCode(req.params.code);
      const base = publicUrl ?? `${req.protocol}://${req.host}`;
      const svg = bwipjs.toSVG({ bcid: 'qrcode', text: objectUrl(base, code), scale: 4 });
      return reply.type('image/svg+xml').header('cache-control', 'private, max-age=3600').send(svg);
    },
  );
};
