import { ConflictError, TracelotError, ValidationError } from '../domain/errors.js';
import { codeOfPartsboxId } from './partsbox-codes.js';
import { REPORT_KINDS, type PartsboxReport, type ReportKind } from './partsbox.schemas.js';

/** What an import did: counts per kind, each skipped record with its reason, the new codes. */
export class ReportBuilder {
  readonly report: PartsboxReport = {
    imported: Object.fromEntries(REPORT_KINDS.map((k) => [k, 0])) as Record<ReportKind, number>,
    skipped: [],
    newCodes: [],
  };
  private readonly codes = new Map<string, string>();

  count(kind: ReportKind, n = 1): void {
    this.report.imported[kind] += n;
  }

  skip(kind: ReportKind, id: string, name: string, reason: string): void {
    this.report.skipped.push({ kind, id, name, reason });
  }

  /** The code of a PartsBox id (see codeOfPartsboxId); an id that is no code is reported once. */
  code(kind: ReportKind, id: string): string {
    const key = `${kind} ${id}`;
    let code = this.codes.get(key);
    if (code === undefined) {
      const made = codeOfPartsboxId(kind, id);
      code = made.code;
      this.codes.set(key, code);
      if (!made.kept) this.report.newCodes.push({ kind, id, code });
    }
    return code;
  }
}

/**
 * Runs one write of the import; an error names where in the input it comes from
 * (`part.json: part <id>: <field>`), so the whole import stops with a message a person can act on.
 */
export async function at<T>(where: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof TracelotError)) throw error;
    const field = error.field ? `${where}: ${error.field}` : where;
    throw error instanceof ConflictError
      ? new ConflictError(error.reason, field)
      : new ValidationError(field, error.reason);
  }
}

/** A custom field value as text: PartsBox keeps numbers, booleans and lists there too. */
export function fieldsOf(
  fields: Record<string, unknown> | null | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value === null || value === undefined || value === '') continue;
    out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

export const text = (...parts: (string | null | undefined)[]) =>
  parts
    .map((p) => p?.trim())
    .filter(Boolean)
    .join('\n\n');

/** The id the report gives the lot made for a part's stock that PartsBox kept without a lot. */
export const noLot = (partId: string) => `(no lot) of part ${partId}`;
