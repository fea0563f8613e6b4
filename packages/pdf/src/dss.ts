/**
 * PAdES B-LT (ETSI EN 319 142-1 §5.4.2): a Document Security Store with the certificates and CRLs a verifier needs
 * later, appended as its own incremental update after the signature (an allowed change for every signature).
 */
import { PdfDocument } from './document.js';
import { zlibSync } from 'fflate';
import type { PdfDict} from './objects.js';
import { PdfRef, PdfStream, dict, name } from './objects.js';
import { IncrementalUpdate } from './writer.js';

export interface DssContent {
  certs?: Uint8Array[];
  crls?: Uint8Array[];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function addDss(pdf: Uint8Array, content: DssContent): Uint8Array {
  const doc = new PdfDocument(pdf);
  const up = new IncrementalUpdate(doc, pdf);
  const catalog = doc.catalog.clone();
  const old = doc.dict(catalog.get('DSS'));
  const existing = { Certs: [] as PdfRef[], CRLs: [] as PdfRef[] };
  const seen: Uint8Array[] = [];
  for (const key of ['Certs', 'CRLs'] as const) {
    const arr = old ? doc.resolve(old.get(key)) : undefined;
    if (!Array.isArray(arr)) continue;
    for (const r of arr) {
      if (!(r instanceof PdfRef)) continue;
      existing[key].push(r);
      const st = doc.resolve(r);
      if (st instanceof PdfStream) seen.push(doc.streamData(st));
    }
  }
  const add = (key: 'Certs' | 'CRLs', items: Uint8Array[] | undefined): void => {
    for (const der of items ?? []) {
      if (seen.some((s) => sameBytes(s, der))) continue;
      seen.push(der);
      const ref = up.allocate();
      const data = zlibSync(der);
      up.set(ref, new PdfStream(dict({ Filter: name('FlateDecode') }), -1, data.length, data));
      existing[key].push(ref);
    }
  };
  add('Certs', content.certs);
  add('CRLs', content.crls);
  const dssRef = up.allocate();
  const d: PdfDict = old ? old.clone() : dict({ Type: name('DSS') });
  if (existing.Certs.length) d.set('Certs', existing.Certs);
  if (existing.CRLs.length) d.set('CRLs', existing.CRLs);
  up.set(dssRef, d);
  catalog.set('DSS', dssRef);
  const root = doc.trailer.get('Root') as PdfRef;
  up.set(root, catalog);
  return up.build().bytes;
}
