import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A PDF's text as `pdftotext -layout` (poppler-utils) reads it. */
export function pdfText(pdf: Uint8Array): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tracelot-pdftext-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Every string and number of a JSON value, with its path; `skip` leaves out keys that carry
 * structure rather than content (a section's `type`, which the PDF shows as a heading).
 */
export function jsonLeaves(
  value: unknown,
  skip: (key: string, value: unknown) => boolean,
  at = '$',
): { path: string; value: string }[] {
  if (typeof value === 'string' || typeof value === 'number')
    return [{ path: at, value: String(value) }];
  if (Array.isArray(value)) return value.flatMap((v, i) => jsonLeaves(v, skip, `${at}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) =>
      skip(k, v) ? [] : jsonLeaves(v, skip, `${at}.${k}`),
    );
  return [];
}

/** Text without whitespace: a value wrapped over lines (or pages) still matches. */
export const squeezed = (text: string) => text.replace(/\s+/g, '');
