import { ValidationError } from './errors.js';

/**
 * Codes: the identity of every labelled object.
 *
 * A code is a UUID written in 26-character compact form: the 128 bits as two 64-bit big-endian
 * halves, each half 13 characters of lowercase Crockford base32 whose first character carries
 * 4 bits and the other twelve 5 bits each.
 */

export const CODE_LENGTH = 26;
export const SHORT_CODE_LENGTH = 8;
export const MIN_PREFIX_LENGTH = 4;
export const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

const HALF = 13;
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;
// Crockford's aliases: letters that read like digits.
VALUE['i'.charCodeAt(0)] = 1;
VALUE['l'.charCodeAt(0)] = 1;
VALUE['o'.charCodeAt(0)] = 0;

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/;

/** Compact code of a UUID, e.g. `codeFromUuid('00000000-0000-4000-8000-000000000000')`. */
export function codeFromUuid(uuid: string): string {
  const hex = uuid.replace(/-/g, '');
  return encodeHalf(hex, 0) + encodeHalf(hex, 16);
}

/** Canonical UUID (lowercase, hyphenated) of a canonical compact code. */
export function uuidFromCode(code: string): string {
  const hex = decodeHalf(code, 0) + decodeHalf(code, HALF);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A new random code (UUID v4 from the cryptographic source, or the injected one). The Web
 * Crypto global, not node:crypto: the web app uses this module too, and Node has the same one.
 */
export function newCode(randomUuid: () => string = () => crypto.randomUUID()): string {
  return codeFromUuid(randomUuid());
}

export function shortCode(code: string): string {
  return code.slice(0, SHORT_CODE_LENGTH);
}

export function isCanonicalCode(text: string): boolean {
  return text.length === CODE_LENGTH && isCanonicalStart(text);
}

/** Whether the text is, as it stands, the start of a canonical code (lowercase, no aliases). */
function isCanonicalStart(text: string): boolean {
  if (text.length > CODE_LENGTH) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? VALUE[c]! : -1;
    if (v < 0 || ALPHABET.charCodeAt(v) !== c) return false;
    if ((i === 0 || i === HALF) && v > 15) return false;
  }
  return true;
}

export type ParsedCode = { type: 'code'; code: string } | { type: 'prefix'; prefix: string };

/**
 * Reads a code, or a prefix of 4–25 characters, from forgiving input: any case, surrounding
 * whitespace, hyphens or spaces inside, Crockford's aliases (i/l → 1, o → 0), the UUID form
 * (`{…}`, `urn:uuid:…`), and URLs ending in a code (`…/c/<code>`, `…/I<code>`).
 * Throws ValidationError naming `field` when the text cannot be a code.
 */
export function parseCodeOrPrefix(text: string, field = 'code'): ParsedCode {
  // Most scans are canonical already (labels, the UI's links): no normalising needed.
  if (text.length >= MIN_PREFIX_LENGTH && isCanonicalStart(text)) {
    return text.length === CODE_LENGTH
      ? { type: 'code', code: text }
      : { type: 'prefix', prefix: text };
  }
  let s = text.trim();
  if (s.includes('/')) s = lastPathSegment(s);
  const lower = s.toLowerCase().replace(/^urn:uuid:/, '');
  const unbraced = lower.startsWith('{') && lower.endsWith('}') ? lower.slice(1, -1) : lower;
  if (UUID_RE.test(unbraced)) return { type: 'code', code: codeFromUuid(unbraced) };

  let compact = lower.replace(/[\s-]/g, '');
  // Other systems' links end in `I<code>`: an extra leading I before a full code.
  if (compact.length === CODE_LENGTH + 1 && compact[0] === 'i') compact = compact.slice(1);

  if (compact.length === 0) throw new ValidationError(field, 'is empty: scan or type a code');
  let canonical = '';
  for (let i = 0; i < compact.length; i++) {
    const c = compact.charCodeAt(i);
    const v = c < 128 ? VALUE[c]! : -1;
    if (v < 0) {
      throw new ValidationError(
        field,
        `'${text.trim()}' is not a code: '${compact[i]}' is not a code character`,
      );
    }
    if ((i === 0 || i === HALF) && v > 15) {
      throw new ValidationError(
        field,
        `'${text.trim()}' is not a code: character ${i + 1} must be one of 0-9, a-f`,
      );
    }
    canonical += ALPHABET[v];
  }
  if (canonical.length > CODE_LENGTH) {
    throw new ValidationError(
      field,
      `'${text.trim()}' is not a code: ${CODE_LENGTH} characters expected, got ${canonical.length}`,
    );
  }
  if (canonical.length === CODE_LENGTH) return { type: 'code', code: canonical };
  if (canonical.length < MIN_PREFIX_LENGTH) {
    throw new ValidationError(
      field,
      `'${canonical}' is too short: give at least ${MIN_PREFIX_LENGTH} characters of a code`,
    );
  }
  return { type: 'prefix', prefix: canonical };
}

/** Reads a full code from forgiving input; a prefix is an error here. */
export function parseCode(text: string, field = 'code'): string {
  const parsed = parseCodeOrPrefix(text, field);
  if (parsed.type === 'prefix') {
    throw new ValidationError(
      field,
      `'${parsed.prefix}' is not a full code: ${CODE_LENGTH} characters expected, got ${parsed.prefix.length}`,
    );
  }
  return parsed.code;
}

/**
 * The exclusive upper bound of all codes starting with `prefix`, for an index range
 * `code >= prefix AND code < upper`: the prefix with its last character raised by one
 * ('~' sorts after every alphabet character when the last is already 'z').
 */
export function prefixUpperBound(prefix: string): string {
  const last = prefix[prefix.length - 1]!;
  const next = ALPHABET[ALPHABET.indexOf(last) + 1] ?? '~';
  return prefix.slice(0, -1) + next;
}

function lastPathSegment(url: string): string {
  const path = url.split(/[?#]/)[0]!.replace(/\/+$/, '');
  return path.slice(path.lastIndexOf('/') + 1);
}

// 64 bits = one 4-bit character + two groups of six 5-bit characters (30 bits each), so the
// arithmetic stays within 32-bit integers.
function encodeHalf(hex: string, at: number): string {
  const hi = parseInt(hex.slice(at, at + 8), 16);
  const lo = parseInt(hex.slice(at + 8, at + 16), 16);
  if (Number.isNaN(hi) || Number.isNaN(lo)) throw new Error(`not a UUID: ${hex}`);
  const a = (((hi & 0x0fffffff) << 2) | (lo >>> 30)) >>> 0;
  const b = lo & 0x3fffffff;
  return ALPHABET[hi >>> 28]! + group(a) + group(b);
}

function group(v: number): string {
  let s = '';
  for (let shift = 25; shift >= 0; shift -= 5) s += ALPHABET[(v >>> shift) & 31];
  return s;
}

function decodeHalf(code: string, at: number): string {
  const c0 = VALUE[code.charCodeAt(at)]!;
  let a = 0;
  let b = 0;
  for (let i = 1; i <= 6; i++) a = a * 32 + VALUE[code.charCodeAt(at + i)]!;
  for (let i = 7; i <= 12; i++) b = b * 32 + VALUE[code.charCodeAt(at + i)]!;
  const hi = ((c0 << 28) | (a >>> 2)) >>> 0;
  const lo = (((a & 3) << 30) | b) >>> 0;
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/** A unit named as labels print it: the build's code (or a prefix of it) and a build serial. */
export interface BuildSerialRef {
  build: ParsedCode;
  serial: number;
}

const BUILD_SERIAL_RE = /^([0-9a-z]{4,26})-(\d{1,9})$/i;

/**
 * Reads `<build code or prefix>-<n>`, e.g. `945ks1m9-3` (unit 3 of the build whose code starts
 * with 945ks1m9), as the unit page and labels print it; undefined for other text. The same text
 * is also a code prefix with the hyphen dropped: the resolver weighs both readings.
 */
export function parseBuildSerial(text: string): BuildSerialRef | undefined {
  const match = BUILD_SERIAL_RE.exec(text.trim());
  if (!match) return undefined;
  const serial = Number(match[2]);
  if (serial < 1) return undefined;
  try {
    return { build: parseCodeOrPrefix(match[1]!), serial };
  } catch {
    // Not a code before the hyphen (`SN-12`): a customer serial, perhaps.
    return undefined;
  }
}
