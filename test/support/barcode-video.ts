// A fake camera for Chromium (--use-file-for-fake-video-capture): a Y4M video whose frames show one
// Code 128 label, drawn by ZXing's own writer, so that the field app's scanner reads it as a phone
// camera pointed at a serial-number sticker would.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/writer';

const width = 640;
const height = 480;

let prepared = false;
function prepare(): void {
  if (prepared) return;
  // The wasm from the package itself (its default is a CDN, which these machines may not reach).
  const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/writer/zxing_writer.wasm'));
  prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer } });
  prepared = true;
}

/** Writes a Y4M file (4:2:0, two identical frames; Chromium loops it) showing `text` as Code 128, centred on white. */
export async function writeBarcodeVideo(path: string, text: string): Promise<void> {
  prepare();
  const { symbol, error } = await writeBarcode(text, { format: 'Code128' });
  if (error) throw new Error(`could not draw the barcode: ${error}`);
  const scale = Math.max(1, Math.floor((width - 80) / symbol.width));
  const barHeight = 200;
  const left = Math.floor((width - symbol.width * scale) / 2);
  const top = Math.floor((height - barHeight) / 2);
  const luma = new Uint8Array(width * height).fill(255);
  for (let x = 0; x < symbol.width * scale; x++) {
    const dark = symbol.data[Math.floor(x / scale)] === 0; // one row of a linear symbol says it all
    if (!dark) continue;
    for (let y = 0; y < barHeight; y++) luma[(top + y) * width + left + x] = 0;
  }
  const chroma = new Uint8Array((width / 2) * (height / 2)).fill(128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  writeFileSync(path, Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
}
