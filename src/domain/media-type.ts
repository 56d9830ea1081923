/**
 * What an uploaded file is, decided from its first bytes (never from the client's claim), and
 * how its name is shown. Pure: no I/O.
 */

/** How many leading bytes detectMediaType needs to decide. */
export const SNIFF_BYTES = 4096;

/** Longest file name kept for display, in characters (code points). */
export const MAX_FILE_NAME_LENGTH = 200;

export const MEDIA_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'application/zip',
  'text/plain',
  'text/csv',
  'application/octet-stream',
] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

const startsWith = (head: Uint8Array, bytes: number[], at = 0) =>
  head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/**
 * The media type of a file from its first bytes (up to SNIFF_BYTES). Text is reported only
 * when the bytes are valid UTF-8 without control characters and do not look like markup, so
 * HTML, SVG and XML are served as downloads (application/octet-stream), never rendered.
 * `fileName` only tells CSV from plain text once the content is known to be text.
 */
export function detectMediaType(head: Uint8Array, fileName = ''): MediaType {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(head, ascii('%PDF-'))) return 'application/pdf';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06]))
    return 'application/zip';
  if (head.length > 0 && isSafeText(head))
    return /\.csv$/i.test(fileName) ? 'text/csv' : 'text/plain';
  return 'application/octet-stream';
}

/** Browsers show these inline; everything else is offered as a download. */
export function isInline(type: MediaType): boolean {
  return type.startsWith('image/') || type === 'application/pdf';
}

function isSafeText(head: Uint8Array): boolean {
  let text: string;
  try {
    // A multi-byte character cut at the end of the sniffed bytes is not an error.
    const cut = head.length >= SNIFF_BYTES ? trimPartialUtf8(head) : head;
    text = new TextDecoder('utf-8', { fatal: true }).decode(cut);
  } catch {
    return false;
  }
  // Control characters other than tab, line feed, carriage return, form feed: binary.
  for (const char of text) if (isControl(char.codePointAt(0)!, true)) return false;
  // Markup could run script if a browser ever sniffed it: never call it text.
  const start = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .slice(0, 512)
    .toLowerCase();
  return !/^<(?:!doctype|html|head|body|script|svg|\?xml|!--|iframe|div|a\s|img|style|meta)/.test(
    start,
  );
}

/** C0 and C1 control characters and DEL; with `textWhitespace`, tab, LF, FF and CR are allowed. */
function isControl(cp: number, textWhitespace: boolean): boolean {
  if (textWhitespace && (cp === 9 || cp === 10 || cp === 12 || cp === 13)) return false;
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

function trimPartialUtf8(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  // Step back over continuation bytes to the start of the last character, then drop it.
  for (let i = 0; i < 3 && end > 0 && (bytes[end - 1]! & 0xc0) === 0x80; i++) end--;
  if (end > 0 && bytes[end - 1]! >= 0xc0) end--;
  return bytes.subarray(0, end);
}

/**
 * The name shown for an uploaded file: the last path component (`../../etc/passwd` →
 * `passwd`, `C:\\x\\a.pdf` → `a.pdf`), without control or bidi-override characters, trimmed,
 * at most MAX_FILE_NAME_LENGTH characters keeping the extension. Unicode letters stay.
 * Returns '' when nothing is left. The name is only displayed: files are stored by hash.
 */
export function sanitizeFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const cleaned = [...base]
    .filter((c) => !isControl(c.codePointAt(0)!, false))
    .join('')
    .normalize('NFC')
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim()
    .replace(/^\.+$/, '');
  const chars = [...cleaned];
  if (chars.length <= MAX_FILE_NAME_LENGTH) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 ? [...cleaned.slice(dot)] : [];
  if (ext.length > 20) return chars.slice(0, MAX_FILE_NAME_LENGTH).join('');
  return chars.slice(0, MAX_FILE_NAME_LENGTH - ext.length).join('') + ext.join('');
}

/**
 * A Content-Disposition header value: an ASCII fallback name and the exact name in RFC 5987
 * `filename*` encoding, e.g. `inline; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`.
 */
export function contentDisposition(type: 'inline' | 'attachment', fileName: string): string {
  const name = fileName || 'file';
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
