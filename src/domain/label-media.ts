import { ValidationError } from './errors.js';

/**
 * Resolutions of the thermal printers ZPL labels are drawn for. Here rather than beside the ZPL
 * writer so that the API's schemas, which the web app reads, need nothing of the renderers.
 */
export const ZPL_DPIS = [203, 300] as const;
export type ZplDpi = (typeof ZPL_DPIS)[number];

/**
 * Label media: the size of one label and, for sheets, where the labels sit on the page.
 * Sizes are as the label is read (width across, height down). Continuous tapes have no length
 * of their own; each preset cuts them at a fixed length, named in its id and display name.
 */
export interface RollMedia {
  kind: 'roll';
  id: string;
  name: string;
  widthMm: number;
  heightMm: number;
  /** Blank border inside the label: printers cannot print to the cut edge. */
  marginMm: number;
}

export interface SheetMedia {
  kind: 'sheet';
  id: string;
  name: string;
  /** One label of the sheet. */
  widthMm: number;
  heightMm: number;
  marginMm: number;
  pageWidthMm: number;
  pageHeightMm: number;
  columns: number;
  rows: number;
  /** The top-left corner of the first label on the page. */
  leftMm: number;
  topMm: number;
  /** From one label's corner to the next one's: the label size plus the gap. */
  pitchXMm: number;
  pitchYMm: number;
}

export type LabelMedia = RollMedia | SheetMedia;

const A4 = { pageWidthMm: 210, pageHeightMm: 297 } as const;

export const LABEL_MEDIA: readonly LabelMedia[] = [
  {
    kind: 'roll',
    id: 'tape-62x29',
    name: '62 mm continuous tape, cut at 29 mm (Brother DK-22205)',
    widthMm: 62,
    heightMm: 29,
    marginMm: 1.5,
  },
  {
    // Printed along the tape: the 29 mm tape width is the label's height.
    kind: 'roll',
    id: 'tape-29x50',
    name: '29 mm continuous tape, cut at 50 mm (Brother DK-22210)',
    widthMm: 50,
    heightMm: 29,
    marginMm: 1.5,
  },
  {
    // P-touch printers print about 9 mm of a 12 mm tape.
    kind: 'roll',
    id: 'tape-12x48',
    name: '12 mm tape, cut at 48 mm (Brother TZe)',
    widthMm: 48,
    heightMm: 12,
    marginMm: 1.2,
  },
  {
    kind: 'roll',
    id: 'address-25x54',
    name: '25 × 54 mm address labels (Dymo 11352)',
    widthMm: 54,
    heightMm: 25,
    marginMm: 1.5,
  },
  {
    kind: 'roll',
    id: 'thermal-2x1in',
    name: '2 × 1 in thermal labels (50.8 × 25.4 mm)',
    widthMm: 50.8,
    heightMm: 25.4,
    marginMm: 1.5,
  },
  {
    kind: 'roll',
    id: 'thermal-4x6in',
    name: '4 × 6 in thermal labels (101.6 × 152.4 mm)',
    widthMm: 101.6,
    heightMm: 152.4,
    marginMm: 4,
  },
  {
    kind: 'sheet',
    id: 'a4-3x8',
    name: 'A4 sheet, 3 × 8 labels of 70 × 37 mm (24 per sheet)',
    widthMm: 70,
    heightMm: 37,
    // Die-cut sheets shift by a millimetre or so in the printer.
    marginMm: 2.5,
    ...A4,
    columns: 3,
    rows: 8,
    leftMm: 0,
    topMm: 0.5,
    pitchXMm: 70,
    pitchYMm: 37,
  },
  {
    kind: 'sheet',
    id: 'a4-5x13',
    name: 'A4 sheet, 5 × 13 labels of 38.1 × 21.2 mm (65 per sheet, Avery L7651)',
    widthMm: 38.1,
    heightMm: 21.2,
    marginMm: 1.5,
    ...A4,
    columns: 5,
    rows: 13,
    leftMm: 4.75,
    topMm: 10.7,
    pitchXMm: 40.6,
    pitchYMm: 21.2,
  },
];

/** The ids of the presets, for help texts and errors. */
export const LABEL_MEDIA_IDS = LABEL_MEDIA.map((m) => m.id);

export const MIN_CUSTOM_MM = 10;
export const MAX_CUSTOM_MM = 500;

export interface CustomSize {
  widthMm: number;
  heightMm: number;
}

/** A preset by id, or a custom roll label of the given size, e.g. `{ widthMm: 40, heightMm: 20 }`. */
export function resolveLabelMedia(media: string | CustomSize, field = 'media'): LabelMedia {
  if (typeof media === 'string') {
    const preset = LABEL_MEDIA.find((m) => m.id === media);
    if (!preset)
      throw new ValidationError(
        field,
        `unknown media '${media}'; presets: ${LABEL_MEDIA_IDS.join(', ')}, or { widthMm, heightMm }`,
      );
    return preset;
  }
  if (typeof media !== 'object' || media === null)
    throw new ValidationError(field, 'must be a preset id or { widthMm, heightMm }');
  for (const key of ['widthMm', 'heightMm'] as const) {
    const v: unknown = (media as unknown as Record<string, unknown>)[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < MIN_CUSTOM_MM || v > MAX_CUSTOM_MM)
      throw new ValidationError(
        `${field}.${key}`,
        `must be a number of millimetres from ${MIN_CUSTOM_MM} to ${MAX_CUSTOM_MM}`,
      );
  }
  const { widthMm, heightMm } = media;
  return {
    kind: 'roll',
    id: 'custom',
    name: `${widthMm} × ${heightMm} mm custom labels`,
    widthMm,
    heightMm,
    marginMm: Math.min(1.5, Math.min(widthMm, heightMm) * 0.08),
  };
}

/** Labels per page: 1 for rolls. */
export function labelsPerPage(media: LabelMedia): number {
  return media.kind === 'sheet' ? media.columns * media.rows : 1;
}

/**
 * The top-left corner (mm from the page's top-left) of the label at a 0-based index on its page,
 * filling rows left to right, top to bottom, as sheets are usually peeled.
 */
export function sheetCellOrigin(media: SheetMedia, index: number): { xMm: number; yMm: number } {
  const column = index % media.columns;
  const row = Math.floor(index / media.columns);
  return { xMm: media.leftMm + column * media.pitchXMm, yMm: media.topMm + row * media.pitchYMm };
}
