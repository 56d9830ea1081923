import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Context } from '../context.js';
import { CodeParams } from '../domain/common.schemas.js';
import type { LabelRenderer } from '../labels/label-render.js';
import { PrintQueue } from './print-queue.js';
import { createPrintJob, getPrintJob, listPrintJobs, retryPrintJob } from './print-job.service.js';
import {
  Printer,
  PrinterCreate,
  PrinterQuery,
  PrinterUpdate,
  PrintJob,
  PrintJobCreate,
  PrintJobPage,
  PrintJobQuery,
} from './printer.schemas.js';
import { createPrinter, getPrinter, listPrinters, updatePrinter } from './printer.service.js';

export const printerRoutes: FastifyPluginAsyncZod<{
  ctx: Context;
  publicUrl?: string | undefined;
  renderer: LabelRenderer;
  /** How often the sender looks for queued jobs besides when one is queued here; false: none. */
  sender?: false | { pollMs: number } | undefined;
}> = async (app, { ctx, publicUrl, renderer, sender }) => {
  const tags = ['printers'];
  const admin = { access: 'admin' as const };
  // Printing was a viewer's to do before jobs (POST /labels): it still is; the job records who.
  const printing = { access: 'read' as const };
  const queue = new PrintQueue(ctx, renderer, sender ? sender.pollMs : undefined);
  if (sender !== false) app.addHook('onReady', () => queue.start());
  app.addHook('onClose', () => queue.close());

  app.get(
    '/printers',
    {
      schema: {
        tags,
        summary: 'List printers (every user: the print forms offer them)',
        querystring: PrinterQuery,
        response: { 200: z.object({ items: z.array(Printer) }) },
      },
    },
    async (req) => ({ items: await listPrinters(ctx, req.query) }),
  );
  app.post(
    '/printers',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Add a printer of this site (admins; logged)',
        body: PrinterCreate,
        response: { 201: Printer },
      },
    },
    async (req, reply) => reply.code(201).send(await createPrinter(ctx, req.actor, req.body)),
  );
  app.get(
    '/printers/:code',
    {
      schema: {
        tags,
        summary: 'Get a printer by code or name',
        params: CodeParams,
        response: { 200: Printer },
      },
    },
    (req) => getPrinter(ctx, req.params.code),
  );
  app.patch(
    '/printers/:code',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Rename, readdress or (de)activate a printer (admins; logged)',
        params: CodeParams,
        body: PrinterUpdate,
        response: { 200: Printer },
      },
    },
    (req) => updatePrinter(ctx, req.actor, req.params.code, req.body),
  );

  app.post(
    '/print-jobs',
    {
      config: printing,
      schema: {
        tags,
        summary: 'Print labels to a printer: queues a job, which the server sends (logged)',
        description:
          'The labels are checked now (400 naming the field, as for POST /labels); the job answers `queued` and the server sends it in the background: GET /print-jobs/{code} shows `sent` or `failed` with the reason. Each object labelled gets a `printed` history event, `reprint: true` when some earlier job labelled it.',
        body: PrintJobCreate,
        response: { 201: PrintJob },
      },
    },
    async (req, reply) => {
      const base = publicUrl ?? `${req.protocol}://${req.host}`;
      const job = await createPrintJob(ctx, req.actor, req.body, base);
      queue.wake();
      return reply.code(201).send(job);
    },
  );
  app.get(
    '/print-jobs',
    {
      schema: {
        tags,
        summary: 'List print jobs, newest first, by status and printer',
        querystring: PrintJobQuery,
        response: { 200: PrintJobPage },
      },
    },
    (req) => listPrintJobs(ctx, req.query),
  );
  app.get(
    '/print-jobs/:code',
    {
      schema: { tags, summary: 'Get a print job', params: CodeParams, response: { 200: PrintJob } },
    },
    (req) => getPrintJob(ctx, req.params.code),
  );
  app.post(
    '/print-jobs/:code/retry',
    {
      config: printing,
      schema: {
        tags,
        summary: 'Queue a failed print job again (logged)',
        params: CodeParams,
        response: { 200: PrintJob },
      },
    },
    async (req) => {
      const job = await retryPrintJob(ctx, req.actor, req.params.code);
      queue.wake();
      return job;
    },
  );
};
