import { shortCode } from './code.js';

/** A unit's label, `<build short code>-<build serial>`; null for a lot that is no unit. */
export function unitLabel(row: {
  build_code: string | null;
  build_serial: number | null;
}): string | null {
  return row.build_code !== null && row.build_serial !== null
    ? `${shortCode(row.build_code)}-${row.build_serial}`
    : null;
}
