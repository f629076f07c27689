// A small PNG encoder for tests: a signature-like stroke on a transparent canvas, as the phone's
// signature pad produces (RGBA, one IDAT, no filtering).
import { crc32, deflateSync } from 'node:zlib';

export function signaturePng(width = 240, height = 80, seed = 1): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let x = 4; x < width - 4; x++) {
    const y = Math.round(height / 2 + Math.sin((x + seed * 17) / 14) * (height / 4));
    for (let dy = -1; dy <= 1; dy++) {
      const i = ((y + dy) * width + x) * 4;
      rgba[i] = 20;
      rgba[i + 1] = 30;
      rgba[i + 2] = 90;
      rgba[i + 3] = 255;
    }
  }
  const raw = new Uint8Array((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8);
  return concat([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())]);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
