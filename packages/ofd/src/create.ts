/**
 * Creates a simple, unsigned OFD with pages of text (for tests, demos and benchmarks): one document, A4 by default,
 * one font resource, one TextObject per line with explicit DeltaX advances so that keyword search can place seals.
 */
import { toHex } from '@yinzhang/gm/portable';
import { escapeXml } from './xml.js';
import { writeZip, type ZipOutputEntry } from './zip.js';

export interface CreateOfdOptions {
  /** Text of each page; lines separated by "\n", long lines are wrapped. */
  pages: string[];
  /** Page size in mm (default A4 210×297). */
  width?: number;
  height?: number;
  /** Font size in mm (default 5, about 14 pt). */
  fontSize?: number;
  /** Margin in mm (default 20). */
  margin?: number;
  title?: string;
  creationDate?: Date;
}

const NS = 'http://www.ofdspec.org/2016';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Advance of one character: full width for CJK and other wide characters, half width for ASCII. */
export function charAdvance(ch: string, size: number): number {
  const c = ch.codePointAt(0) ?? 0;
  return c < 0x2e80 ? size / 2 : size;
}

function wrap(line: string, size: number, maxWidth: number): string[] {
  const out: string[] = [];
  let cur = '';
  let w = 0;
  for (const ch of line) {
    const a = charAdvance(ch, size);
    if (w + a > maxWidth && cur) {
      out.push(cur);
      cur = '';
      w = 0;
    }
    cur += ch;
    w += a;
  }
  out.push(cur);
  return out;
}

function fmt(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

export function createOfd(opts: CreateOfdOptions): Uint8Array {
  const width = opts.width ?? 210;
  const height = opts.height ?? 297;
  const size = opts.fontSize ?? 5;
  const margin = opts.margin ?? 20;
  const date = (opts.creationDate ?? new Date()).toISOString().slice(0, 10);
  const docId = toHex(crypto.getRandomValues(new Uint8Array(16)));
  const enc = new TextEncoder();
  const files: ZipOutputEntry[] = [];
  let nextId = 1;
  const fontId = nextId++;
  const pageEntries: string[] = [];
  const pageFiles: ZipOutputEntry[] = [];
  opts.pages.forEach((text, i) => {
    const pageId = nextId++;
    const layerId = nextId++;
    const lines = text.split('\n').flatMap((l) => wrap(l, size, width - 2 * margin));
    const lineHeight = size * 1.5;
    const objects = lines.map((line, li) => {
      if (line === '') return '';
      const chars = [...line];
      const advances = chars.map((c) => charAdvance(c, size));
      const lineWidth = advances.reduce((a, b) => a + b, 0);
      const y = margin + li * lineHeight;
      const id = nextId++;
      const deltaX = advances.slice(0, -1).map(fmt).join(' ');
      return `<ofd:TextObject ID="${id}" Boundary="${fmt(margin)} ${fmt(y)} ${fmt(lineWidth)} ${fmt(lineHeight)}" Font="${fontId}" Size="${fmt(size)}">` +
        `<ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="${fmt(size)}"${deltaX ? ` DeltaX="${deltaX}"` : ''}>${escapeXml(line)}</ofd:TextCode></ofd:TextObject>`;
    });
    const content = `${XML_DECL}<ofd:Page xmlns:ofd="${NS}"><ofd:Content><ofd:Layer ID="${layerId}">${objects.join('')}</ofd:Layer></ofd:Content></ofd:Page>`;
    pageEntries.push(`<ofd:Page ID="${pageId}" BaseLoc="Pages/Page_${i}/Content.xml"/>`);
    pageFiles.push({ name: `Doc_0/Pages/Page_${i}/Content.xml`, data: enc.encode(content) });
  });
  const title = opts.title ? `<ofd:Title>${escapeXml(opts.title)}</ofd:Title>` : '';
  const ofdXml = `${XML_DECL}<ofd:OFD xmlns:ofd="${NS}" Version="1.1" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>${docId}</ofd:DocID>${title}` +
    `<ofd:CreationDate>${date}</ofd:CreationDate><ofd:Creator>yinzhang</ofd:Creator><ofd:CreatorVersion>0.1.0</ofd:CreatorVersion></ofd:DocInfo>` +
    `<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`;
  const documentXml = `${XML_DECL}<ofd:Document xmlns:ofd="${NS}"><ofd:CommonData><ofd:MaxUnitID>${nextId - 1}</ofd:MaxUnitID>` +
    `<ofd:PageArea><ofd:PhysicalBox>0 0 ${fmt(width)} ${fmt(height)}</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>` +
    `<ofd:Pages>${pageEntries.join('')}</ofd:Pages></ofd:Document>`;
  const publicRes = `${XML_DECL}<ofd:Res xmlns:ofd="${NS}" BaseLoc="Res"><ofd:Fonts><ofd:Font ID="${fontId}" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>`;
  files.push({ name: 'OFD.xml', data: enc.encode(ofdXml) });
  files.push({ name: 'Doc_0/Document.xml', data: enc.encode(documentXml) });
  files.push({ name: 'Doc_0/PublicRes.xml', data: enc.encode(publicRes) });
  files.push(...pageFiles);
  return writeZip(files);
}
