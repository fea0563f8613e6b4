/**
 * Signs a PDF by incremental update: the original bytes stay identical, a signature field with one widget (or one
 * widget per page for a riding seal), its appearance, and the signature dictionary with a fixed-size /Contents
 * placeholder are appended; the ByteRange is patched in place, then the container (CMS or SES) is written into the gap.
 */
import { ErrorCode, YzError, type DigestAlgorithm } from '@yinzhang/gm/portable';
import { MemorySource, type ByteSource } from './source.js';
import { bufferingHashFactory, hashRanges, type HashFactory } from './byte-range.js';
import { PdfDocument } from './document.js';
import type { PageInfo } from './document.js';
import { PdfDict, PdfRef, PdfString, dict, fromLatin1, latin1, name, pdfText, type PdfObject } from './objects.js';
import { IncrementalUpdate, serialize } from './writer.js';
import { imageAppearance, textAppearance } from './appearance.js';
import { pdfImage } from './image.js';
import { MM, pageSizeMm, rectFromTopLeftMm, type Rect } from './geometry.js';
import { findKeyword } from './text.js';
import { findSignatureFields } from './fields.js';

export type Placement =
  | { kind: 'invisible' }
  /** Without xMm/yMm: the bottom-right corner of the page, 20 mm from the edges. */
  | { kind: 'page'; page: number; xMm?: number; yMm?: number }
  | { kind: 'keyword'; keyword: string; page?: number }
  | { kind: 'riding'; yMm?: number };

/** The bytes covered by the ByteRange, offered to the container producer. */
export interface CoveredData {
  byteRange: [number, number, number, number];
  digest(alg: DigestAlgorithm): Uint8Array;
  bytes(): Uint8Array;
}

/** What goes into /Contents: a CMS SignedData (PAdES) or a GB/T 38540 SES_Signature. */
export interface SignatureContainer {
  filter: string;
  subFilter: string;
  /** 'DocTimeStamp' for a document timestamp (ETSI.RFC3161, PAdES B-LTA); default 'Sig'. */
  type?: 'Sig' | 'DocTimeStamp';
  /** Bytes to reserve for /Contents (the hex placeholder is twice this). */
  estimatedSize: number;
  produce(covered: CoveredData): Promise<Uint8Array>;
}

export interface SignPdfOptions {
  container: SignatureContainer;
  placement?: Placement;
  /** Seal/signature box size in mm (default 40 × 40). */
  sizeMm?: { width: number; height: number };
  /** PNG or JPEG seal picture; without it a visible signature gets a text box. */
  picture?: Uint8Array;
  /** Lines for the text appearance (default: "Digitally signed", the date). */
  textLines?: string[];
  fieldName?: string;
  reason?: string;
  location?: string;
  signerName?: string;
  signingTime?: Date;
  /** `lock`: no change allowed after this signature (DocMDP P=1, or a field lock when other signatures exist). */
  mode?: 'continue' | 'lock';
  /** Streaming hash for the ByteRange digest (Node: nodeHashFactory); default buffers the covered bytes. */
  hashFactory?: HashFactory;
}

export interface SignPdfResult {
  /** The signed file (original + update). */
  bytes: Uint8Array;
  fieldName: string;
  byteRange: [number, number, number, number];
  pages: number[];
}

const BR_PLACEHOLDER = '[0 0000000000 0000000000 0000000000]';
const MAX_CONTENTS = 4 * 1024 * 1024;

export function pdfDate(d: Date): string {
  const p = (n: number, l = 2): string => String(n).padStart(l, '0');
  return `D:${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

function arrayOf(doc: PdfDocument, o: PdfObject | undefined): PdfObject[] {
  const v = doc.resolve(o);
  return Array.isArray(v) ? v.slice() : [];
}

export async function signPdf(input: Uint8Array, opts: SignPdfOptions): Promise<SignPdfResult> {
  const r = await signPdfAppend(new MemorySource(input), opts);
  const bytes = new Uint8Array(input.length + r.appended.length);
  bytes.set(input);
  bytes.set(r.appended, input.length);
  return { bytes, fieldName: r.fieldName, byteRange: r.byteRange, pages: r.pages };
}

export interface SignPdfAppendResult extends Omit<SignPdfResult, 'bytes'> {
  /** The incremental update to append to the source, byte for byte. */
  appended: Uint8Array;
}

/**
 * Signs a PDF read through a ByteSource and returns only the bytes to append, so a huge file is never loaded:
 * the ByteRange digest streams the source (use `hashFactory` for a streaming hash; the default buffers).
 */
export async function signPdfAppend(source: ByteSource, opts: SignPdfOptions): Promise<SignPdfAppendResult> {
  const doc = new PdfDocument(source);
  if (doc.encrypted) throw new YzError(ErrorCode.PDF_ENCRYPTED, 'the PDF is encrypted; decrypt it before signing');
  const pages = doc.pages();
  if (pages.length === 0) throw new YzError(ErrorCode.PDF_MALFORMED, 'the PDF has no pages');
  const size = opts.sizeMm ?? { width: 40, height: 40 };
  if (!(size.width > 0 && size.height > 0 && size.width < 2000 && size.height < 2000)) {
    throw new YzError(ErrorCode.INVALID_ARGUMENT, 'seal size must be between 0 and 2000 mm');
  }
  const placement = opts.placement ?? { kind: 'invisible' };
  const existing = findSignatureFields(doc);
  const taken = new Set(existing.map((f) => f.name));
  let fieldName = opts.fieldName ?? '';
  if (!fieldName) for (let i = 1; ; i++) if (!taken.has((fieldName = `Signature${i}`))) break;
  if (taken.has(fieldName)) throw new YzError(ErrorCode.INVALID_ARGUMENT, `a field named ${fieldName} already exists`);

  // Where the widgets go: [page, rect, sliceIndex, sliceCount].
  const widgets: { page: PageInfo; index: number; rect: Rect; slice?: { i: number; n: number } }[] = [];
  const pageAt = (n: number): PageInfo => {
    const p = pages[n - 1];
    if (!Number.isInteger(n) || !p) throw new YzError(ErrorCode.PDF_PAGE_OUT_OF_RANGE, `page ${n} is out of range 1..${pages.length}`, { page: n, pages: pages.length });
    return p;
  };
  if (placement.kind === 'page') {
    const p = pageAt(placement.page);
    const ps = pageSizeMm(p);
    const x = placement.xMm ?? Math.max(0, ps.width - size.width - 20);
    const y = placement.yMm ?? Math.max(0, ps.height - size.height - 20);
    widgets.push({ page: p, index: placement.page, rect: rectFromTopLeftMm(p, x, y, size.width, size.height) });
  } else if (placement.kind === 'keyword') {
    const candidates = placement.page ? [placement.page] : pages.map((_, i) => i + 1);
    for (const n of candidates) {
      const p = pageAt(n);
      const box = findKeyword(doc, p, placement.keyword);
      if (!box) continue;
      // The seal is centred on the keyword, as paper seals are stamped over the signatory's name.
      const cx = (box.x0 + box.x1) / 2, cy = (box.y0 + box.y1) / 2;
      const w = size.width * MM, h = size.height * MM;
      widgets.push({ page: p, index: n, rect: [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2] });
      break;
    }
    if (widgets.length === 0) throw new YzError(ErrorCode.PDF_KEYWORD_NOT_FOUND, `keyword not found: ${placement.keyword}`);
  } else if (placement.kind === 'riding') {
    // 骑缝章: the picture is cut into one vertical slice per page, each placed at the right edge of its page.
    const n = pages.length;
    const sliceW = size.width / n;
    pages.forEach((p, i) => {
      const [x0, y0, x1, y1] = p.cropBox;
      const hPt = size.height * MM;
      const top = placement.yMm !== undefined ? y1 - placement.yMm * MM : (y0 + y1) / 2 + hPt / 2;
      void x0;
      widgets.push({ page: p, index: i + 1, rect: [x1 - sliceW * MM, top - hPt, x1, top], slice: { i, n } });
    });
  } else {
    widgets.push({ page: pages[0]!, index: 1, rect: [0, 0, 0, 0] });
  }

  const up = new IncrementalUpdate(doc);
  const sigRef = up.allocate();
  const fieldRef = up.allocate();
  const visible = placement.kind !== 'invisible';
  let imageRef: PdfRef | undefined;
  if (visible && opts.picture) {
    const img = pdfImage(opts.picture);
    imageRef = up.allocate();
    if (img.smask) {
      const smaskRef = up.allocate();
      up.set(smaskRef, img.smask);
      img.image.dict.set('SMask', smaskRef);
    }
    up.set(imageRef, img.image);
  }
  const when = opts.signingTime ?? new Date();
  const widgetRefs: PdfRef[] = [];
  const lock = opts.mode === 'lock';
  const firstSignature = existing.every((f) => !f.signed);
  widgets.forEach((w) => {
    const wRef = widgets.length === 1 ? fieldRef : up.allocate();
    widgetRefs.push(wRef);
    const wd = dict({ Type: name('Annot'), Subtype: name('Widget'), Rect: w.rect.map((x) => Math.round(x * 1000) / 1000), F: 132, P: w.page.ref });
    if (visible) {
      // On a rotated page the appearance is drawn upright for the reader: display-oriented box, counter-rotated by
      // /Matrix (§12.5.5 fits the transformed BBox into /Rect).
      const rot = w.slice ? 0 : w.page.rotate;
      const uw = w.rect[2] - w.rect[0], uh = w.rect[3] - w.rect[1];
      const [bw, bh] = rot === 90 || rot === 270 ? [uh, uw] : [uw, uh];
      const apRef = up.allocate();
      const ap = imageRef
        ? w.slice
          ? imageAppearance(imageRef, bw, bh, size.width * MM, w.slice.i * bw)
          : imageAppearance(imageRef, bw, bh)
        : textAppearance(bw, bh, opts.textLines ?? ['Digitally signed', opts.signerName ?? '', when.toISOString().slice(0, 19) + 'Z']);
      if (rot) {
        const c = Math.round(Math.cos((rot * Math.PI) / 180)), sn = Math.round(Math.sin((rot * Math.PI) / 180));
        ap.dict.set('Matrix', [c, sn, -sn, c, 0, 0]);
      }
      up.set(apRef, ap);
      wd.set('AP', dict({ N: apRef }));
    }
    if (widgets.length === 1) {
      wd.set('FT', name('Sig')).set('T', pdfText(fieldName)).set('V', sigRef);
      if (lock && !firstSignature) wd.set('Lock', dict({ Type: name('SigFieldLock'), Action: name('All'), P: 1 }));
    } else wd.set('Parent', fieldRef);
    up.set(wRef, wd);
  });
  if (widgets.length > 1) {
    const fd = dict({ FT: name('Sig'), T: pdfText(fieldName), V: sigRef, Kids: widgetRefs });
    if (lock && !firstSignature) fd.set('Lock', dict({ Type: name('SigFieldLock'), Action: name('All'), P: 1 }));
    up.set(fieldRef, fd);
  }

  // Page /Annots: update the indirect array if there is one, else a new version of the page.
  const byPage = new Map<number, { page: PageInfo; refs: PdfRef[] }>();
  widgets.forEach((w, i) => {
    const e = byPage.get(w.page.ref.num) ?? { page: w.page, refs: [] };
    e.refs.push(widgetRefs[i]!);
    byPage.set(w.page.ref.num, e);
  });
  for (const { page, refs } of byPage.values()) {
    const annots = page.dict.get('Annots');
    if (annots instanceof PdfRef && Array.isArray(doc.resolve(annots))) {
      up.set(annots, [...arrayOf(doc, annots), ...refs]);
    } else {
      up.set(page.ref, page.dict.clone().set('Annots', [...arrayOf(doc, annots), ...refs]));
    }
  }

  // AcroForm /Fields and /SigFlags (§12.7.2); the catalog changes only when it must.
  const rootRef = doc.trailer.get('Root');
  if (!(rootRef instanceof PdfRef)) throw new YzError(ErrorCode.PDF_MALFORMED, 'trailer /Root is not a reference');
  const catalog = doc.catalog.clone();
  let catalogChanged = false;
  const af = catalog.get('AcroForm');
  const addField = (form: PdfDict): PdfDict => {
    const f = form.clone();
    const fields = f.get('Fields');
    if (fields instanceof PdfRef && Array.isArray(doc.resolve(fields))) up.set(fields, [...arrayOf(doc, fields), fieldRef]);
    else f.set('Fields', [...arrayOf(doc, fields), fieldRef]);
    f.set('SigFlags', 3);
    return f;
  };
  if (af instanceof PdfRef && doc.dict(af)) up.set(af, addField(doc.dict(af)!));
  else {
    const formRef = up.allocate();
    up.set(formRef, addField(af instanceof PdfDict ? af : new PdfDict()));
    catalog.set('AcroForm', formRef);
    catalogChanged = true;
  }
  if (lock && firstSignature) {
    catalog.set('Perms', dict({ DocMDP: sigRef }));
    catalogChanged = true;
  }
  if (catalogChanged) up.set(rootRef, catalog);

  // The signature dictionary, written by hand so the placeholders sit at known offsets.
  const reserve = Math.min(MAX_CONTENTS, Math.max(1024, Math.ceil(opts.container.estimatedSize)));
  const docTs = opts.container.type === 'DocTimeStamp';
  const sd = dict({ Type: name(docTs ? 'DocTimeStamp' : 'Sig'), Filter: name(opts.container.filter), SubFilter: name(opts.container.subFilter) });
  if (!docTs) sd.set('M', new PdfString(fromLatin1(pdfDate(when)), false));
  if (opts.reason) sd.set('Reason', pdfText(opts.reason));
  if (opts.location) sd.set('Location', pdfText(opts.location));
  if (opts.signerName) sd.set('Name', pdfText(opts.signerName));
  if (lock) {
    const params = firstSignature
      ? dict({ Type: name('TransformParams'), P: 1, V: name('1.2') })
      : dict({ Type: name('TransformParams'), Action: name('All'), V: name('1.2') });
    sd.set('Reference', [dict({ Type: name('SigRef'), TransformMethod: name(firstSignature ? 'DocMDP' : 'FieldMDP'), TransformParams: params })]);
  }
  let body = serialize(sd);
  body = body.slice(0, -2) + `/ByteRange ${BR_PLACEHOLDER}/Contents <${'0'.repeat(reserve * 2)}>>>`;
  up.setRaw(sigRef, fromLatin1(`${sigRef.num} 0 obj\n${body}\nendobj\n`));

  const { tail, offsets } = up.buildTail();
  const base = source.size;
  const total = base + tail.length;
  const sigOff = offsets.get(sigRef.num)! - base;
  const objText = latin1(tail.subarray(sigOff, sigOff + body.length + 64));
  const brAt = sigOff + objText.indexOf(BR_PLACEHOLDER);
  const contentsAt = base + sigOff + objText.indexOf('/Contents <') + '/Contents '.length;
  const gapEnd = contentsAt + reserve * 2 + 2;
  const br: [number, number, number, number] = [0, contentsAt, gapEnd, total - gapEnd];
  const brText = `[0 ${br[1]} ${br[2]} ${br[3]}]`.padEnd(BR_PLACEHOLDER.length, ' ');
  if (brText.length !== BR_PLACEHOLDER.length) throw new YzError(ErrorCode.LIMIT_EXCEEDED, 'file too large for the ByteRange placeholder');
  tail.set(fromLatin1(brText), brAt);

  // The covered bytes: the source, then the tail up to the gap, then the tail after it.
  const feed = (update: (d: Uint8Array) => void): void => {
    hashRanges(source, [[0, base]], [{ update, digest: () => new Uint8Array(0) }]);
    update(tail.subarray(0, contentsAt - base));
    update(tail.subarray(gapEnd - base));
  };
  const factory = opts.hashFactory ?? bufferingHashFactory;
  const covered: CoveredData = {
    byteRange: br,
    bytes: () => {
      const b = new Uint8Array(br[1] + br[3]);
      let o = 0;
      feed((d) => {
        b.set(d, o);
        o += d.length;
      });
      return b;
    },
    digest: (alg) => {
      const h = factory(alg);
      feed((d) => h.update(d));
      return h.digest();
    },
  };
  const contents = await opts.container.produce(covered);
  if (contents.length > reserve) {
    throw new YzError(ErrorCode.PDF_SIGNATURE_TOO_LARGE, `signature is ${contents.length} bytes, ${reserve} were reserved`, { size: contents.length, reserved: reserve });
  }
  let hex = '';
  for (const b of contents) hex += b.toString(16).padStart(2, '0');
  tail.set(fromLatin1(hex), contentsAt + 1 - base);
  return { appended: tail, fieldName, byteRange: br, pages: [...new Set(widgets.map((w) => w.index))] };
}

