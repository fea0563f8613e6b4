/**
 * What changed after a signature (ISO 32000-1 §12.8.2, ETSI EN 319 142-1 §5.4, PAdES "shadow attack" classes):
 * every object that a later xref section (re)defines is compared with its value in the signed revision and
 * classified. Allowed after signing: new signatures (fields, widgets, appearances, signature dictionaries), new
 * annotations, /DSS (B-LT) and the AcroForm/page /Annots/catalog bookkeeping they need. Anything touching page content,
 * resources, the page tree or an existing object's meaning fails coverage. With DocMDP P=1 or a field lock P=1 only
 * /DSS additions remain allowed.
 */
import type { PdfDocument } from './document.js';
import { PdfDict, PdfName, PdfRef, PdfStream, deepEqual, type PdfObject } from './objects.js';

export interface ObjectChange {
  num: number;
  kind: 'added' | 'modified' | 'deleted' | 'rewritten-identical';
  allowed: boolean;
  /** Short English description (object type and the keys that changed). */
  what: string;
}

export interface CoverageResult {
  laterRevisions: number;
  changes: ObjectChange[];
  /** Objects of the signed revision that a later revision redefines with a different value. */
  redefined: number[];
  disallowed: ObjectChange[];
  /** New annotations other than widgets (could overlay content: reported, allowed unless locked). */
  newAnnotations: string[];
}

const MAX_CHANGES = 100_000;

function typeName(doc: PdfDocument, o: PdfObject | undefined): string {
  const d = o instanceof PdfStream ? o.dict : o instanceof PdfDict ? o : undefined;
  if (!d) return Array.isArray(o) ? 'array' : 'object';
  const t = doc.resolve(d.get('Type'));
  const st = doc.resolve(d.get('Subtype'));
  const ft = doc.resolve(d.get('FT'));
  return [t instanceof PdfName ? t.name : '', st instanceof PdfName ? st.name : '', ft instanceof PdfName ? `FT=${ft.name}` : ''].filter(Boolean).join('/') || (o instanceof PdfStream ? 'stream' : 'dict');
}

function changedKeys(a: PdfDict, b: PdfDict): string[] {
  const keys = new Set([...a.map.keys(), ...b.map.keys()]);
  return [...keys].filter((k) => !deepEqual(a.get(k), b.get(k)));
}

function refKeys(doc: PdfDocument, o: PdfObject | undefined): string[] {
  const v = doc.resolve(o);
  return Array.isArray(v) ? v.map((x) => (x instanceof PdfRef ? x.key : JSON.stringify(x))) : [];
}

function isSuperset(doc: PdfDocument, before: PdfDocument, oldV: PdfObject | undefined, newV: PdfObject | undefined): boolean {
  const now = new Set(refKeys(doc, newV));
  return refKeys(before, oldV).every((k) => now.has(k));
}

export interface SignatureIdentity {
  fieldNum?: number;
  valueNum?: number;
  /** DocMDP P=1 or a field lock with P=1. */
  locked: boolean;
}

export function analyseCoverage(doc: PdfDocument, signedEnd: number, sig: SignatureIdentity): CoverageResult {
  const before = doc.asOf(signedEnd);
  const later = doc.sections.filter((s) => s.offset >= signedEnd);
  const nums = new Set<number>();
  for (const s of later) for (const n of s.entries.keys()) if (nums.size < MAX_CHANGES) nums.add(n);
  const changes: ObjectChange[] = [];
  const newAnnotations: string[] = [];
  const rootBefore = before.trailer.get('Root');
  const rootNow = doc.trailer.get('Root');
  if (!(rootBefore instanceof PdfRef) || !(rootNow instanceof PdfRef) || rootBefore.num !== rootNow.num) {
    changes.push({ num: rootNow instanceof PdfRef ? rootNow.num : -1, kind: 'modified', allowed: false, what: 'trailer /Root replaced by another catalog' });
  }
  for (const num of [...nums].sort((a, b) => a - b)) {
    if (num === 0) continue;
    const oldO = before.getObject(num);
    let newO;
    try {
      newO = doc.getObject(num);
    } catch {
      newO = undefined;
    }
    // Objects that only exist as xref stream or object stream containers are plumbing, not content.
    if (!oldO && !newO) continue;
    if (oldO && !newO) {
      changes.push({ num, kind: 'deleted', allowed: false, what: `${typeName(before, oldO.value)} deleted` });
      continue;
    }
    const nv = newO!.value;
    if (nv instanceof PdfStream && (typeName(doc, nv) === 'XRef' || typeName(doc, nv) === 'ObjStm')) continue;
    if (!oldO) {
      const t = typeName(doc, nv);
      if (nv instanceof PdfDict && t.startsWith('Annot') && !t.includes('Widget')) newAnnotations.push(`${num}: ${t}`);
      changes.push({ num, kind: 'added', allowed: !sig.locked || isDssObject(t), what: t });
      continue;
    }
    const ov = oldO.value;
    const sameData = (): boolean => {
      if (!(ov instanceof PdfStream) || !(nv instanceof PdfStream)) return true;
      if (ov.dataOffset === nv.dataOffset && ov.dataLength === nv.dataLength) return true;
      try {
        const a = before.streamData(ov), b = doc.streamData(nv);
        return a.length === b.length && a.every((x, i) => x === b[i]);
      } catch {
        return false;
      }
    };
    if (ov instanceof PdfStream && nv instanceof PdfStream ? deepEqual(ov.dict, nv.dict) && sameData() : deepEqual(ov, nv)) {
      changes.push({ num, kind: 'rewritten-identical', allowed: true, what: typeName(before, ov) });
      continue;
    }
    changes.push(classifyModification(doc, before, num, ov, nv, sig, rootBefore instanceof PdfRef ? rootBefore.num : -1));
  }
  const disallowed = changes.filter((c) => !c.allowed);
  return {
    laterRevisions: later.length,
    changes,
    redefined: changes.filter((c) => c.kind === 'modified' || c.kind === 'deleted').map((c) => c.num),
    disallowed,
    newAnnotations,
  };
}

function isDssObject(t: string): boolean {
  return t === 'stream' || t === 'dict' || t.startsWith('DSS') || t.startsWith('VRI');
}

function classifyModification(doc: PdfDocument, before: PdfDocument, num: number, ov: PdfObject, nv: PdfObject, sig: SignatureIdentity, rootNum: number): ObjectChange {
  const t = typeName(before, ov);
  const mod = (allowed: boolean, what: string): ObjectChange => ({ num, kind: 'modified', allowed, what });
  if (num === sig.valueNum) return mod(false, 'the signature dictionary of this signature was changed');
  if (ov instanceof PdfStream || nv instanceof PdfStream) return mod(false, `${t} stream changed`);
  if (Array.isArray(ov) && Array.isArray(nv)) {
    // /Annots or /Fields arrays held as separate objects: appending is how new signatures are added.
    const grows = isSuperset(doc, before, ov, nv);
    const added = refKeys(doc, nv).filter((k) => !new Set(refKeys(before, ov)).has(k));
    return mod(grows && !sig.locked, `array: ${added.length} element(s) added${grows ? '' : ', elements removed'}`);
  }
  if (!(ov instanceof PdfDict) || !(nv instanceof PdfDict)) return mod(false, `${t} changed type`);
  const keys = changedKeys(ov, nv);
  const only = (allowed: string[]): boolean => keys.every((k) => allowed.includes(k));
  if (num === rootNum) {
    if (sig.locked) return mod(only(['DSS']), `catalog keys changed: ${keys.join(', ')}`);
    const fieldsOk = !keys.includes('AcroForm') || acroFormOk(doc, before, ov.get('AcroForm'), nv.get('AcroForm'));
    return mod(only(['AcroForm', 'DSS', 'Extensions']) && fieldsOk, `catalog keys changed: ${keys.join(', ')}`);
  }
  if (t.startsWith('Page') && !t.startsWith('Pages')) {
    return mod(only(['Annots']) && isSuperset(doc, before, ov.get('Annots'), nv.get('Annots')) && !sig.locked, `page keys changed: ${keys.join(', ')}`);
  }
  if (num === sig.fieldNum) return mod(false, `the field of this signature was changed (${keys.join(', ')})`);
  const ft = before.resolve(ov.get('FT'));
  if (ft instanceof PdfName && ft.name === 'Sig' && !ov.has('V')) {
    // An empty signature field being signed now.
    return mod(only(['V', 'AP', 'Lock', 'SV', 'F']) && !sig.locked, `empty signature field filled (${keys.join(', ')})`);
  }
  if (ov.has('Fields')) {
    return mod(!sig.locked && acroFormOkDicts(doc, before, ov, nv), `AcroForm keys changed: ${keys.join(', ')}`);
  }
  return mod(false, `${t} changed (${keys.join(', ')})`);
}

function acroFormOk(doc: PdfDocument, before: PdfDocument, o: PdfObject | undefined, n: PdfObject | undefined): boolean {
  if (o instanceof PdfRef && n instanceof PdfRef && o.num === n.num) return true; // the form object itself is judged separately
  const od = o === undefined ? new PdfDict() : before.dict(o);
  const nd = doc.dict(n);
  return !!od && !!nd && acroFormOkDicts(doc, before, od, nd);
}

function acroFormOkDicts(doc: PdfDocument, before: PdfDocument, od: PdfDict, nd: PdfDict): boolean {
  const keys = changedKeys(od, nd);
  if (!keys.every((k) => ['Fields', 'SigFlags', 'DR', 'DA', 'NeedAppearances'].includes(k))) return false;
  return !keys.includes('Fields') || isSuperset(doc, before, od.get('Fields'), nd.get('Fields'));
}
