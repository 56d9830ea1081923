import { scannedText } from '../domain/control-characters.js';
import { z } from 'zod';
import { Candidate } from '../domain/common.schemas.js';
import { Resolved } from './resolve.schemas.js';

export const ScanQuery = z.object({
  q: scannedText(
    z
      .string()
      .min(1)
      .max(4000)
      .describe(
        'anything scanned or typed: a code, a URL, a customer serial, a GS1 element string, a distributor bag label',
      ),
  ),
});

export const SCAN_FORMATS = ['code', 'serial', 'gs1', 'iso15434', 'lcsc', 'tme', 'none'] as const;

export const ScanField = z.object({ id: z.string(), label: z.string(), value: z.string() });

export const Receipt = z
  .object({
    part: z.object({ code: z.string(), name: z.string() }).optional(),
    quantity: z.string().optional(),
    vendorLot: z.string().optional(),
    dateCode: z.string().optional(),
    orderReference: z.string().optional(),
    countryOfOrigin: z.string().optional(),
    mpn: z.string().optional(),
    supplierPartNumber: z.string().optional(),
    manufacturer: z.string().optional(),
    supplier: z.string().optional(),
  })
  .describe('what a stock receipt of a scanned bag label is pre-filled with');
export type Receipt = z.infer<typeof Receipt>;

export const ScanResult = z.object({
  text: z.string().describe('the scanned text with control characters made visible (␞ ␝ ␄)'),
  recognised: z.enum(SCAN_FORMATS),
  fields: z.array(ScanField).describe('what was read: MPN, quantity, lot, date code, GTIN, …'),
  resolved: Resolved.optional().describe('the one object the scan names'),
  candidates: z.array(Candidate).optional().describe('several objects match: never a guess'),
  receipt: Receipt.optional(),
  warnings: z.array(z.string()).describe('what was guessed or looks wrong'),
  message: z.string().optional().describe('why nothing was resolved'),
});
export type ScanResult = z.infer<typeof ScanResult>;
