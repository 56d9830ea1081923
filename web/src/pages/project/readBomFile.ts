import { MAX_BOM_FILE_BYTES } from '@domain/bom-csv.js';
/**
 * The text of a chosen BOM file, read in the browser: UTF-8 (a byte-order mark is dropped) or
 * UTF-16 with a byte-order mark. Other encodings are refused with the first line that is not
 * UTF-8, never guessed: a misread µ or Ω would end up in part names.
 */
export async function readBomFile(file: File): Promise<string> {
  // What the server takes in one import: larger files are refused before reading.
  if (file.size > MAX_BOM_FILE_BYTES) {
    throw new Error(
      `${file.name} has ${file.size.toLocaleString()} bytes; at most 2 MB per import`,
    );
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const encoding =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? 'utf-16le'
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? 'utf-16be'
        : 'utf-8';
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    const text = new TextDecoder(encoding).decode(bytes);
    const line = text.slice(0, text.indexOf('\uFFFD')).split('\n').length;
    throw new Error(
      `${file.name} is not UTF-8 text (line ${line} has a character in another encoding): save it as “CSV UTF-8” and choose it again`,
    );
  }
}
