import { parseDistributorBarcode, type DistributorScan } from './distributor.js';
import { parseGs1, type Gs1Data, type Gs1Options } from './gs1.js';

/**
 * What the scan box makes of text that is not a Tracelot code: GS1 data (UDI labels) or a
 * distributor's bag label. Tracelot's own codes are the resolver's business (src/resolver).
 */
export type RecognisedScan =
  { kind: 'gs1'; gs1: Gs1Data } | { kind: 'distributor'; scan: DistributorScan };

/**
 * Null when the text is neither GS1 nor a distributor label. Never throws, except a
 * ValidationError for text that declares itself GS1 (symbology identifier, brackets, FNC1
 * separators, a 15434 format-05 envelope) but is malformed: a wrong check digit or date, an
 * unknown AI. Those are errors, not warnings, because a UDI read wrongly must not be recorded
 * against a device; distributor labels instead carry `warnings`, since a person checks the
 * pre-filled receipt anyway.
 */
export function recogniseScan(text: string, options: Gs1Options = {}): RecognisedScan | null {
  // Cheap checks first: the first character tells most formats apart.
  const first = text.trimStart()[0];
  if (first === undefined) return null;
  // GS1 starts with a digit, a symbology identifier, a bracket or an FNC1 stand-in, never
  // with these: the start of TME codes and of Mouser's old header.
  if (first === 'Q' || first === 'P' || first === '>') return distributor(text);
  const gs1 = parseGs1(text, options);
  if (gs1) return { kind: 'gs1', gs1 };
  return distributor(text);
}

function distributor(text: string): RecognisedScan | null {
  const scan = parseDistributorBarcode(text);
  return scan ? { kind: 'distributor', scan } : null;
}
