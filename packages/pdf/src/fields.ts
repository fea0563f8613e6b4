/** Signature fields of the AcroForm (§12.7.3, §12.7.4.5), with inherited /FT and fully qualified names. */
import type { PdfDocument } from './document.js';
import type { PdfDict} from './objects.js';
import { PdfName, PdfRef, PdfString, textString, type PdfObject } from './objects.js';

export interface SignatureField {
  name: string;
  field: PdfDict;
  fieldRef: PdfRef | undefined;
  /** The /V signature dictionary reference, if signed. */
  valueRef: PdfRef | undefined;
  value: PdfDict | undefined;
  signed: boolean;
}

const MAX_FIELDS = 100_000;

export function findSignatureFields(doc: PdfDocument): SignatureField[] {
  const out: SignatureField[] = [];
  const form = doc.dict(doc.catalog.get('AcroForm'));
  if (!form) return out;
  const seen = new Set<number>();
  let count = 0;
  const walk = (ref: PdfObject, parentName: string, ft: string | undefined, depth: number): void => {
    if (depth > 32 || ++count > MAX_FIELDS) return;
    if (ref instanceof PdfRef) {
      if (seen.has(ref.num)) return;
      seen.add(ref.num);
    }
    const f = doc.dict(ref);
    if (!f) return;
    const t = doc.resolve(f.get('T'));
    const partial = t instanceof PdfString ? textString(t) : '';
    const full = partial ? (parentName ? `${parentName}.${partial}` : partial) : parentName;
    const ftv = doc.resolve(f.get('FT'));
    const type = ftv instanceof PdfName ? ftv.name : ft;
    const kids = doc.resolve(f.get('Kids'));
    // Kids that carry their own /T are fields; kids without are widgets of this field.
    const fieldKids = Array.isArray(kids) ? kids.filter((k) => doc.dict(k)?.has('T')) : [];
    if (type === 'Sig' && (f.has('T') || f.has('V'))) {
      const v = f.get('V');
      const value = doc.dict(v);
      out.push({ name: full, field: f, fieldRef: ref instanceof PdfRef ? ref : undefined, valueRef: v instanceof PdfRef ? v : undefined, value, signed: value !== undefined });
    }
    for (const k of fieldKids) walk(k, full, type, depth + 1);
  };
  const fields = doc.resolve(form.get('Fields'));
  if (Array.isArray(fields)) for (const f of fields) walk(f, '', undefined, 0);
  return out;
}
