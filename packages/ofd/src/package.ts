/**
 * The OFD document model we need for sealing: OFD.xml → DocBody (DocRoot, Signatures), Document.xml → pages (object
 * ID + content location, page size), Signatures.xml → signature entries, Signature.xml → SignedInfo. Parts are read
 * lazily from the zip and every XML part goes through the safe parser. Element order is never assumed (vendors
 * differ from the schema), elements are found by local name.
 */
import { ErrorCode, YzError } from '@yinzhang/gm/portable';
import { type OfdLimits, resolveLimits } from './limits.js';
import { absLoc, dirOf, resolveLoc } from './paths.js';
import { child, childText, childrenNamed, parseXml, type XmlElement } from './xml.js';
import { ZipArchive } from './zip.js';

export interface DocBody {
  /** Package name of Document.xml. */
  docRoot: string;
  /** Package name of Signatures.xml, when the document has one. */
  signatures?: string;
  /** The location exactly as written in OFD.xml. */
  signaturesLoc?: string;
}

export interface PageInfo {
  /** Page object ID (what StampAnnot/@PageRef names). */
  id: string;
  /** Package name of the page content XML. */
  content: string;
  index: number;
  /** Page size in mm (PhysicalBox of the page, else of the document); read lazily. */
  readonly width: number;
  readonly height: number;
  /** Package names of the template pages this page uses (their text is visible on the page too); read lazily. */
  readonly templates: string[];
}

export interface DocumentInfo {
  path: string;
  pages: PageInfo[];
  maxUnitId: number;
  root: XmlElement;
}

export interface SignatureEntry {
  id: string;
  /** "Seal" (default when absent) or "Sign". */
  type: 'Seal' | 'Sign';
  /** Package name of Signature.xml. */
  path: string;
  baseLoc: string;
}

export interface SignaturesInfo {
  path: string;
  maxSignId: string | undefined;
  entries: SignatureEntry[];
}

export interface StampAnnotInfo {
  id: string;
  pageRef: string;
  /** x y w h in mm. */
  boundary: [number, number, number, number];
  clip?: [number, number, number, number];
}

export interface ReferenceInfo {
  fileRef: string;
  /** Resolved package name (undefined when the location is unusable). */
  path: string | undefined;
  checkValue: string;
}

export interface SignatureInfo {
  path: string;
  provider?: string;
  signatureMethod?: string;
  signatureDateTime?: string;
  checkMethod: string;
  references: ReferenceInfo[];
  stampAnnots: StampAnnotInfo[];
  /** Package name of Seal.esl when the signature names one. */
  seal?: string;
  /** Package name of SignedValue.dat. */
  signedValue: string;
}

function malformed(msg: string, details?: Record<string, unknown>): YzError {
  return new YzError(ErrorCode.OFD_MALFORMED, msg, details);
}

export function parseBox(s: string | undefined): [number, number, number, number] | undefined {
  if (!s) return undefined;
  const n = s.trim().split(/[\s,]+/).map(Number);
  if (n.length !== 4 || n.some((x) => !Number.isFinite(x))) return undefined;
  return [n[0]!, n[1]!, n[2]!, n[3]!];
}

export class OfdPackage {
  readonly zip: ZipArchive;
  readonly limits: OfdLimits;
  readonly bytes: Uint8Array;
  private readonly xmlCache = new Map<string, XmlElement>();

  private constructor(bytes: Uint8Array, zip: ZipArchive, limits: OfdLimits) {
    this.bytes = bytes;
    this.zip = zip;
    this.limits = limits;
  }

  /** Opens an OFD: a zip with OFD.xml at its root (GB/T 33190 §7.2). */
  static open(bytes: Uint8Array, limits?: Partial<OfdLimits>): OfdPackage {
    const l = resolveLimits(limits);
    const zip = ZipArchive.read(bytes, l);
    if (!zip.has('OFD.xml')) throw new YzError(ErrorCode.OFD_MISSING_PART, 'OFD.xml is missing: not an OFD package');
    const pkg = new OfdPackage(bytes, zip, l);
    pkg.docBodies(); // fail early on a broken OFD.xml
    return pkg;
  }

  has(name: string): boolean {
    return this.zip.has(name);
  }

  /** The stored name of a part (resolving case differences), or undefined. */
  actualName(name: string): string | undefined {
    const e = this.zip.entry(name);
    return e && !e.isDirectory ? e.name : undefined;
  }

  read(name: string): Uint8Array {
    const b = this.zip.read(name);
    if (!b) throw new YzError(ErrorCode.OFD_MISSING_PART, `${name} is missing from the package`, { part: name });
    return b;
  }

  xml(name: string): XmlElement {
    const hit = this.xmlCache.get(name);
    if (hit) return hit;
    // Checked on the declared size, before inflating, so a huge XML part never reaches memory.
    const declared = this.zip.entry(name)?.size ?? 0;
    if (declared > this.limits.maxXmlBytes) {
      throw new YzError(ErrorCode.LIMIT_EXCEEDED, `${name} is ${declared} bytes (XML limit ${this.limits.maxXmlBytes})`, { part: name, size: declared });
    }
    const el = parseXml(this.read(name), name, this.limits);
    this.xmlCache.set(name, el);
    return el;
  }

  docBodies(): DocBody[] {
    const root = this.xml('OFD.xml');
    if (root.name !== 'OFD') throw malformed('OFD.xml has no OFD root element');
    const bodies = childrenNamed(root, 'DocBody');
    if (bodies.length === 0) throw malformed('OFD.xml has no DocBody');
    return bodies.map((b) => {
      const docRoot = childText(b, 'DocRoot');
      if (!docRoot) throw malformed('DocBody has no DocRoot');
      const signaturesLoc = childText(b, 'Signatures');
      const body: DocBody = { docRoot: resolveLoc(docRoot, '') };
      if (signaturesLoc) {
        body.signatures = resolveLoc(signaturesLoc, '');
        body.signaturesLoc = signaturesLoc;
      }
      return body;
    });
  }

  document(docRoot: string): DocumentInfo {
    const root = this.xml(docRoot);
    if (root.name !== 'Document') throw malformed(`${docRoot} is not an OFD Document`);
    const common = child(root, 'CommonData');
    const docBox = parseBox(common ? childText(child(common, 'PageArea') ?? common, 'PhysicalBox') : undefined) ?? [0, 0, 210, 297];
    const pagesEl = child(root, 'Pages');
    const dir = dirOf(docRoot);
    const templateLocs = new Map<string, string>();
    for (const t of common ? childrenNamed(common, 'TemplatePage') : []) {
      if (t.attrs.ID && t.attrs.BaseLoc) templateLocs.set(t.attrs.ID, resolveLoc(t.attrs.BaseLoc, dir));
    }
    const pages: PageInfo[] = (pagesEl ? childrenNamed(pagesEl, 'Page') : []).map((p, index) => {
      const id = p.attrs.ID;
      const loc = p.attrs.BaseLoc;
      if (!id || !loc) throw malformed(`page ${index + 1} lacks ID or BaseLoc`);
      const content = this.actualName(resolveLoc(loc, dir)) ?? resolveLoc(loc, dir);
      // Page size and templates need the page XML: parsed on first use only, so that verifying or signing a
      // 1000-page document does not parse every page.
      let details: { box: [number, number, number, number]; templates: string[] } | undefined;
      const load = () => {
        if (details) return details;
        const pageXml = this.zip.has(content) ? this.xml(content) : undefined;
        const area = pageXml ? child(pageXml, 'Area') : undefined;
        const box = (area ? parseBox(childText(area, 'PhysicalBox')) : undefined) ?? docBox;
        const templates = (pageXml ? childrenNamed(pageXml, 'Template') : [])
          .map((t) => templateLocs.get(t.attrs.TemplateID ?? ''))
          .filter((t): t is string => t !== undefined);
        details = { box, templates };
        return details;
      };
      return {
        id, content, index,
        get width() { return load().box[2]; },
        get height() { return load().box[3]; },
        get templates() { return load().templates; },
      };
    });
    const maxUnitId = Number(common ? childText(common, 'MaxUnitID') : undefined);
    return { path: docRoot, pages, maxUnitId: Number.isFinite(maxUnitId) ? maxUnitId : 0, root };
  }

  signatures(path: string): SignaturesInfo {
    const root = this.xml(path);
    if (root.name !== 'Signatures') throw malformed(`${path} is not an OFD Signatures list`);
    const list = childrenNamed(root, 'Signature');
    if (list.length > this.limits.maxSignatures) {
      throw new YzError(ErrorCode.LIMIT_EXCEEDED, `${list.length} signatures (limit ${this.limits.maxSignatures})`);
    }
    const dir = dirOf(path);
    const maxIds = childrenNamed(root, 'MaxSignId');
    return {
      path,
      maxSignId: maxIds.length ? maxIds[maxIds.length - 1]!.text.trim() : undefined,
      entries: list.map((s, i) => {
        const baseLoc = s.attrs.BaseLoc;
        if (!baseLoc) throw malformed(`signature ${i + 1} in ${path} has no BaseLoc`);
        return { id: s.attrs.ID ?? String(i + 1), type: s.attrs.Type === 'Sign' ? 'Sign' : 'Seal', path: resolveLoc(baseLoc, dir), baseLoc };
      }),
    };
  }

  signature(path: string): SignatureInfo {
    const root = this.xml(path);
    if (root.name !== 'Signature') throw malformed(`${path} is not an OFD Signature`);
    const info = child(root, 'SignedInfo');
    if (!info) throw malformed(`${path} has no SignedInfo`);
    const dir = dirOf(path);
    const refsEl = child(info, 'References');
    const refs = refsEl ? childrenNamed(refsEl, 'Reference') : [];
    if (refs.length > this.limits.maxReferences) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `${refs.length} references in ${path}`);
    const references: ReferenceInfo[] = refs.map((r) => {
      const fileRef = r.attrs.FileRef ?? '';
      let resolved: string | undefined;
      try {
        // Relative FileRefs are taken from the package root first (what producers mean in practice), then from
        // the Signature.xml folder (the ST_Loc rule).
        const fromRoot = resolveLoc(fileRef, '');
        resolved = fileRef.startsWith('/') || this.has(fromRoot) ? fromRoot : resolveLoc(fileRef, dir);
      } catch {
        resolved = undefined;
      }
      return { fileRef, path: resolved, checkValue: childText(r, 'CheckValue') ?? '' };
    });
    const stampAnnots: StampAnnotInfo[] = childrenNamed(info, 'StampAnnot').map((s) => {
      const boundary = parseBox(s.attrs.Boundary);
      if (!boundary || !s.attrs.PageRef) throw malformed(`StampAnnot in ${path} lacks Boundary or PageRef`);
      const clip = parseBox(s.attrs.Clip);
      return { id: s.attrs.ID ?? '', pageRef: s.attrs.PageRef, boundary, ...(clip ? { clip } : {}) };
    });
    const sealEl = child(info, 'Seal');
    const sealLoc = sealEl ? childText(sealEl, 'BaseLoc') : undefined;
    const signedValueLoc = childText(root, 'SignedValue');
    if (!signedValueLoc) throw malformed(`${path} has no SignedValue`);
    const provider = child(info, 'Provider');
    const providerName = provider ? provider.attrs.ProviderName ?? childText(provider, 'ProviderName') : undefined;
    const out: SignatureInfo = {
      path,
      checkMethod: refsEl?.attrs.CheckMethod ?? 'MD5',
      references,
      stampAnnots,
      signedValue: resolveLoc(signedValueLoc, dir),
    };
    if (providerName) out.provider = providerName;
    const method = childText(info, 'SignatureMethod');
    if (method) out.signatureMethod = method;
    const dt = childText(info, 'SignatureDateTime');
    if (dt) out.signatureDateTime = dt;
    if (sealLoc) out.seal = resolveLoc(sealLoc, dir);
    return out;
  }
}

export { absLoc };
