import type { LabelMedia, LabelSymbology, LabelTemplate, PrintRequest } from '../../api/types.js';
import { parseUnitRefs } from '@domain/unit-refs.js';

/** What to label, from the page's query string; null when it names nothing. */
export type PrintTarget =
  | { kind: 'codes'; codes: string[] }
  | { kind: 'lot'; code: string }
  | { kind: 'build'; code: string; units?: string }
  | { kind: 'shipment'; code: string };

/** `?codes=a,b,c`, `?lot=CODE`, `?build=CODE[&units=1-5,8]` or `?shipment=CODE`. */
export function targetFromParams(params: URLSearchParams): PrintTarget | null {
  const codes = (params.get('codes') ?? '')
    .split(/[\s,]+/)
    .map((c) => c.trim())
    .filter(Boolean);
  if (codes.length > 0) return { kind: 'codes', codes };
  const build = params.get('build')?.trim();
  const units = params.get('units')?.trim();
  if (build) return units ? { kind: 'build', code: build, units } : { kind: 'build', code: build };
  for (const kind of ['shipment', 'lot'] as const) {
    const code = params.get(kind)?.trim();
    if (code) return { kind, code };
  }
  return null;
}

export interface PrintSettings {
  /** A template's code; '' prints the media preset's default layout. */
  template: string;
  media: string;
  symbology: LabelSymbology;
  format: 'pdf' | 'zpl';
  dpi: 203 | 300;
  startPosition: number;
}

export const DEFAULT_SETTINGS: PrintSettings = {
  template: '',
  media: 'tape-62x29',
  symbology: 'datamatrix',
  format: 'pdf',
  dpi: 203,
  startPosition: 1,
};

/** The sheet the labels print on (for a start position), or undefined for rolls. */
export function sheetOf(
  settings: PrintSettings,
  presets: LabelMedia[],
  templates: LabelTemplate[],
): LabelMedia | undefined {
  const media = settings.template
    ? templates.find((t) => t.code === settings.template)?.media
    : settings.media;
  const preset = typeof media === 'string' ? presets.find((m) => m.id === media) : undefined;
  return preset?.kind === 'sheet' ? preset : undefined;
}

export function printRequest(
  target: PrintTarget,
  settings: PrintSettings,
  sheet: LabelMedia | undefined,
): PrintRequest {
  return {
    ...(target.kind === 'codes' ? { codes: target.codes } : {}),
    ...(target.kind === 'lot' ? { codes: [target.code] } : {}),
    ...(target.kind === 'build' ? { build: target.code, ...unitsOf(target.units) } : {}),
    ...(target.kind === 'shipment' ? { shipment: target.code } : {}),
    ...(settings.template
      ? { template: settings.template }
      : { media: settings.media, symbology: settings.symbology }),
    format: settings.format,
    ...(settings.format === 'zpl' ? { dpi: settings.dpi } : {}),
    ...(sheet && settings.startPosition > 1 ? { startPosition: settings.startPosition } : {}),
  };
}

/** `1-5, 8` → what the API takes; a text that is no such list goes as it is, for its answer. */
function unitsOf(text: string | undefined): Pick<PrintRequest, 'units'> {
  if (!text) return {};
  try {
    return { units: parseUnitRefs(text) };
  } catch {
    return { units: [text] };
  }
}
