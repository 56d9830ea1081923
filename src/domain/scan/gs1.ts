import { ALPHABET, CODE_LENGTH } from '../code.js';
import { ValidationError } from '../errors.js';
import {
  aiAt,
  CHARSET_82,
  checkValue,
  GS1_AIS,
  gtinCheckDigit,
  hasPredefinedLength,
  hasValidCheckDigit,
  yymmddToIso,
} from './gs1-ai.js';

export { GS1_AIS, gtinCheckDigit, hasPredefinedLength, type Gs1Ai } from './gs1-ai.js';

/**
 * GS1 element strings as medical-device UDI labels carry them: GTIN, dates, lot, serial.
 * Pure: no clock is read unless `now` is left out (it only picks the century of YYMMDD dates).
 */
export interface Gs1Element {
  ai: string;
  value: string;
}

export interface Gs1Data {
  elements: Gs1Element[];
  /** 14 digits. */
  gtin?: string;
  lot?: string;
  serial?: string;
  /** ISO `YYYY-MM-DD`. */
  productionDate?: string;
  expiry?: string;
}

export interface Gs1Options {
  /** Today, for the GS1 century rule of YYMMDD dates; the clock when left out. */
  now?: Date;
}

const GS = '\x1d';

/** GTIN-8, -12, -13 or -14 with a right check digit, e.g. `9506000134352` or `00012345600012`. */
export function isValidGtin(text: string): boolean {
  return /^(?:\d{8}|\d{12,14})$/.test(text) && hasValidCheckDigit(text);
}

/** The 14-digit form of a GTIN-8/12/13/14, e.g. `9506000134352` → `09506000134352`. */
export function normalizeGtin(text: string): string {
  const digits = text.trim();
  if (!/^\d+$/.test(digits)) throw new ValidationError('gtin', 'must hold digits only');
  if (![8, 12, 13, 14].includes(digits.length))
    throw new ValidationError('gtin', `must have 8, 12, 13 or 14 digits, not ${digits.length}`);
  const expected = gtinCheckDigit(digits.slice(0, -1));
  if (!hasValidCheckDigit(digits))
    throw new ValidationError(
      'gtin',
      `check digit is ${digits.at(-1)}, expected ${expected} (${digits.slice(0, -1)}${expected})`,
    );
  return digits.padStart(14, '0');
}

// Symbology identifiers (ISO/IEC 15424) that announce GS1 data: DataMatrix, QR, Code 128,
// DataBar, Aztec. `]d1`, `]Q1`, `]C0` … announce plain data: not GS1.
const GS1_SYMBOLOGIES = new Set([']d2', ']Q3', ']C1', ']e0', ']J1']);

// What keyboard-wedge scanners type for FNC1/GS. `|` is safe to take: it lies outside GS1
// character set 82, so no GS1 value can hold it. Literal escapes (`\x1d`) come from scanner
// setups and copy-pasted log lines. Alternatives only, no quantifiers: linear on any input.
const GS_STAND_INS = /<GS>|\{GS\}|\[GS\]|<FNC1>|\{FNC1\}|\^\]|␝|\\x1d|\\u001d|\|/gi;

/**
 * Reads a GS1 element string: with or without a symbology identifier (`]d2`, `]Q3`, `]C1`,
 * `]e0`, `]J1`), FNC1 as GS or as typed stand-ins (`<GS>`, `{GS}`, `^]`, `␝`, `|`), the
 * bracketed human-readable form `(01)09506000134352(17)270101(10)ABC123`, an ISO/IEC 15434
 * format-05 envelope, or bare digits that start with a valid (01) GTIN and parse completely.
 * Null when the text is not GS1; ValidationError when it is GS1 but malformed.
 */
export function parseGs1(text: string, options: Gs1Options = {}): Gs1Data | null {
  const now = options.now ?? new Date();
  let s = text.trim();
  let declared = false;
  if (s.startsWith(']')) {
    if (!GS1_SYMBOLOGIES.has(s.slice(0, 3))) return null;
    s = s.slice(3);
    declared = true;
  }
  if (s.startsWith('(')) {
    if (!/^\(\d{2,4}\)/.test(s)) return null;
    return toData(readBracketed(s, now), now);
  }
  // eslint-disable-next-line no-control-regex -- RS and GS are what an envelope holds
  const envelope = /^\[\)>(?:\x1e|\{RS\}|<RS>|␞)?05(?:\x1d|\{GS\}|<GS>|␝)/i.exec(s);
  if (envelope) {
    s = withoutTrailer(s.slice(envelope[0].length));
    declared = true;
  }
  s = s.replace(GS_STAND_INS, GS);
  // FNC1 in first position, which some scanners pass on as a leading GS.
  while (s.startsWith(GS)) s = s.slice(1);
  if (!/^\d\d/.test(s)) {
    if (declared) throw new ValidationError('gs1', 'must start with an application identifier');
    return null;
  }
  if (declared || s.includes(GS)) {
    if (!declared && !aiAt(s, 0)) return null;
    return toData(readElementString(s, now), now);
  }
  return readBare(s, now);
}

const TRAILERS = ['\x1e', '\x04', '{RS}', '<RS>', '␞', '{EOT}', '<EOT>', '␄'];

/** The envelope's data without its RS EOT trailer (a loop: a regex `(…)+$` can be quadratic). */
function withoutTrailer(s: string): string {
  for (let cut = true; cut;) {
    cut = false;
    for (const t of TRAILERS)
      if (s.slice(-5).toUpperCase().endsWith(t)) {
        s = s.slice(0, -t.length);
        cut = true;
      }
  }
  return s;
}

/** Bare digits: GS1 only when they start with a valid (01) GTIN and everything parses. */
function readBare(s: string, now: Date): Gs1Data | null {
  if (!s.startsWith('01') || s.length < 16 || !isValidGtin(s.slice(2, 16))) return null;
  // A full Tracelot code is never GS1, even when its first 16 characters happen to look like
  // a (01) GTIN: codes are the identity. (Shorter prefixes need 16 leading digits with a right
  // check digit and a complete parse: about 1e-9 for a random code.)
  if (s.length === CODE_LENGTH && isCodeAlphabet(s)) return null;
  try {
    return toData(readElementString(s, now), now);
  } catch (error) {
    if (error instanceof ValidationError) return null;
    throw error;
  }
}

const CODE_CHARS = new Set(`${ALPHABET}ilo`);
function isCodeAlphabet(s: string): boolean {
  for (const c of s.toLowerCase()) if (!CODE_CHARS.has(c)) return false;
  return true;
}

function readElementString(s: string, now: Date): Gs1Element[] {
  const elements: Gs1Element[] = [];
  let at = 0;
  while (at < s.length) {
    if (s[at] === GS) {
      at++;
      continue;
    }
    const ai = aiAt(s, at);
    if (!ai) throw unknownAi(s.slice(at, at + 4));
    const start = at + ai.ai.length;
    let end: number;
    // FNC1 rules: a value of predefined length is taken whole; every other one, fixed-length
    // ones such as 422 included, runs to the next FNC1 (or the end), so a missing separator
    // shows as a value too long instead of being read as the next element.
    if (ai.predefined) {
      end = start + ai.min;
      // Only the value's own characters are searched: linear whatever the input.
      const value = s.slice(start, end);
      const cut = value.indexOf(GS);
      if (cut >= 0 || end > s.length)
        throw new ValidationError(
          `gs1 (${ai.ai})`,
          `${ai.title} must have ${ai.min} characters, not ${cut >= 0 ? cut : value.length}`,
        );
    } else {
      const gs = s.indexOf(GS, start);
      end = gs < 0 ? s.length : gs;
    }
    elements.push({ ai: ai.ai, value: checkValue(ai, s.slice(start, end), now) });
    at = end;
  }
  if (elements.length === 0) throw new ValidationError('gs1', 'holds no element');
  return elements;
}

function readBracketed(s: string, now: Date): Gs1Element[] {
  const elements: Gs1Element[] = [];
  const re = /\((\d{2,4})\)/g;
  let m = re.exec(s);
  if (!m || m.index !== 0) throw new ValidationError('gs1', 'must start with (AI)');
  while (m) {
    const ai = GS1_AIS.get(m[1]!);
    if (!ai) throw unknownAi(m[1]!);
    const start = m.index + m[0].length;
    // A value may hold brackets itself (character set 82 allows them): a fixed-length value is
    // taken whole, a variable one ends at the next bracketed known AI.
    let next: RegExpExecArray | null;
    if (ai.min === ai.max) {
      re.lastIndex = start + ai.min;
      next = re.exec(s);
      if (next && next.index !== start + ai.min) next = null;
      if (!next && start + ai.min !== s.length)
        throw new ValidationError(`gs1 (${ai.ai})`, `${ai.title} must have ${ai.min} characters`);
    } else {
      re.lastIndex = start;
      next = re.exec(s);
      while (next && !GS1_AIS.has(next[1]!)) next = re.exec(s);
    }
    elements.push({
      ai: ai.ai,
      value: checkValue(ai, s.slice(start, next ? next.index : s.length), now),
    });
    m = next;
  }
  return elements;
}

function unknownAi(digits: string): ValidationError {
  return new ValidationError(
    'gs1',
    `application identifier (${digits.replace(/\D.*$/s, '')}…) is not in GS1's table`,
  );
}

/**
 * ISO date of a GS1 YYMMDD date. Century rule (General Specifications 7.12): a year 51–99 ahead
 * of this year is in the last century, one 50 or more behind is in the next; DD 00 is the last
 * day of the month.
 */
export function gs1Date(value: string, now: Date = new Date(), field = 'gs1 date'): string {
  return yymmddToIso(value, field, now);
}

function toData(elements: Gs1Element[], now: Date): Gs1Data {
  const seen = new Map<string, string>();
  for (const e of elements) {
    const before = seen.get(e.ai);
    if (before !== undefined && before !== e.value)
      throw new ValidationError(`gs1 (${e.ai})`, `appears twice with different values`);
    seen.set(e.ai, e.value);
  }
  const data: Gs1Data = { elements };
  const gtin = seen.get('01');
  if (gtin !== undefined) data.gtin = gtin;
  const lot = seen.get('10');
  if (lot !== undefined) data.lot = lot;
  const serial = seen.get('21');
  if (serial !== undefined) data.serial = serial;
  const made = seen.get('11');
  if (made !== undefined) data.productionDate = yymmddToIso(made, 'gs1 (11)', now);
  const expiry = seen.get('17');
  if (expiry !== undefined) data.expiry = yymmddToIso(expiry, 'gs1 (17)', now);
  return data;
}

export interface UdiInput {
  gtin: string;
  /** ISO `YYYY-MM-DD`. */
  productionDate?: string;
  expiry?: string;
  lot?: string;
  serial?: string;
}

/** The UDI elements in label order (01, 11, 17, 10, 21), each value checked. */
export function udiElements(input: UdiInput): Gs1Element[] {
  const elements: Gs1Element[] = [{ ai: '01', value: normalizeGtin(input.gtin) }];
  if (input.productionDate !== undefined)
    elements.push({ ai: '11', value: isoToYymmdd(input.productionDate, 'productionDate') });
  if (input.expiry !== undefined)
    elements.push({ ai: '17', value: isoToYymmdd(input.expiry, 'expiry') });
  if (input.lot !== undefined) elements.push({ ai: '10', value: udiText(input.lot, 'lot') });
  if (input.serial !== undefined)
    elements.push({ ai: '21', value: udiText(input.serial, 'serial') });
  return elements;
}

function isoToYymmdd(iso: string, field: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !date || date.toISOString().slice(0, 10) !== iso)
    throw new ValidationError(field, `must be a date YYYY-MM-DD, not '${iso}'`);
  return `${m[1]!.slice(2)}${m[2]}${m[3]}`;
}

/**
 * The most characters a UDI's lot (10) or serial (21) holds. A unit without a customer serial
 * carries this many leading characters of its code as its serial, which the resolver finds again.
 */
export const UDI_TEXT_MAX = 20;

function udiText(value: string, field: string): string {
  if (value.length === 0 || value.length > UDI_TEXT_MAX)
    throw new ValidationError(
      field,
      `must have 1 to ${UDI_TEXT_MAX} characters, not ${value.length}`,
    );
  if (!CHARSET_82.test(value))
    throw new ValidationError(
      field,
      'may hold only GS1 character set 82: A-Z a-z 0-9 and ! " % & \' ( ) * + , - . / : ; < = > ? _',
    );
  return value;
}

/** `(01)09506000134352(17)270101(10)ABC123`: the text printed under the symbol. */
export function gs1HumanReadable(elements: Gs1Element[]): string {
  return elements.map((e) => `(${e.ai})${e.value}`).join('');
}

/**
 * The human-readable UDI printed with the symbol: the bracketed element string with the
 * production date (11) written YYYY-MM-DD, as dates on device labels are, e.g.
 * `(01)09506000134352(11)261205(21)X1` → `(01)09506000134352(11)2026-12-05(21)X1`.
 */
export function udiHumanReadable(bracketed: string, now?: Date): string {
  return bracketed.replace(
    /\(11\)(\d{6})(?=\(|$)/,
    (_, date: string) => `(11)${gs1Date(date, now, 'gs1 (11)')}`,
  );
}

/** The data to encode after FNC1: a separator only after variable-length elements not last. */
export function gs1ElementString(elements: Gs1Element[], separator = GS): string {
  let out = '';
  elements.forEach((e, i) => {
    out += e.ai + e.value;
    if (i < elements.length - 1 && !hasPredefinedLength(e.ai)) out += separator;
  });
  return out;
}
