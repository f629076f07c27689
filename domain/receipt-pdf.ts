// The receipt (domain/receipts.ts) laid out as a one-page PDF with the customer's signature (F7, F8).
// No I/O: the server renders it after a visit syncs, and the phone can render the same layout with
// no connection. pdf-lib's standard fonts speak WinAnsi only; other characters are replaced rather
// than failing the receipt.
import { PDFDocument, StandardFonts, rgb } from '@pdfme/pdf-lib';
import type { ReceiptDocument } from './receipts.ts';

/** Characters WinAnsi has beyond Latin-1 (the standard PDF fonts' encoding). */
const winAnsiExtras = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

export function winAnsiSafe(text: string): string {
  return [...text].map((ch) => ((ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) <= 0xff && ch.charCodeAt(0) !== 0x7f) || winAnsiExtras.has(ch) ? ch : '?')).join('');
}

/** A5-sized page (points): what a phone shares and a belt printer or an office printer prints well. */
const width = 420;
const height = 595;
const margin = 32;

export async function renderReceiptPdf(receipt: ReceiptDocument, signaturePng: Uint8Array | null, options: { createdAt?: Date } = {}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${receipt.title} ${receipt.number}`);
  pdf.setSubject('Receipt');
  pdf.setCreator('Arrears');
  if (options.createdAt) {
    pdf.setCreationDate(options.createdAt);
    pdf.setModificationDate(options.createdAt);
  }
  const page = pdf.addPage([width, height]);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const grey = rgb(0.35, 0.38, 0.42);
  let y = height - margin;
  const text = (value: string, x: number, size: number, font = regular, color = rgb(0.07, 0.09, 0.12)) => page.drawText(winAnsiSafe(value), { x, y, size, font, color });

  for (const [i, line] of receipt.heading.entries()) {
    text(line, margin, i === 0 ? 13 : 10, i === 0 ? bold : regular, i === 0 ? undefined : grey);
    y -= i === 0 ? 17 : 14;
  }
  y -= 8;
  text(receipt.title, margin, 15, bold);
  y -= 16;
  text(`No. ${receipt.number}`, margin, 10, regular, grey);
  y -= 20;
  page.drawLine({ start: { x: margin, y: y + 8 }, end: { x: width - margin, y: y + 8 }, thickness: 0.6, color: grey });

  const labelWidth = 130;
  for (const line of receipt.lines) {
    text(line.label, margin, 9.5, regular, grey);
    for (const [k, chunk] of wrap(winAnsiSafe(line.value), regular, 10, width - margin * 2 - labelWidth).entries()) {
      if (k > 0) y -= 13;
      page.drawText(chunk, { x: margin + labelWidth, y, size: 10, font: line.label.startsWith('Amount') ? bold : regular });
    }
    y -= 16;
  }
  if (receipt.equipment.length) {
    y -= 4;
    text('Equipment returned', margin, 9.5, bold);
    y -= 14;
    for (const item of receipt.equipment) {
      text(`• ${item}`, margin + 8, 10);
      y -= 14;
    }
  }

  y -= 10;
  text('Customer signature', margin, 9.5, regular, grey);
  y -= 6;
  const boxHeight = 90;
  page.drawRectangle({ x: margin, y: y - boxHeight, width: width - margin * 2, height: boxHeight, borderColor: grey, borderWidth: 0.6 });
  if (signaturePng) {
    const image = await pdf.embedPng(signaturePng);
    const scale = Math.min((width - margin * 2 - 12) / image.width, (boxHeight - 12) / image.height, 1.5);
    page.drawImage(image, { x: margin + 6, y: y - boxHeight + 6, width: image.width * scale, height: image.height * scale });
  }
  y -= boxHeight + 14;
  if (receipt.signedBy) {
    text(`Signed by ${receipt.signedBy}`, margin, 9.5, regular, grey);
    y -= 18;
  }
  for (const line of receipt.footer) {
    for (const chunk of wrap(winAnsiSafe(line), regular, 8.5, width - margin * 2)) {
      text(chunk, margin, 8.5, regular, grey);
      y -= 11;
    }
  }
  return pdf.save();
}

function wrap(value: string, font: { widthOfTextAtSize(text: string, size: number): number }, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of value.split(/\s+/)) {
    const candidate = current ? `${current} ${word}` : word;
    if (current && font.widthOfTextAtSize(candidate, size) > maxWidth) {
      lines.push(current);
      current = word;
    } else current = candidate;
  }
  if (current) lines.push(current);
  return lines.length ? lines : [''];
}
