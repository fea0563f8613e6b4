/**
 * Adds one signature to an OFD (GB/T 33190 §18, GB/T 38540 §7.2 for Type="Seal", GB/T 35275 for Type="Sign").
 * Order of work, which is what makes the result verifiable anywhere:
 *  1. refuse when an earlier signature (of any document in the package) protects a part this signature must change
 *     — Signatures.xml after a `lock` signature, or OFD.xml when a further document gets its first signature;
 *  2. register the new signature in Signatures.xml (creating it and naming it in OFD.xml if needed), write Seal.esl;
 *  3. digest every protected part as stored (CheckValue = base64(SM3(raw bytes))): all parts except the new
 *     Signature.xml and SignedValue.dat, and except the Signatures.xml files unless `lock` (which locks its own
 *     document's) — so in `continue` mode each new signature also protects the earlier signatures' files, and signing
 *     one document of a multi-document package leaves the others signable;
 *  4. write Signature.xml, then have the caller's signer produce SignedValue.dat over SM3(Signature.xml)
 *     (dataHash) with propertyInfo = the absolute path of Signature.xml.
 * Parts that are not changed are copied with their exact compressed bytes.
 */
import { ErrorCode, YzError, digest, toBase64 } from '@yinzhang/gm/portable';
import { type OfdLimits } from './limits.js';
import { OfdPackage, type SignaturesInfo } from './package.js';
import { absLoc, dirOf } from './paths.js';
import { computePlacements, type Placement, type StampPlacement } from './stamp.js';
import { escapeXml } from './xml.js';
import { writeZip, type ZipOutputEntry } from './zip.js';

export type SignMode = 'continue' | 'lock';
export type SignatureType = 'Seal' | 'Sign';

export interface SignedValueRequest {
  /** SM3 of the exact Signature.xml bytes (GB/T 38540 dataHash). */
  dataHash: Uint8Array;
  /** The exact Signature.xml bytes (the detached content of a Type="Sign" SignedData). */
  signatureXml: Uint8Array;
  /** Absolute path of Signature.xml (GB/T 38540 propertyInfo). */
  propertyInfo: string;
  signingTime: Date;
}

export interface AddSignatureOptions {
  type: SignatureType;
  mode?: SignMode;
  /** SESeal DER, written as Seal.esl and referenced (Type="Seal"). */
  sealEsl?: Uint8Array;
  placement: Placement;
  /** Size of the seal on the page in mm. */
  width: number;
  height: number;
  /** OID of the signature algorithm (SignatureMethod); SM2-with-SM3 by default. */
  signatureMethod?: string;
  signingTime?: Date;
  /** Which document of the package (DocBody, 0-based); default the first. */
  document?: number;
  produceSignedValue: (req: SignedValueRequest) => Promise<Uint8Array>;
  limits?: Partial<OfdLimits>;
}

export interface AddSignatureResult {
  ofd: Uint8Array;
  signatureId: string;
  signaturePath: string;
  stampAnnots: StampPlacement[];
}

const NS = 'http://www.ofdspec.org/2016';
const SM2_SM3 = '1.2.156.10197.1.501';
const SM3_OID = '1.2.156.10197.1.401';

function formatSignTime(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** MaxSignId is free text in practice ("s006", "2"): keep the producer's prefix and continue its numbering. */
function idAllocator(sigs: SignaturesInfo | undefined): { next: () => string; max: () => string } {
  let prefix = '';
  let width = 0;
  let n = 0;
  const seen = [sigs?.maxSignId, ...(sigs?.entries.map((e) => e.id) ?? [])].filter((x): x is string => !!x);
  for (const id of seen) {
    const m = /^(\D*)(\d+)$/.exec(id);
    if (!m) continue;
    const v = Number(m[2]);
    if (v >= n) {
      n = v;
      prefix = m[1]!;
      width = m[2]!.startsWith('0') ? m[2]!.length : 0;
    }
  }
  if (seen.length === 0) {
    prefix = 's';
    width = 3;
  }
  let last = '';
  return {
    next: () => {
      n += 1;
      last = `${prefix}${String(n).padStart(width, '0')}`;
      return last;
    },
    max: () => last,
  };
}

/** The namespace prefix of a part's root element as written (so inserted elements match the producer's style). */
function prefixOf(xml: string, local: string): string {
  const m = new RegExp(`<([A-Za-z_][\\w.-]*:)?${local}[\\s>/]`).exec(xml);
  return m?.[1] ?? '';
}

function insertBeforeClose(xml: string, qname: string, insert: string): string {
  const close = `</${qname}>`;
  const i = xml.lastIndexOf(close);
  if (i >= 0) return xml.slice(0, i) + insert + xml.slice(i);
  // An empty root written as <ofd:Signatures .../>: open it up.
  const m = new RegExp(`<${qname}(\\s[^>]*?)?\\s*/>`).exec(xml);
  if (!m) throw new YzError(ErrorCode.OFD_MALFORMED, `cannot find ${close}`);
  return `${xml.slice(0, m.index)}<${qname}${m[1] ?? ''}>${insert}${close}${xml.slice(m.index + m[0].length)}`;
}

export async function addSignature(input: Uint8Array, opts: AddSignatureOptions): Promise<AddSignatureResult> {
  const mode = opts.mode ?? 'continue';
  if (opts.type === 'Seal' && !opts.sealEsl) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'a Type="Seal" signature needs the seal (Seal.esl)');
  const pkg = OfdPackage.open(input, opts.limits);
  const bodies = pkg.docBodies();
  const docIndex = opts.document ?? 0;
  const body = bodies[docIndex];
  if (!Number.isInteger(docIndex) || !body) {
    throw new YzError(ErrorCode.INVALID_ARGUMENT, `document ${docIndex} does not exist (the package has ${bodies.length})`, { document: docIndex, documents: bodies.length });
  }
  const doc = pkg.document(body.docRoot);
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const changed = new Map<string, Uint8Array>();

  // 1. Existing signatures: this document's (for IDs and the list), and every document's (for what they protect).
  const sigsPath = body.signatures ?? `${dirOf(body.docRoot) ? `${dirOf(body.docRoot)}/` : ''}Signs/Signatures.xml`;
  const existing = body.signatures && pkg.has(body.signatures) ? pkg.signatures(body.signatures) : undefined;
  const sigsName = existing ? (pkg.actualName(existing.path) ?? existing.path) : sigsPath;
  const allLists = bodies.flatMap((b) => (b.signatures && pkg.has(b.signatures) ? [pkg.signatures(b.signatures)] : []));
  // Every document's list, this one's included even when it is new: `continue` references none of them, `lock` only its own.
  const listNames = new Set([sigsName, ...allLists.map((l) => pkg.actualName(l.path) ?? l.path)].map((n) => n.toLowerCase()));
  const mustChange = [sigsName, ...(body.signatures ? [] : ['OFD.xml'])].map((n) => n.toLowerCase());
  for (const list of allLists) {
    for (const e of list.entries) {
      if (!pkg.has(e.path)) continue;
      const hit = pkg.signature(e.path).references.find((r) => r.path !== undefined && mustChange.includes(r.path.toLowerCase()));
      if (!hit) continue;
      const what = hit.path!.toLowerCase() === sigsName.toLowerCase() ? 'the document is locked against further signatures' : 'adding the first signature of this document would break it';
      throw new YzError(ErrorCode.OFD_SIGNATURES_LOCKED, `signature ${e.id} protects ${hit.path}: ${what}`, { signature: e.id, part: hit.path });
    }
  }

  // 2. Placement, IDs, folder of the new signature.
  const placements = computePlacements(pkg, doc.pages, opts.placement, opts.width, opts.height);
  const ids = idAllocator(existing);
  const signatureId = ids.next();
  const annotIds = placements.map(() => ids.next());
  const signsDir = dirOf(sigsName);
  let k = existing?.entries.length ?? 0;
  const taken = (dir: string) => pkg.zip.entries.some((e) => e.name.toLowerCase().startsWith(`${dir.toLowerCase()}/`));
  while (taken(`${signsDir ? `${signsDir}/` : ''}Sign_${k}`)) k++;
  const signDir = `${signsDir ? `${signsDir}/` : ''}Sign_${k}`;
  const signaturePath = `${signDir}/Signature.xml`;
  const signedValuePath = `${signDir}/SignedValue.dat`;
  const sealPath = `${signDir}/Seal.esl`;

  // Signatures.xml: splice the new entry into the producer's bytes (other parts of the file stay as they were).
  if (existing) {
    let xml = dec.decode(pkg.read(sigsName));
    const p = prefixOf(xml, 'Signatures');
    xml = insertBeforeClose(xml, `${p}Signatures`, `<${p}Signature ID="${signatureId}" Type="${opts.type}" BaseLoc="${absLoc(signaturePath)}"/>`);
    const maxRe = new RegExp(`(<${p}MaxSignId>)[^<]*(</${p}MaxSignId>)(?![\\s\\S]*<${p}MaxSignId>)`);
    xml = maxRe.test(xml)
      ? xml.replace(maxRe, `$1${ids.max()}$2`)
      : insertBeforeClose(xml, `${p}Signatures`, `<${p}MaxSignId>${ids.max()}</${p}MaxSignId>`);
    changed.set(sigsName, enc.encode(xml));
  } else {
    changed.set(sigsName, enc.encode(`<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Signatures xmlns:ofd="${NS}"><ofd:MaxSignId>${ids.max()}</ofd:MaxSignId>` +
      `<ofd:Signature ID="${signatureId}" Type="${opts.type}" BaseLoc="${absLoc(signaturePath)}"/></ofd:Signatures>`));
    if (!body.signatures) {
      // OFD.xml changes only now, while no signature protects it yet. Every other DocBody without a list gets an empty
      // one too, so that signing those documents later never has to touch OFD.xml (which this signature protects).
      const ofdXml = dec.decode(pkg.read('OFD.xml'));
      const p = prefixOf(ofdXml, 'DocBody');
      const close = `</${p}DocBody>`;
      let out = '';
      let from = 0;
      for (let n = 0; n < bodies.length; n++) {
        // DocBody does not nest, so the n-th closing tag is the n-th body's.
        const i = ofdXml.indexOf(close, from);
        if (i < 0) throw new YzError(ErrorCode.OFD_MALFORMED, 'cannot find </DocBody> in OFD.xml');
        const b = bodies[n]!;
        let list = '';
        if (n === docIndex) list = sigsName;
        else if (!b.signatures) {
          list = `${dirOf(b.docRoot) ? `${dirOf(b.docRoot)}/` : ''}Signs/Signatures.xml`;
          if (pkg.has(list)) throw new YzError(ErrorCode.OFD_MALFORMED, `${list} exists but no DocBody names it`, { part: list });
          changed.set(list, enc.encode(`<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Signatures xmlns:ofd="${NS}"/>`));
          listNames.add(list.toLowerCase());
        }
        out += ofdXml.slice(from, i) + (list ? `<${p}Signatures>${absLoc(list)}</${p}Signatures>` : '') + close;
        from = i + close.length;
      }
      changed.set('OFD.xml', enc.encode(out + ofdXml.slice(from)));
    }
  }
  if (opts.type === 'Seal') changed.set(sealPath, opts.sealEsl!);

  // 3. References over every protected part, as stored.
  const parts = new Map<string, Uint8Array | undefined>();
  for (const e of pkg.zip.entries) if (!e.isDirectory) parts.set(e.name, changed.get(e.name));
  for (const [name, data] of changed) parts.set(name, data);
  const references: string[] = [];
  for (const [name, data] of parts) {
    if (name === signaturePath || name === signedValuePath) continue;
    if (listNames.has(name.toLowerCase()) && (mode === 'continue' || name !== sigsName)) continue;
    const bytes = data ?? pkg.read(name);
    references.push(`<ofd:Reference FileRef="${escapeXml(absLoc(name))}"><ofd:CheckValue>${toBase64(digest('sm3', bytes))}</ofd:CheckValue></ofd:Reference>`);
  }

  // 4. Signature.xml, then the signed value over it.
  const signingTime = opts.signingTime ?? new Date();
  const annots = placements.map((pl, i) => {
    const clip = pl.clip ? ` Clip="${pl.clip.join(' ')}"` : '';
    return `<ofd:StampAnnot ID="${annotIds[i]}" PageRef="${pl.pageRef}" Boundary="${pl.boundary.join(' ')}"${clip}/>`;
  });
  const sealEl = opts.type === 'Seal' ? `<ofd:Seal><ofd:BaseLoc>${absLoc(sealPath)}</ofd:BaseLoc></ofd:Seal>` : '';
  const signatureXml = enc.encode(`<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Signature xmlns:ofd="${NS}"><ofd:SignedInfo>` +
    `<ofd:Provider ProviderName="yinzhang" Company="yinzhang" Version="0.1.0"/>` +
    `<ofd:SignatureMethod>${opts.signatureMethod ?? SM2_SM3}</ofd:SignatureMethod>` +
    `<ofd:SignatureDateTime>${formatSignTime(signingTime)}</ofd:SignatureDateTime>` +
    `<ofd:References CheckMethod="${SM3_OID}">${references.join('')}</ofd:References>` +
    `${annots.join('')}${sealEl}</ofd:SignedInfo><ofd:SignedValue>${absLoc(signedValuePath)}</ofd:SignedValue></ofd:Signature>`);
  const signedValue = await opts.produceSignedValue({
    dataHash: digest('sm3', signatureXml),
    signatureXml,
    propertyInfo: absLoc(signaturePath),
    signingTime,
  });
  changed.set(signaturePath, signatureXml);
  changed.set(signedValuePath, signedValue);

  // 5. The new package: untouched entries copied raw, in their original order; new parts appended.
  const out: ZipOutputEntry[] = [];
  const written = new Set<string>();
  for (const e of pkg.zip.entries) {
    const data = changed.get(e.name);
    out.push(data ? { name: e.name, data } : { name: e.name, copy: e });
    written.add(e.name);
  }
  // Seal and signed value are DER (incompressible): stored, not deflated.
  for (const [name, data] of changed) if (!written.has(name)) out.push({ name, data, ...(/\.(esl|dat)$/i.test(name) ? { level: 0 } : {}) });
  return { ofd: writeZip(out), signatureId, signaturePath, stampAnnots: placements };
}
