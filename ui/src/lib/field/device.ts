// What the phone itself can tell: where it is (when the rep allows it) and whether it can read a
// barcode with its camera. Each answers "not available" rather than failing the visit.

export interface Position {
  latitude: number;
  longitude: number;
  accuracyM: number | null;
}

/** The phone's position, or null (not allowed, not available, or not found within `timeoutMs`). */
export function currentPosition(timeoutMs = 10_000): Promise<Position | null> {
  if (typeof navigator === 'undefined' || !navigator.geolocation) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude, accuracyM: Number.isFinite(p.coords.accuracy) ? Math.round(p.coords.accuracy) : null }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}

/**
 * The Barcode Detection API: the browser's own where it has one (Chrome on Android), otherwise the
 * `barcode-detector` ponyfill (ZXing in WebAssembly), so iPhones and desktop browsers read labels
 * too. The .wasm is one of the app's own build files, so the service worker keeps it for offline use
 * and nothing is fetched from a CDN.
 */
interface BarcodeDetectorLike {
  detect(source: ImageBitmapSource): Promise<Array<{ rawValue: string; format: string }>>;
}
interface BarcodeDetectorClass {
  new (options?: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

function nativeDetector(): BarcodeDetectorClass | null {
  return (globalThis as unknown as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector ?? null;
}

async function ponyfillDetector(): Promise<BarcodeDetectorClass> {
  const [{ BarcodeDetector, prepareZXingModule }, { default: wasmUrl }] = await Promise.all([import('barcode-detector/ponyfill'), import('zxing-wasm/reader/zxing_reader.wasm?url')]);
  prepareZXingModule({ overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) } });
  return BarcodeDetector as unknown as BarcodeDetectorClass;
}

/** Serial labels are linear codes (Code 128 mostly) or QR codes; whichever of these the browser reads. */
const serialFormats = ['code_128', 'code_39', 'code_93', 'ean_13', 'ean_8', 'upc_a', 'upc_e', 'itf', 'codabar', 'qr_code', 'data_matrix'];

async function detectorFor(Detector: BarcodeDetectorClass): Promise<BarcodeDetectorLike | null> {
  const formats = (await Detector.getSupportedFormats()).filter((f) => serialFormats.includes(f));
  return formats.length ? new Detector({ formats }) : null;
}

export async function barcodeReader(): Promise<BarcodeDetectorLike | null> {
  if (!canScanBarcodes()) return null;
  const native = nativeDetector();
  try {
    if (native) {
      const reader = await detectorFor(native);
      if (reader) return reader;
    }
    return await detectorFor(await ponyfillDetector());
  } catch {
    return null;
  }
}

/** A camera to read with: the reading itself works in any browser. */
export function canScanBarcodes(): boolean {
  return typeof navigator !== 'undefined' && Boolean(navigator.mediaDevices?.getUserMedia);
}
