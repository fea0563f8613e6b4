/**
 * Widget appearances (§12.5.5, §12.7.4.5): a form XObject that draws the seal picture, a slice of it for a riding
 * seal, or — without a picture — a framed text box naming the signer.
 */
import type { PdfDict, PdfRef} from './objects.js';
import { PdfStream, name, fromLatin1, dict } from './objects.js';

export function formXObject(width: number, height: number, content: string, resources: PdfDict): PdfStream {
  const d = dict({ Type: name('XObject'), Subtype: name('Form'), BBox: [0, 0, round(width), round(height)], Resources: resources });
  const data = fromLatin1(content);
  return new PdfStream(d, -1, data.length, data);
}

export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** Draws the image scaled to fullWidth × height, shifted left by `offsetX` (slices of a riding seal). */
export function imageAppearance(image: PdfRef, boxWidth: number, height: number, fullWidth = boxWidth, offsetX = 0): PdfStream {
  const res = dict({ XObject: dict({ Im0: image }) });
  return formXObject(boxWidth, height, `q ${round(fullWidth)} 0 0 ${round(height)} ${round(-offsetX)} 0 cm /Im0 Do Q\n`, res);
}

function pdfAscii(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').replace(/[()\\]/g, (c) => '\\' + c);
}

/** A framed box with up to three lines of text in Helvetica (non-ASCII shown as '?': no CJK font is embedded). */
export function textAppearance(width: number, height: number, lines: string[]): PdfStream {
  const res = dict({ Font: dict({ Helv: dict({ Type: name('Font'), Subtype: name('Type1'), BaseFont: name('Helvetica'), Encoding: name('WinAnsiEncoding') }) }) });
  const size = Math.max(4, Math.min(10, height / 5));
  let c = `q 0.8 0 0 RG 1 w 0.5 0.5 ${round(width - 1)} ${round(height - 1)} re S Q\nBT 0.8 0 0 rg /Helv ${round(size)} Tf\n`;
  lines.slice(0, 3).forEach((l, i) => {
    c += `1 0 0 1 ${round(size / 2)} ${round(height - size * 1.5 * (i + 1))} Tm (${pdfAscii(l)}) Tj\n`;
  });
  c += 'ET\n';
  return formXObject(width, height, c, res);
}
