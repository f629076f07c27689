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

/** The Barcode Detection API, where the browser has it (Chrome on Android does; Safari and Firefox do not). */
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<Array<{ rawValue: string; format: string }>>;
}
interface BarcodeDetectorClass {
  new (options?: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

function detectorClass(): BarcodeDetectorClass | null {
  return (globalThis as unknown as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector ?? null;
}

/** Serial labels are linear codes (Code 128 mostly) or QR codes; whichever of these the browser reads. */
const serialFormats = ['code_128', 'code_39', 'code_93', 'ean_13', 'ean_8', 'upc_a', 'upc_e', 'itf', 'codabar', 'qr_code', 'data_matrix'];

export async function barcodeReader(): Promise<BarcodeDetectorLike | null> {
  const Detector = detectorClass();
  if (!Detector || !navigator.mediaDevices?.getUserMedia) return null;
  try {
    const formats = (await Detector.getSupportedFormats()).filter((f) => serialFormats.includes(f));
    return formats.length ? new Detector({ formats }) : null;
  } catch {
    return null;
  }
}

export function canScanBarcodes(): boolean {
  return detectorClass() !== null && typeof navigator !== 'undefined' && Boolean(navigator.mediaDevices?.getUserMedia);
}
