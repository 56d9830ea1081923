/**
 * Reads barcodes back from rendered labels, as a scanner would: PDF pages are rasterised by
 * poppler's pdftoppm and decoded by zxing-wasm (its WebAssembly loaded from node_modules, never
 * from a CDN); zbarimg is a second, independent decoder for QR and Code 128.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { prepareZXingModule, readBarcodes, type ReadResult } from 'zxing-wasm/reader';

const require = createRequire(import.meta.url);

export interface Decoded {
  /** zxing's name: `QRCode`, `DataMatrix`, `Code128`, … */
  format: string;
  /** The text, GS1 data in bracketed form (`(01)…(21)…`). */
  text: string;
  /** The payload as encoded; GS1 fields are separated by the GS character (FNC1). */
  bytes: string;
  /** ISO/IEC 15424 identifier: `]Q1` QR, `]d1` DataMatrix, `]d2` GS1 DataMatrix, `]C0` Code 128. */
  symbologyIdentifier: string;
  /** The symbol's top-left corner in image pixels. */
  x: number;
  y: number;
}

let ready: Promise<unknown> | undefined;

function loadZxing(): Promise<unknown> {
  ready ??= (async () => {
    const wasmBinary = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    return prepareZXingModule({
      overrides: {
        wasmBinary: wasmBinary.buffer.slice(
          wasmBinary.byteOffset,
          wasmBinary.byteOffset + wasmBinary.byteLength,
        ) as ArrayBuffer,
      },
      fireImmediately: true,
    });
  })();
  return ready;
}

/** Every barcode zxing finds in a PNG (or other image file). */
export async function decodeImage(image: Uint8Array): Promise<Decoded[]> {
  await loadZxing();
  const results = await readBarcodes(image, { tryHarder: true, maxNumberOfSymbols: 255 });
  return results.filter((r) => r.isValid).map(toDecoded);
}

function toDecoded(r: ReadResult): Decoded {
  const xs = [
    r.position.topLeft,
    r.position.topRight,
    r.position.bottomLeft,
    r.position.bottomRight,
  ];
  return {
    format: r.format,
    text: r.text,
    bytes: Buffer.from(r.bytes).toString('latin1'),
    symbologyIdentifier: r.symbologyIdentifier,
    x: Math.min(...xs.map((p) => p.x)),
    y: Math.min(...xs.map((p) => p.y)),
  };
}

/** Rasterises one page (1-based) of a PDF to PNG with pdftoppm. */
export function rasterisePdfPage(pdf: Uint8Array, page = 1, dpi = 300): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'tracelot-raster-'));
  try {
    const file = path.join(dir, 'in.pdf');
    writeFileSync(file, pdf);
    const out = path.join(dir, 'page');
    execFileSync('pdftoppm', [
      '-r',
      String(dpi),
      '-png',
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      file,
      out,
    ]);
    return readFileSync(`${out}.png`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rasterises a page at 300 dpi and decodes every barcode on it. */
export async function decodePdfPage(pdf: Uint8Array, page = 1): Promise<Decoded[]> {
  return decodeImage(rasterisePdfPage(pdf, page));
}

/** Page count and the size of each page in PDF points, read with pdfinfo. */
export function pdfPages(pdf: Uint8Array): { count: number; sizes: [number, number][] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tracelot-pdfinfo-'));
  try {
    const file = path.join(dir, 'in.pdf');
    writeFileSync(file, pdf);
    const info = execFileSync('pdfinfo', ['-f', '1', '-l', '9999', file], { encoding: 'utf8' });
    const sizes = [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map(
      (m): [number, number] => [Number(m[1]), Number(m[2])],
    );
    return { count: Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]), sizes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What zbarimg reads in a PNG (QR and linear codes; it has no DataMatrix), one entry a symbol. */
export function decodeWithZbar(image: Uint8Array): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'tracelot-zbar-'));
  try {
    const file = path.join(dir, 'in.png');
    writeFileSync(file, image);
    // -q and --raw: only the payloads, no type prefix; exit status 4 means nothing found.
    const run = spawnSync('zbarimg', ['-q', '--raw', file], { encoding: 'utf8' });
    if (run.status !== 0 && run.status !== 4) throw new Error(`zbarimg failed: ${run.stderr}`);
    return run.stdout.split('\n').filter((s) => s.length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every barcode zxing finds in a grey image given as one byte per pixel (0 black, 255 white). */
export async function decodeGrey(
  grey: Uint8Array,
  width: number,
  height: number,
): Promise<Decoded[]> {
  await loadZxing();
  const data = new Uint8ClampedArray(width * height * 4);
  grey.forEach((value, i) => data.set([value, value, value, 255], i * 4));
  const image = { data, width, height, colorSpace: 'srgb' } as unknown as Parameters<
    typeof readBarcodes
  >[0];
  const results = await readBarcodes(image, { tryHarder: true });
  return results.filter((r) => r.isValid).map(toDecoded);
}
