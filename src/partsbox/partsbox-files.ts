import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../domain/errors.js';
import { safeParse, issueMessage } from '../domain/validate.js';
import { PARTSBOX_FILES, type PartsboxExport, type PartsboxKind } from './partsbox.schemas.js';

/**
 * Reads an export directory (docs/partsbox.md): one JSON file per API listing, each the
 * listing's `data` array or the whole response (`{"data": [...]}`); a missing file is an empty
 * listing, but part.json must be there. Refuses bad input before anything is written, naming
 * the file, the record and the key.
 */
export function readPartsboxDir(dir: string): PartsboxExport {
  if (!existsSync(path.join(dir, PARTSBOX_FILES.part.file))) {
    throw new ValidationError(
      'dir',
      `${dir} holds no ${PARTSBOX_FILES.part.file}: see docs/partsbox.md for the files to export`,
    );
  }
  const out = {} as Record<PartsboxKind, unknown[]>;
  for (const kind of Object.keys(PARTSBOX_FILES) as PartsboxKind[])
    out[kind] = readListing(dir, kind);
  return out as unknown as PartsboxExport;
}

function readListing(dir: string, kind: PartsboxKind): unknown[] {
  const { file, schema, id } = PARTSBOX_FILES[kind];
  const full = path.join(dir, file);
  if (!existsSync(full)) return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(full, 'utf8'));
  } catch (error) {
    throw new ValidationError(file, `is not JSON: ${(error as Error).message}`);
  }
  const data =
    json && typeof json === 'object' && !Array.isArray(json) && 'data' in json ? json.data : json;
  if (!Array.isArray(data))
    throw new ValidationError(file, 'must hold a list of records (or {"data": [...]})');
  return data.map((record: unknown, i) => {
    const parsed = safeParse(schema, record);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    const recordId =
      record && typeof record === 'object' && typeof (record as never)[id] === 'string'
        ? ` ${id} ${String((record as Record<string, unknown>)[id])}`
        : '';
    const key = issue.path.map(String).join('.');
    throw new ValidationError(
      `${file}: record ${i + 1}${recordId}: ${key || 'record'}`,
      issueMessage(issue),
    );
  });
}
