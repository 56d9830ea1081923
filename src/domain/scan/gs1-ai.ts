/**
 * The GS1 application identifiers Tracelot reads (GS1 General Specifications, section 3, and the
 * GS1 Barcode Syntax Dictionary). Enough for medical-device UDI labels and logistic labels.
 */

/** How a value is checked beyond its length and character set. */
export type Gs1Check =
  | 'gtin' // 14 digits, GS1 check digit
  | 'sscc' // 18 digits, GS1 check digit
  | 'date' // YYMMDD, DD may be 00
  | 'datetime' // YYMMDDHHMM
  | 'gdti' // 13-digit document type with check digit, then up to 17 characters
  | 'gln' // 13 digits, GS1 check digit
  | 'country' // ISO 3166 numeric, 3 digits
  | 'country-postal'; // ISO 3166 numeric, 3 digits, then up to 9 characters

export interface Gs1Ai {
  ai: string;
  title: string;
  /** N: digits only; X: GS1 character set 82. */
  charset: 'N' | 'X';
  min: number;
  max: number;
  check?: Gs1Check;
}

const fixed = (ai: string, title: string, n: number, check?: Gs1Check): Gs1Ai => ({
  ai,
  title,
  charset: 'N',
  min: n,
  max: n,
  ...(check ? { check } : {}),
});
const text = (ai: string, title: string, max: number): Gs1Ai => ({
  ai,
  title,
  charset: 'X',
  min: 1,
  max,
});

const AIS: Gs1Ai[] = [
  fixed('00', 'SSCC', 18, 'sscc'),
  fixed('01', 'GTIN', 14, 'gtin'),
  fixed('02', 'GTIN of contained trade items', 14, 'gtin'),
  text('10', 'Batch/lot', 20),
  fixed('11', 'Production date', 6, 'date'),
  fixed('12', 'Due date', 6, 'date'),
  fixed('13', 'Packaging date', 6, 'date'),
  fixed('15', 'Best before date', 6, 'date'),
  fixed('16', 'Sell by date', 6, 'date'),
  fixed('17', 'Expiration date', 6, 'date'),
  fixed('20', 'Internal product variant', 2),
  text('21', 'Serial number', 20),
  text('22', 'Consumer product variant', 20),
  { ai: '30', title: 'Variable count', charset: 'N', min: 1, max: 8 },
  { ai: '37', title: 'Count of trade items', charset: 'N', min: 1, max: 8 },
  text('240', 'Additional product identification', 30),
  text('241', 'Customer part number', 30),
  text('250', 'Secondary serial number', 30),
  text('251', 'Reference to source entity', 30),
  { ai: '253', title: 'GDTI', charset: 'X', min: 13, max: 30, check: 'gdti' },
  text('400', "Customer's purchase order number", 30),
  text('401', 'GINC', 30),
  fixed('410', 'Ship to GLN', 13, 'gln'),
  fixed('411', 'Bill to GLN', 13, 'gln'),
  fixed('412', 'Purchased from GLN', 13, 'gln'),
  fixed('413', 'Ship for GLN', 13, 'gln'),
  fixed('414', 'GLN of a physical location', 13, 'gln'),
  text('420', 'Ship to postal code', 20),
  {
    ai: '421',
    title: 'Ship to postal code with country',
    charset: 'X',
    min: 4,
    max: 12,
    check: 'country-postal',
  },
  fixed('422', 'Country of origin', 3, 'country'),
  fixed('7003', 'Expiration date and time', 10, 'datetime'),
  text('8004', 'GIAI', 30),
  text('8020', 'Payment slip reference number', 25),
];

export const GS1_AIS: ReadonlyMap<string, Gs1Ai> = new Map(AIS.map((a) => [a.ai, a]));

/**
 * AIs whose first two digits appear here have a predefined length (General Specifications,
 * figure 7.8.5-2): no FNC1 follows them even when another element comes next. Every other
 * element, fixed-length ones such as 422 or 7003 included, is ended by FNC1 unless it is last.
 */
const PREDEFINED_LENGTH = new Set([
  '00',
  '01',
  '02',
  '03',
  '04',
  '11',
  '12',
  '13',
  '14',
  '15',
  '16',
  '17',
  '18',
  '19',
  '20',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '41',
]);

export function hasPredefinedLength(ai: string): boolean {
  return PREDEFINED_LENGTH.has(ai.slice(0, 2));
}

/** The AI that `text` starts with at `at` (AIs are prefix-free, so at most one matches). */
export function aiAt(text: string, at: number): Gs1Ai | undefined {
  for (let n = 2; n <= 4; n++) {
    const ai = GS1_AIS.get(text.slice(at, at + n));
    if (ai) return ai;
  }
  return undefined;
}

/** GS1 character set 82 (General Specifications figure 7.11-1): what X values may hold. */
export const CHARSET_82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;
