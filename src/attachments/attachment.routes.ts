import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { Context } from '../context.js';
import { CodeParams } from '../domain/common.schemas.js';
import { ConflictError, ValidationError } from '../domain/errors.js';
import { contentDisposition, isInline } from '../domain/media-type.js';
import { Attachment, ListQuery, RemoveRequest, UploadQuery } from './attachment.schemas.js';
import {
  getAttachment,
  listAttachments,
  openAttachmentContent,
  removeAttachment,
  uploadAttachment,
} from './attachment.service.js';
import { PayloadTooLargeError, type FileStore } from './file-store.js';

/**
 * Content security for served files. Nothing an upload contains may run as this site: no
 * script, no sniffing, a sandboxed document. PDF is the exception to `sandbox` only, because
 * Chromium's built-in PDF viewer does not load in a sandboxed document.
 */
const CSP_SANDBOXED = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; sandbox";
const CSP_PDF = "default-src 'none'; object-src 'self'; frame-ancestors 'self'";

export const attachmentRoutes: FastifyPluginAsyncZod<{
  ctx: Context;
  files: FileStore | undefined;
}> = async (app, { ctx, files }) => {
  const tags = ['attachments'];
  // Uploads are the raw bytes, streamed to disk (never buffered): this parser hands the
  // request stream to the route. Encapsulated: only these routes accept octet-streams.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => {
    done(null, payload);
  });
  const store = (): FileStore => {
    if (!files) throw new ConflictError('this server has no data folder for attachments', 'file');
    return files;
  };

  app.post(
    '/attachments',
    {
      schema: {
        tags,
        summary:
          'Attach a file (the request body is the file, Content-Type application/octet-stream)',
        description:
          'The media type is detected from the content. Larger than the limit (default 50 MB): 413.',
        querystring: UploadQuery,
        response: { 201: Attachment },
      },
    },
    async (req, reply) => {
      const limit = store().maxUploadBytes;
      // Refused before a byte is read when the size is declared.
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > limit) throw new PayloadTooLargeError(limit);
      const body = req.body as Readable | undefined;
      if (!body || typeof (body as Readable).pipe !== 'function')
        throw new ValidationError(
          'file',
          'send the file as the request body with Content-Type: application/octet-stream',
        );
      const attachment = await uploadAttachment(ctx, store(), req.actor, req.query, body);
      return reply.code(201).send(attachment);
    },
  );
  app.get(
    '/attachments',
    {
      schema: {
        tags,
        summary: "An object's attachments, oldest first",
        querystring: ListQuery,
        response: { 200: z.object({ items: z.array(Attachment) }) },
      },
    },
    async (req) => ({ items: await listAttachments(ctx, req.actor, req.query) }),
  );
  app.get(
    '/attachments/:code',
    {
      schema: {
        tags,
        summary: 'An attachment (removed ones: admins only)',
        params: CodeParams,
        response: { 200: Attachment },
      },
    },
    (req) => getAttachment(ctx, req.actor, req.params.code),
  );
  app.get(
    '/attachments/:code/content',
    {
      schema: {
        tags,
        summary: 'The file: images and PDF inline, everything else as a download',
        params: CodeParams,
      },
    },
    async (req, reply) => {
      const { attachment, content } = await openAttachmentContent(
        ctx,
        store(),
        req.actor,
        req.params.code,
      );
      const etag = `"${attachment.sha256}"`;
      reply
        .header('content-type', attachment.mediaType)
        .header('content-length', String(attachment.size))
        .header(
          'content-disposition',
          contentDisposition(
            isInline(attachment.mediaType) ? 'inline' : 'attachment',
            attachment.fileName,
          ),
        )
        .header('x-content-type-options', 'nosniff')
        .header(
          'content-security-policy',
          attachment.mediaType === 'application/pdf' ? CSP_PDF : CSP_SANDBOXED,
        )
        .header('cross-origin-resource-policy', 'same-origin')
        // Revalidated every time: a removed attachment must stop being served.
        .header('cache-control', 'private, no-cache')
        .header('etag', etag);
      if (req.headers['if-none-match'] === etag) {
        content.destroy();
        return reply.code(304).send();
      }
      return reply.send(content);
    },
  );
  app.post(
    '/attachments/:code/remove',
    {
      schema: {
        tags,
        summary: 'Remove an attachment, with a reason (recorded; admins can still fetch it)',
        params: CodeParams,
        body: RemoveRequest,
        response: { 200: Attachment },
      },
    },
    (req) => removeAttachment(ctx, req.actor, req.params.code, req.body),
  );
};
