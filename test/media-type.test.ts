import { describe, expect, it } from 'vitest';
import {
  contentDisposition,
  detectMediaType,
  isInline,
  MAX_FILE_NAME_LENGTH,
  sanitizeFileName,
} from '../src/domain/media-type.js';

const bytes = (...values: number[]) => new Uint8Array(values);
const text = (s: string) => new TextEncoder().encode(s);

describe('detectMediaType', () => {
  it('recognises images, PDF and ZIP by their signatures', () => {
    expect(detectMediaType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe(
      'image/png',
    );
    expect(detectMediaType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(detectMediaType(text('GIF89a....'))).toBe('image/gif');
    expect(detectMediaType(text('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(detectMediaType(text('%PDF-1.7\n'))).toBe('application/pdf');
    expect(detectMediaType(bytes(0x50, 0x4b, 0x03, 0x04, 1, 2))).toBe('application/zip');
  });

  it('ignores the file name for binary content (a .png that is not one)', () => {
    expect(detectMediaType(bytes(0, 1, 2, 3), 'photo.png')).toBe('application/octet-stream');
    expect(detectMediaType(text('%PDF-1.4'), 'notes.txt')).toBe('application/pdf');
  });

  it('calls UTF-8 without control characters text, and CSV by its extension', () => {
    expect(detectMediaType(text('Prüfprotokoll: ok\r\n\tΩ'))).toBe('text/plain');
    expect(detectMediaType(text('a,b\n1,2\n'), 'results.CSV')).toBe('text/csv');
    expect(detectMediaType(text('a,b\n'), 'results.txt')).toBe('text/plain');
  });

  it('never calls markup text: HTML, SVG and XML are downloads', () => {
    for (const markup of [
      '<!DOCTYPE html><script>alert(1)</script>',
      '  <html><body>x</body></html>',
      '\uFEFF<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
      '<?xml version="1.0"?><svg/>',
      '<script>alert(1)</script>',
    ]) {
      expect(detectMediaType(text(markup), 'readme.txt'), markup).toBe('application/octet-stream');
    }
  });

  it('calls invalid UTF-8 or control characters binary, and keeps a character cut at the end', () => {
    expect(detectMediaType(bytes(0x61, 0xc3, 0x28))).toBe('application/octet-stream');
    expect(detectMediaType(text('abc\u0000def'))).toBe('application/octet-stream');
    expect(detectMediaType(text('abc\u001bdef'))).toBe('application/octet-stream');
    // 4,096 sniffed bytes: 'x' then 2-byte é characters, the last one cut in half.
    const cut = concat(text('x'), text('é'.repeat(3000)).subarray(0, 4095));
    expect(cut.length).toBe(4096);
    expect(detectMediaType(cut)).toBe('text/plain');
    // A whole file shorter than that which ends mid-character is not text.
    expect(detectMediaType(cut.slice(0, 3998))).toBe('application/octet-stream');
    expect(detectMediaType(new Uint8Array(0))).toBe('application/octet-stream');
  });

  it('shows images and PDF inline, nothing else', () => {
    expect(isInline('image/png')).toBe(true);
    expect(isInline('application/pdf')).toBe(true);
    expect(isInline('text/plain')).toBe(false);
    expect(isInline('application/octet-stream')).toBe(false);
  });
});

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

describe('sanitizeFileName', () => {
  it('keeps only the last path component', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\a\\report.pdf')).toBe('report.pdf');
    expect(sanitizeFileName('/abs/path/')).toBe('');
    expect(sanitizeFileName('..')).toBe('');
    expect(sanitizeFileName('.')).toBe('');
  });

  it('drops control and bidi-override characters, keeps unicode letters', () => {
    expect(sanitizeFileName('a\u0000b\nc\u202Egpj.exe')).toBe('abcgpj.exe');
    expect(sanitizeFileName('  Prüfbericht 测试 ✓.pdf  ')).toBe('Prüfbericht 测试 ✓.pdf');
    expect(sanitizeFileName('\u0001\u0002')).toBe('');
  });

  it('shortens long names to the limit keeping the extension', () => {
    const name = sanitizeFileName(`${'ä'.repeat(500)}.pdf`);
    expect([...name]).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(name.endsWith('ä.pdf')).toBe(true);
    expect([...sanitizeFileName('x'.repeat(300))]).toHaveLength(MAX_FILE_NAME_LENGTH);
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact name in RFC 5987 form', () => {
    expect(contentDisposition('inline', 'résumé (1).pdf')).toBe(
      `inline; filename="r_sum_ (1).pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%281%29.pdf`,
    );
    expect(contentDisposition('attachment', 'a"b\\c%.txt')).toBe(
      `attachment; filename="a_b_c_.txt"; filename*=UTF-8''a%22b%5Cc%25.txt`,
    );
    expect(contentDisposition('attachment', '')).toBe(
      `attachment; filename="file"; filename*=UTF-8''file`,
    );
  });
});
