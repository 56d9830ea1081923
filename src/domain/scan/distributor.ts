/**
 * Distributor bag labels: ISO/IEC 15434 envelopes with ANSI MH10.8.2 data identifiers
 * (Digi-Key, Mouser and other ECIA labels), LCSC QR codes, TME QR and DataMatrix codes.
 * Pure; linear in the length of the text whatever it holds.
 */
import { parseIso15434 } from './ecia.parser.js';
import { parseLcsc } from './lcsc.parser.js';
import { parseTme } from './tme.parser.js';
import type { DistributorScan } from './distributor-fields.js';

export {
  showControlCharacters,
  type DistributorField,
  type DistributorScan,
} from './distributor-fields.js';

/** Symbology identifier of a plain (not GS1) symbol, e.g. `]d1` or `]Q1`: dropped. */
const SYMBOLOGY_ID = /^\][A-Za-z]\d/;

/**
 * Reads a distributor's bag label, e.g. `[)>␞06␝P296-LM358BIDDFRCT-ND␝1PLM358BIDDFR␝Q10␞␄`,
 * `{pbn:…,pc:C2040,pm:RP2040,qty:10}` or `QTY:1 PN:WBP-302 … MPN:WBP-302`; null when it is
 * none of these.
 */
export function parseDistributorBarcode(text: string): DistributorScan | null {
  let s = text.trim();
  if (SYMBOLOGY_ID.test(s)) s = s.slice(3);
  if (s.startsWith('{')) return parseLcsc(s);
  const header = s.indexOf('[)>');
  if (header >= 0 && header <= 2) return parseIso15434(s);
  return parseTme(s);
}
