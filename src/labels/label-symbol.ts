import bwipjs from 'bwip-js';
import { ValidationError } from '../domain/errors.js';
import type { LabelSymbology } from '../domain/label-template.js';

/** A 2D symbol: dark (1) and light (0) modules, row by row. */
export interface MatrixSymbol {
  kind: 'matrix';
  columns: number;
  rows: number;
  modules: ArrayLike<number>;
  /** Light modules each side that the standard asks for. */
  quietModules: number;
}

/** A linear symbol: bar and space widths in modules, starting with a bar. */
export interface BarSymbol {
  kind: 'bars';
  widths: number[];
  /** Total width in modules, without the quiet zones. */
  columns: number;
  quietModules: number;
}

export type EncodedSymbol = MatrixSymbol | BarSymbol;

const BCID: Record<LabelSymbology, string> = {
  qr: 'qrcode',
  datamatrix: 'datamatrix',
  code128: 'code128',
  gs1datamatrix: 'gs1datamatrix',
};

// ISO/IEC 18004 asks 4 modules for QR, 15417 ten for Code 128; DataMatrix needs 1, but text
// printed close to a symbol confuses some scanners, so it gets 2.
const QUIET: Record<LabelSymbology, number> = {
  qr: 4,
  datamatrix: 2,
  code128: 10,
  gs1datamatrix: 2,
};

/** Encodes a payload with bwip-js, without drawing: the layout sizes it, the renderers draw it. */
export function encodeSymbol(symbology: LabelSymbology, payload: string): EncodedSymbol {
  let raw: Array<{ sbs: number[] }> | Array<{ pixs: number[]; pixx: number; pixy: number }>;
  try {
    raw = bwipjs.raw(BCID[symbology], payload, {});
  } catch (err) {
    const field = symbology === 'gs1datamatrix' ? 'gs1' : 'content';
    throw new ValidationError(
      field,
      `cannot encode as ${symbology}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const first = raw[0]!;
  if ('sbs' in first) {
    const widths = first.sbs;
    return {
      kind: 'bars',
      widths,
      columns: widths.reduce((a, b) => a + b, 0),
      quietModules: QUIET[symbology],
    };
  }
  return {
    kind: 'matrix',
    columns: first.pixx,
    rows: first.pixy,
    modules: first.pixs,
    quietModules: QUIET[symbology],
  };
}
