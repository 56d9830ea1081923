/** Reads the barcodes in one video frame; answers their texts (none when nothing was read). */
export type FrameReader = (video: HTMLVideoElement) => Promise<string[]>;

/** The Shape Detection API's barcode detector (Chrome on Android, Safari 17+); not in lib.dom. */
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

/** The symbols Tracelot's labels and distributors' labels carry. */
const DETECTOR_FORMATS = [
  'qr_code',
  'data_matrix',
  'code_128',
  'code_39',
  'pdf417',
  'aztec',
  'ean_13',
  'ean_8',
  'upc_a',
];
const ZXING_FORMATS = [
  'QRCode',
  'DataMatrix',
  'Code128',
  'Code39',
  'PDF417',
  'Aztec',
  'EAN13',
  'EAN8',
  'UPCA',
] as const;

/**
 * The browser's BarcodeDetector when it reads QR and DataMatrix (bag labels are DataMatrix),
 * otherwise zxing-wasm. The decoder and its wasm (≈1 MB) are loaded only here, from our own
 * server: the wasm comes out of the Vite build, never from a CDN.
 */
export async function createFrameReader(): Promise<{ reader: FrameReader; engine: string }> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (Detector) {
    const supported = await Detector.getSupportedFormats().catch(() => [] as string[]);
    if (supported.includes('qr_code') && supported.includes('data_matrix')) {
      const detector = new Detector({
        formats: DETECTOR_FORMATS.filter((f) => supported.includes(f)),
      });
      const reader: FrameReader = async (video) =>
        (await detector.detect(video)).map((b) => b.rawValue);
      return { reader, engine: 'the browser’s barcode detector' };
    }
  }
  return { reader: await zxingReader(), engine: 'the built-in decoder' };
}

async function zxingReader(): Promise<FrameReader> {
  const [zxing, wasm] = await Promise.all([
    import('zxing-wasm/reader'),
    import('zxing-wasm/reader/zxing_reader.wasm?url'),
  ]);
  await zxing.prepareZXingModule({
    overrides: {
      locateFile: (path: string, prefix: string) =>
        path.endsWith('.wasm') ? wasm.default : prefix + path,
    },
    fireImmediately: true,
  });
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('this browser cannot draw video frames');
  return async (video) => {
    const { videoWidth: width, videoHeight: height } = video;
    if (width === 0 || height === 0) return [];
    canvas.width = width;
    canvas.height = height;
    context.drawImage(video, 0, 0, width, height);
    const results = await zxing.readBarcodes(context.getImageData(0, 0, width, height), {
      formats: [...ZXING_FORMATS],
      tryHarder: true,
      maxNumberOfSymbols: 1,
    });
    return results.filter((r) => r.isValid && r.text).map((r) => r.text);
  };
}
