import { z } from 'zod';
import { Actor, Name, Paging, page } from '../domain/common.schemas.js';
import { ZPL_DPIS } from '../domain/label-media.js';
import { PRINT_JOB_STATUSES, PRINTER_KINDS } from '../domain/printer.js';
import { PrintRequest } from '../labels/label.schemas.js';

const Dpi = z
  .union(ZPL_DPIS.map((d) => z.literal(d)) as [z.ZodLiteral<203>, z.ZodLiteral<300>])
  .describe('ZPL: the printer resolution in dots per inch');
const Address = z
  .string()
  .max(500)
  .describe('zpl: host or host:port (default port 9100); ipp: ipp://host:631/printers/NAME');

export const PrinterCreate = z.strictObject({
  name: Name,
  kind: z.enum(PRINTER_KINDS).describe('zpl: ZPL over raw TCP; ipp: PDF by IPP Print-Job'),
  address: Address,
  dpi: Dpi.default(203),
});
export type PrinterCreate = z.input<typeof PrinterCreate>;

export const PrinterUpdate = z.strictObject({
  name: Name.optional(),
  address: Address.optional(),
  dpi: Dpi.optional(),
  active: z.boolean().optional().describe('false: no new jobs go to it'),
});
export type PrinterUpdate = z.input<typeof PrinterUpdate>;

export const Printer = z.object({
  code: z.string(),
  shortCode: z.string(),
  name: z.string(),
  siteId: z.string(),
  kind: z.enum(PRINTER_KINDS),
  address: z.string(),
  dpi: z.number(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Printer = z.infer<typeof Printer>;

export const PrinterQuery = z.object({
  active: z.enum(['true', 'false', 'any']).default('any'),
});

/** The most copies of each label one job prints. */
export const MAX_COPIES = 100;

const { template, media, symbology, codes, build, units, shipment } = PrintRequest.shape;
export const PrintJobCreate = z
  .strictObject({
    printer: z.string().max(200).describe("the printer's name or code"),
    template,
    media,
    symbology,
    codes,
    build,
    units,
    shipment,
    copies: z.number().int().min(1).max(MAX_COPIES).default(1).describe('copies of each label'),
  })
  .describe(
    'Queues labels for a printer: a ZPL printer gets ZPL at its resolution, an IPP printer a PDF. Give codes, a build or a shipment, as for POST /labels.',
  );
export type PrintJobCreate = z.input<typeof PrintJobCreate>;

export const PrintJob = z.object({
  code: z.string(),
  shortCode: z.string(),
  printer: z.object({ code: z.string(), name: z.string(), kind: z.enum(PRINTER_KINDS) }),
  template: z.string().nullable().describe("the template's code; null: the media's default"),
  media: z.string().nullable(),
  symbology: z.string().nullable(),
  objects: z.array(z.string()).describe('the codes labelled, in print order'),
  copies: z.number(),
  labels: z.number().describe('labels in all: objects × copies'),
  reprint: z.boolean().describe('some object of the job had been labelled before'),
  status: z.enum(PRINT_JOB_STATUSES),
  reason: z.string().nullable().describe("failed: the printer's or the connection's reason"),
  attempts: z.number(),
  createdBy: Actor,
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type PrintJob = z.infer<typeof PrintJob>;

export const PrintJobQuery = Paging.extend({
  status: z.enum(PRINT_JOB_STATUSES).optional(),
  printer: z.string().max(200).optional().describe("a printer's name or code"),
});
export type PrintJobQuery = z.input<typeof PrintJobQuery>;

export const PrintJobPage = page(PrintJob);
