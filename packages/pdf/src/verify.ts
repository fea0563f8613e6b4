/**
 * Verifies every signature of a PDF into the shared report (docs/verification-report.md). PDF-specific checks live
 * here — the ByteRange must cover the whole revision except exactly the /Contents string, the revision must end at an
 * %%EOF, and later revisions may only add what coverage.ts allows — while the container (CMS or SES_Signature) is
 * checked by a ContainerVerifier. The file is read through a ByteSource in one streaming pass.
 */
import { ErrorCode, YzError, readTlv, toHex, type DigestAlgorithm } from '@yinzhang/gm/portable';
import {
  computeIndication, emptyChecks, message, overallIndication,
  type CheckName, type Checks, type FileInfo, type Message, type SignatureReport, type VerificationReport,
} from '@yinzhang/report';
import { PdfDocument } from './document.js';
import { PdfName, PdfStream, PdfString, latin1, textString, type PdfDict } from './objects.js';
import { findSignatureFields } from './fields.js';
import { analyseCoverage, type CoverageResult } from './coverage.js';
import { bufferingHashFactory, byteRangePairs, runHashJobs, type HashFactory, type HashJob, type IncrementalHash } from './byte-range.js';
import { asSource, type ByteSource } from './source.js';

/** What a container check reports back; the PDF verifier adds format/integrity/coverage and the indication. */
export interface ContainerVerification {
  kind: 'seal' | 'sign';
  structure: SignatureReport['structure'];
  checks: Partial<Checks>;
  signingTime: string | null;
  signingTimeSource: 'claimed' | 'timestamp';
  signer?: SignatureReport['signer'];
  seal?: SignatureReport['seal'];
  revokedAt?: string;
  messages: Message[];
  hints?: Partial<Record<CheckName, string>>;
}

export interface ContainerVerifyContext {
  /** Digests of the ByteRange bytes, one per requested algorithm. */
  digests: Map<DigestAlgorithm, Uint8Array>;
  validationTime: Date;
  trustAnchors: Uint8Array[];
  crls: Uint8Array[];
  /** The signature dictionary (for /M, /SubFilter). */
  sigDict: PdfDict;
  /** /M of the signature dictionary. */
  claimedTime?: Date;
  /** Certificates and CRLs of the document's /DSS (PAdES B-LT). */
  dss: { certs: Uint8Array[]; crls: Uint8Array[] };
}

export interface ContainerVerifier {
  /** Whether this verifier understands the container (by content, not only by /SubFilter). */
  accepts(contents: Uint8Array, subFilter: string): boolean;
  /** Digest algorithms to compute over the ByteRange before verify() is called. */
  digestAlgorithms(contents: Uint8Array): DigestAlgorithm[];
  verify(contents: Uint8Array, ctx: ContainerVerifyContext): Promise<ContainerVerification>;
}

export interface VerifyPdfOptions {
  name?: string;
  /** Validation time (default now). */
  at?: Date;
  trustAnchors?: Uint8Array[];
  crls?: Uint8Array[];
  hashFactory?: HashFactory;
  verifiers: ContainerVerifier[];
}

interface Prepared {
  id: string;
  checks: Checks;
  messages: Message[];
  hints: Partial<Record<CheckName, string>>;
  sigDict: PdfDict;
  contents?: Uint8Array;
  verifier?: ContainerVerifier;
  digests: Map<DigestAlgorithm, IncrementalHash>;
  ranges: [number, number][];
  signedEnd: number;
  fieldNum?: number;
  valueNum?: number;
  locked: boolean;
  subFilter: string;
}

const MAX_SIGNATURES = 1000;

function isEofAt(source: ByteSource, end: number): boolean {
  const tail = latin1(source.read(Math.max(0, end - 16), Math.min(16, end)));
  return /%%EOF[\r\n]{0,2}$/.test(tail);
}

function onlyWhitespaceAfter(source: ByteSource, from: number): boolean {
  if (source.size - from > 64) return false;
  return /^[\s\0]*$/.test(latin1(source.read(from, source.size - from)));
}

function isLocked(doc: PdfDocument, sigDict: PdfDict, field: PdfDict): boolean {
  const refs = doc.resolve(sigDict.get('Reference'));
  if (Array.isArray(refs)) {
    for (const r of refs) {
      const d = doc.dict(r);
      const tm = d ? doc.resolve(d.get('TransformMethod')) : undefined;
      const tp = d ? doc.dict(d.get('TransformParams')) : undefined;
      if (tm instanceof PdfName && tm.name === 'DocMDP' && tp && doc.resolve(tp.get('P')) === 1) return true;
    }
  }
  const lock = doc.dict(field.get('Lock'));
  return !!lock && doc.resolve(lock.get('P')) === 1;
}

export async function verifyPdf(input: ByteSource | Uint8Array, opts: VerifyPdfOptions): Promise<VerificationReport> {
  const source = asSource(input);
  const validationTime = opts.at ?? new Date();
  const factory = opts.hashFactory ?? bufferingHashFactory;
  const doc = new PdfDocument(source);
  if (doc.encrypted) throw new YzError(ErrorCode.PDF_ENCRYPTED, 'the PDF is encrypted; verification of encrypted PDFs is not supported');
  const fields = findSignatureFields(doc).filter((f) => f.signed);
  if (fields.length > MAX_SIGNATURES) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `more than ${MAX_SIGNATURES} signatures`);

  const prepared: Prepared[] = [];
  for (const f of fields) {
    const checks = emptyChecks();
    const messages: Message[] = [];
    const sig = f.value!;
    const p: Prepared = {
      id: f.name, checks, messages, hints: {}, sigDict: sig, digests: new Map(), ranges: [], signedEnd: -1,
      ...(f.fieldRef ? { fieldNum: f.fieldRef.num } : {}), ...(f.valueRef ? { valueNum: f.valueRef.num } : {}),
      locked: isLocked(doc, sig, f.field), subFilter: '',
    };
    prepared.push(p);
    const fail = (check: CheckName, code: Parameters<typeof message>[0], detail: string): void => {
      checks[check] = 'failed';
      messages.push(message(code, detail));
    };
    const sf = doc.resolve(sig.get('SubFilter'));
    p.subFilter = sf instanceof PdfName ? sf.name : '';
    const br = doc.resolve(sig.get('ByteRange'));
    const contents = sig.get('Contents');
    if (!Array.isArray(br) || br.length !== 4 || !br.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0) || !(contents instanceof PdfString)) {
      fail('format', 'FORMAT_INVALID', 'ByteRange or Contents missing or malformed');
      continue;
    }
    const [a, b, c, d] = br as number[] as [number, number, number, number];
    if (a !== 0 || b <= 0 || c <= b || c + d > source.size) {
      fail('format', 'FORMAT_INVALID', `ByteRange [${br.join(' ')}] is not a valid pair of ranges in a ${source.size}-byte file`);
      continue;
    }
    p.ranges = byteRangePairs(br as number[]);
    p.signedEnd = c + d;
    const obj = f.valueRef ? doc.getObject(f.valueRef.num) : undefined;
    // The gap must be exactly the /Contents hex string of this very dictionary, written in the file (not in an
    // object stream), so nothing else escapes the signature.
    const gapIsContents = !!obj && obj.inStream < 0 && contents.hex && contents.start === b && contents.end === c;
    const eof = isEofAt(source, p.signedEnd);
    const wholeFile = p.signedEnd === source.size || onlyWhitespaceAfter(source, p.signedEnd);
    const laterSection = doc.sections.some((s) => s.offset >= p.signedEnd);
    checks.coverage = gapIsContents && eof && (wholeFile || laterSection) ? 'passed' : 'failed';
    if (!gapIsContents) messages.push(message('COVERAGE_FAILED', `ByteRange gap [${b}, ${c}) is not exactly the /Contents string`));
    if (!eof) messages.push(message('COVERAGE_FAILED', `ByteRange ends at ${p.signedEnd}, not at the end of a revision (%%EOF)`));
    if (eof && !wholeFile && !laterSection) messages.push(message('COVERAGE_FAILED', `${source.size - p.signedEnd} bytes after the signed range are not an incremental update`));
    // Contents is zero-padded: the container is the first DER element.
    let der: Uint8Array;
    try {
      der = readTlv(contents.bytes, 0).bytes;
    } catch {
      fail('format', 'FORMAT_INVALID', '/Contents is not a DER structure');
      continue;
    }
    p.contents = der;
    const v = opts.verifiers.find((x) => x.accepts(der, p.subFilter));
    if (!v) {
      fail('format', 'FORMAT_INVALID', `unsupported signature container (SubFilter ${p.subFilter || 'none'})`);
      continue;
    }
    p.verifier = v;
    for (const alg of v.digestAlgorithms(der)) p.digests.set(alg, factory(alg));
  }

  // One pass over the file: file info digests and every ByteRange digest.
  const fileSm3 = factory('sm3');
  const fileSha = factory('sha256');
  const jobs: HashJob[] = [{ ranges: [[0, source.size]], hashes: [fileSm3, fileSha] }];
  for (const p of prepared) if (p.digests.size > 0) jobs.push({ ranges: p.ranges, hashes: [...p.digests.values()] });
  runHashJobs(source, jobs);
  const file: FileInfo = { name: opts.name ?? 'document.pdf', size: source.size, sm3: toHex(fileSm3.digest()), sha256: toHex(fileSha.digest()) };

  const dss = readDss(doc);
  const signatures: SignatureReport[] = [];
  for (const p of prepared) {
    let cv: ContainerVerification | undefined;
    if (p.verifier && p.contents) {
      const digests = new Map<DigestAlgorithm, Uint8Array>();
      for (const [alg, h] of p.digests) digests.set(alg, h.digest());
      try {
        const claimed = claimedTime(doc, p.sigDict);
        cv = await p.verifier.verify(p.contents, {
          digests, validationTime, trustAnchors: opts.trustAnchors ?? [], crls: opts.crls ?? [], sigDict: p.sigDict, dss,
          ...(claimed ? { claimedTime: new Date(claimed) } : {}),
        });
      } catch (e) {
        if (!(e instanceof YzError)) throw e;
        p.checks.format = 'failed';
        p.messages.push(message('FORMAT_INVALID', e.message));
      }
    }
    if (cv) {
      Object.assign(p.checks, cv.checks);
      p.messages.push(...cv.messages);
      Object.assign(p.hints, cv.hints ?? {});
      if (p.checks.format === 'unknown') p.checks.format = 'passed';
    }
    let cov: CoverageResult | undefined;
    if (p.signedEnd > 0 && p.checks.coverage !== 'failed') {
      try {
        cov = analyseCoverage(doc, p.signedEnd, { ...(p.fieldNum !== undefined ? { fieldNum: p.fieldNum } : {}), ...(p.valueNum !== undefined ? { valueNum: p.valueNum } : {}), locked: p.locked });
      } catch (e) {
        if (!(e instanceof YzError)) throw e;
        cov = undefined;
        p.checks.coverage = 'failed';
        p.messages.push(message('COVERAGE_FAILED', `later revisions cannot be analysed: ${e.message}`));
      }
      if (cov) {
        if (cov.disallowed.length > 0) {
          p.checks.coverage = 'failed';
          const list = cov.disallowed.slice(0, 10).map((c) => `obj ${c.num}: ${c.what}`).join('; ');
          p.messages.push(message('COVERAGE_FAILED', `${cov.disallowed.length} change(s) after signing are not allowed${p.locked ? ' (document locked by this signature)' : ''}: ${list}`));
        }
        if (cov.redefined.length > 0) p.messages.push(redefinedMessage(cov));
        if (cov.newAnnotations.length > 0) p.messages.push(annotationsMessage(cov.newAnnotations));
      }
    }
    const base = {
      checks: p.checks,
      signingTime: cv?.signingTime ?? claimedTime(doc, p.sigDict),
      signingTimeSource: cv?.signingTimeSource ?? ('claimed' as const),
      ...(cv?.revokedAt ? { revokedAt: cv.revokedAt } : {}),
    };
    const ind = computeIndication(base, p.hints);
    signatures.push({
      id: p.id,
      kind: cv?.kind ?? 'sign',
      structure: cv?.structure ?? (p.subFilter === 'ETSI.CAdES.detached' ? 'PAdES' : 'CMS'),
      indication: ind.indication,
      subIndication: ind.subIndication,
      ...base,
      ...(cv?.seal ? { seal: cv.seal } : {}),
      ...(cv?.signer ? { signer: cv.signer } : {}),
      messages: p.messages,
    });
  }
  return { format: 'pdf', file, validationTime: validationTime.toISOString(), indication: overallIndication(signatures), signatures };
}

const MAX_DSS_ITEMS = 1000;

/** /DSS /Certs and /CRLs (ETSI EN 319 142-1 §5.4.2.2); unreadable entries are skipped. */
export function readDss(doc: PdfDocument): { certs: Uint8Array[]; crls: Uint8Array[] } {
  const out = { certs: [] as Uint8Array[], crls: [] as Uint8Array[] };
  try {
    const dss = doc.dict(doc.catalog.get('DSS'));
    if (!dss) return out;
    for (const [key, list] of [['Certs', out.certs], ['CRLs', out.crls]] as const) {
      const arr = doc.resolve(dss.get(key));
      if (!Array.isArray(arr)) continue;
      for (const r of arr.slice(0, MAX_DSS_ITEMS)) {
        const st = doc.resolve(r);
        if (st instanceof PdfStream) list.push(doc.streamData(st));
      }
    }
  } catch (e) {
    if (!(e instanceof YzError)) throw e;
  }
  return out;
}

function claimedTime(doc: PdfDocument, sig: PdfDict): string | null {
  const m = doc.resolve(sig.get('M'));
  if (!(m instanceof PdfString)) return null;
  const d = parsePdfDate(textString(m));
  return d ? d.toISOString() : null;
}

export function parsePdfDate(s: string): Date | undefined {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(s);
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', tz, th = '00', tm = '00'] = m;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  if (tz === '+' || tz === '-') t -= (tz === '+' ? 1 : -1) * (Number(th) * 60 + Number(tm)) * 60_000;
  return Number.isNaN(t) ? undefined : new Date(t);
}

function redefinedMessage(cov: CoverageResult): Message {
  const list = cov.redefined.slice(0, 20).join(', ');
  return {
    code: 'PDF_OBJECTS_REDEFINED',
    zh: `签章后的 ${cov.laterRevisions} 次增量更新重新定义了 ${cov.redefined.length} 个已签名对象（${list}）`,
    en: `${cov.laterRevisions} later revision(s) redefine ${cov.redefined.length} signed object(s) (${list})`,
  };
}

function annotationsMessage(list: string[]): Message {
  return {
    code: 'PDF_ANNOTATIONS_ADDED',
    zh: `签章后新增了注释（可能覆盖页面内容）：${list.slice(0, 10).join('; ')}`,
    en: `annotations were added after signing (they may overlay page content): ${list.slice(0, 10).join('; ')}`,
  };
}

