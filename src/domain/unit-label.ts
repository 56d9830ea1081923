import { CODE_LENGTH, SHORT_CODE_LENGTH, parseCodeOrPrefix, type BuildSerialRef } from './code.js';

/**
 * The build part of a unit's label: the shortest prefix of the build's code, at least 8
 * characters, such that the label with its hyphen dropped (`<prefix><serial>`) is NOT a prefix of
 * the build's own code. Scanners and people drop the hyphen, and the resolver reads the text also
 * as a code prefix: were it the build's, every reading would name a different object. So the
 * prefix grows by one character while the code goes on with the serial's digits — in 1 build of
 * 32 for unit 1 (its 9th character is `1`); every other label keeps the 8-character short code.
 * E.g. build `abcdefgh1k…`: unit 1 is `abcdefgh1-1`, unit 2 `abcdefgh-2`.
 */
export function labelPrefix(buildCode: string, serial: number): string {
  const digits = String(serial);
  let length = SHORT_CODE_LENGTH;
  while (length < CODE_LENGTH && buildCode.startsWith(digits, length)) length++;
  return buildCode.slice(0, length);
}

/** A unit's label, `<build code prefix>-<build serial>` (see labelPrefix), e.g. `945ks1m9-3`. */
export function buildSerialLabel(buildCode: string, serial: number): string {
  return `${labelPrefix(buildCode, serial)}-${serial}`;
}

/** A unit's label, `<build short code>-<build serial>`; null for a lot that is no unit. */
export function unitLabel(row: {
  build_code: string | null;
  build_serial: number | null;
}): string | null {
  return row.build_code !== null && row.build_serial !== null
    ? buildSerialLabel(row.build_code, row.build_serial)
    : null;
}

const HYPHENLESS_RE = /^([0-9a-z]{8,25}?)(\d{1,9})$/i;

/**
 * The ways text may be a unit's label with its hyphen dropped: `945ks1m93` is unit 3 of the
 * build whose code starts 945ks1m9, `945ks1m912` unit 12 of 945ks1m9 or unit 2 of 945ks1m91.
 * Each reading names a unit only when that unit's label is exactly that text (labelPrefix):
 * the caller checks with `isLabelOf`. Empty for text that cannot be one.
 */
export function hyphenlessLabelReadings(text: string): BuildSerialRef[] {
  const trimmed = text.trim();
  // A full code names itself; labels are shorter (8–9 characters and the serial, nearly always).
  const match = trimmed.length < CODE_LENGTH ? HYPHENLESS_RE.exec(trimmed) : null;
  if (!match) return [];
  const readings: BuildSerialRef[] = [];
  for (let split = match[1]!.length; split < trimmed.length; split++) {
    const serial = trimmed.slice(split);
    if (serial.startsWith('0') || serial.length > 9) continue;
    try {
      readings.push({ build: parseCodeOrPrefix(trimmed.slice(0, split)), serial: Number(serial) });
    } catch {
      // Not a code prefix before the digits: no reading there.
    }
  }
  return readings;
}

/** Whether `ref` (a reading of hyphenless text) is how the unit `serial` of `buildCode` is labelled. */
export function isLabelOf(ref: BuildSerialRef, buildCode: string): boolean {
  const prefix = ref.build.type === 'code' ? ref.build.code : ref.build.prefix;
  return labelPrefix(buildCode, ref.serial) === prefix;
}
