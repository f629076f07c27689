// Reading back the receipt PDFs the tests fetch: the images a PDF embeds, to check the signature is in it.
import { PDFDocument, PDFName, PDFRawStream } from '@pdfme/pdf-lib';

/** Width and height of every image with transparency (the signature: a PNG with alpha) in a PDF. */
export async function pdfImages(bytes: Uint8Array): Promise<Array<{ width: number; height: number }>> {
  const pdf = await PDFDocument.load(bytes);
  const found: Array<{ width: number; height: number }> = [];
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream)) continue;
    const dict = object.dict;
    if (dict.get(PDFName.of('Subtype'))?.toString() !== '/Image' || dict.get(PDFName.of('SMask')) === undefined) continue;
    found.push({ width: Number(dict.get(PDFName.of('Width'))?.toString()), height: Number(dict.get(PDFName.of('Height'))?.toString()) });
  }
  return found;
}
