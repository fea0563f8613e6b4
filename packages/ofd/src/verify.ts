/**
 * Verification of every signature of an OFD into the shared report (docs/verification-report.md), over the bytes
 * received (never re-encoded). Per signature:
 *  - format: Signature.xml and SignedValue.dat parse;
 *  - integrity: every Reference's CheckValue over the raw part, dataHash = SM3(raw Signature.xml), and Seal.esl equal
 *    to the seal inside SignedValue.dat (GB/T 38540 §7.3). A later signature that rewrote a Signatures.xml locked by an
 *    earlier one shows up here, on the earlier signature;
 *  - signature value, seal, validity, signer-in-seal, chain: @yinzhang/ses (Type="Seal") or @yinzhang/pki CMS
 *    (Type="Sign", GB/T 35275 detached SignedData over Signature.xml);
 *  - coverage: the references protect the document root and every page's content (and the seal file it names).
 * No Node-only import: this runs in a browser with a suitable crypto provider.
 */
import { ErrorCode, YzError, bytesEqual, digest, sm2ComputeE, sm2PublicKeyFromSpki } from '@yinzhang/gm/portable';
import { parseCertificate, verifyTimestampToken } from '@yinzhang/pki/portable';
import {
  computeIndication, emptyChecks, fileInfo, message, overallIndication,
  type CheckName, type Checks, type Message, type MessageCode, type SignatureReport, type VerificationReport,
} from '@yinzhang/report';
import { parseSesSignature, verifySesSignature, type ParsedSesSignature, type SealPicture } from '@yinzhang/ses';
import { type OfdLimits } from './limits.js';
import { OfdPackage, type DocBody, type SignatureEntry, type SignatureInfo } from './package.js';
import { checkAlgorithm, checkReferences, type ZDigest } from './references.js';
import { verifySignCms } from './sign-cms.js';

export interface VerifyOfdOptions {
  /** File name for the report. */
  name?: string;
  /** Trusted roots (DER X.509); without them certificateChain stays `unknown` (INDETERMINATE). */
  trustAnchors?: readonly Uint8Array[];
  intermediates?: readonly Uint8Array[];
  /** Validation time (default now). */
  at?: Date;
  limits?: Partial<OfdLimits>;
  verifyTimestamp?: (token: Uint8Array, signatureValue: Uint8Array) => Promise<Date | undefined>;
}

/** A report message whose detail differs by language (zh-CN first). */
function msg(code: MessageCode, zh: string, en: string): Message {
  const m = message(code);
  return { code, zh: `${m.zh}（${zh}）`, en: `${m.en} (${en})` };
}

interface Partial0 {
  checks: Checks;
  messages: Message[];
  hints: Partial<Record<CheckName, string>>;
}

function formatFailed(entry: SignatureEntry, e: unknown): SignatureReport {
  const checks = emptyChecks();
  checks.format = 'failed';
  const detail = e instanceof YzError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
  const r = { checks, signingTime: null, signingTimeSource: 'claimed' as const };
  return {
    id: entry.id,
    kind: entry.type === 'Sign' ? 'sign' : 'seal',
    structure: entry.type === 'Sign' ? 'GB/T 35275' : 'GB/T 38540-2020',
    ...computeIndication(r),
    ...r,
    messages: [message('FORMAT_INVALID', detail)],
  };
}

function zDigestFor(certDer: Uint8Array): ZDigest {
  // Lazy: only vendor references (OID 1.2.156.10197.1.401.2) need it, and importing the key costs a point check.
  let e: ZDigest | null | undefined;
  return (data) => {
    if (e === undefined) {
      try {
        const cert = parseCertificate(certDer);
        const key = cert.keyAlgorithm === 'sm2' ? sm2PublicKeyFromSpki(cert.spki) : undefined;
        e = key ? (d) => sm2ComputeE(key, d) : null;
      } catch {
        e = null;
      }
    }
    return e ? e(data) : undefined;
  };
}

/** Reference digests + coverage, merged into the checks the seal/CMS verifier produced. */
function checkDocumentSide(pkg: OfdPackage, body: DocBody, entry: SignatureEntry, info: SignatureInfo, p: Partial0, zDigest: ZDigest | undefined): void {
  const results = checkReferences(pkg, info.checkMethod, info.references, zDigest);
  const bad = results.filter((r) => r.status === 'mismatch' || r.status === 'missing');
  const unsupported = results.filter((r) => r.status === 'unsupported');
  const sigsName = body.signatures?.toLowerCase();
  for (const r of bad) {
    const locked = r.path?.toLowerCase() === sigsName;
    const [zh, en] = r.status === 'missing' ? [`${r.fileRef} 缺失`, `${r.fileRef} missing`] : [`${r.fileRef} 已被修改`, `${r.fileRef} changed`];
    p.messages.push(locked
      ? msg('INTEGRITY_FAILED', `${zh}：后续签章修改了本签章锁定的签名列表`, `${en}: a later signature modified the signature list this signature locks`)
      : msg('INTEGRITY_FAILED', zh, en));
  }
  // The hash over Signature.xml (dataHash / messageDigest) was decided by the seal or CMS verifier.
  if (bad.length > 0) p.checks.integrity = 'failed';
  else if (p.checks.integrity !== 'failed' && (unsupported.length > 0 || results.length === 0)) {
    p.checks.integrity = 'unknown';
    const why = checkAlgorithm(info.checkMethod) === 'sm3-z' ? ' without a usable signer SM2 key' : '';
    p.messages.push(results.length === 0
      ? msg('INTEGRITY_FAILED', '签名未引用任何文件', 'no references')
      : msg('INTEGRITY_FAILED', `不支持的杂凑方法 ${info.checkMethod}${why ? '（无可用的签章人 SM2 公钥）' : ''}`, `CheckMethod ${info.checkMethod} not supported${why}`));
  }

  // Coverage: what a reader sees must be protected.
  const covered = new Set(results.filter((r) => r.status === 'ok').map((r) => r.path!.toLowerCase()));
  const required: string[] = [body.docRoot];
  try {
    for (const page of pkg.document(body.docRoot).pages) required.push(page.content);
  } catch {
    // An unreadable Document.xml is an integrity problem already reported through its reference (if any).
  }
  if (info.seal) required.push(info.seal);
  const uncovered = required.filter((r) => !covered.has(r.toLowerCase()));
  if (uncovered.length === 0) p.checks.coverage = 'passed';
  else {
    const notReferenced = uncovered.filter((u) => !info.references.some((r) => r.path?.toLowerCase() === u.toLowerCase()));
    if (notReferenced.length > 0) {
      p.checks.coverage = 'failed';
      const list = notReferenced.map((u) => `/${u}`).join(', ');
      p.messages.push(msg('COVERAGE_FAILED', `未受保护：${list}`, `not protected: ${list}`));
    } else {
      // Referenced but failing: that is an integrity failure, already reported; coverage itself is fine.
      p.checks.coverage = 'passed';
    }
  }
}

/**
 * RFC 3161 token over the signature value: its time when it verifies (and, with trust anchors, when the TSA
 * certificate chains to one at the time it gave).
 */
export function defaultTimestampVerifier(opts: Pick<VerifyOfdOptions, 'trustAnchors' | 'intermediates'>) {
  return async (token: Uint8Array, signatureValue: Uint8Array): Promise<Date | undefined> => {
    const anchors = opts.trustAnchors?.length ? opts.trustAnchors.map((d) => parseCertificate(d)) : undefined;
    const r = await verifyTimestampToken(token, {
      data: signatureValue,
      ...(anchors ? { trustAnchors: anchors, intermediates: (opts.intermediates ?? []).map((d) => parseCertificate(d)) } : {}),
    });
    if (!r.valid || (anchors && r.certificateValidation && !r.certificateValidation.valid)) return undefined;
    return r.genTime;
  };
}

async function verifySeal(pkg: OfdPackage, body: DocBody, entry: SignatureEntry, info: SignatureInfo, sigXml: Uint8Array, sv: Uint8Array, opts: VerifyOfdOptions): Promise<SignatureReport> {
  let parsed: ParsedSesSignature;
  try {
    parsed = parseSesSignature(sv);
  } catch (e) {
    return formatFailed(entry, e);
  }
  const v = await verifySesSignature(parsed, {
    expectedDataHash: digest('sm3', sigXml),
    ...(opts.trustAnchors ? { trustAnchors: opts.trustAnchors } : {}),
    ...(opts.intermediates ? { intermediates: opts.intermediates } : {}),
    ...(opts.at ? { at: opts.at } : {}),
    verifyTimestamp: opts.verifyTimestamp ?? defaultTimestampVerifier(opts),
  });
  const p: Partial0 = { checks: v.checks, messages: v.messages, hints: v.hints };
  if (v.checks.integrity === 'failed') {
    const m = p.messages.find((x) => x.code === 'INTEGRITY_FAILED' && x.en.includes('dataHash'));
    if (m) {
      m.zh = `${m.zh.replace(/（dataHash）$/, '')}（签名描述文件 Signature.xml 的杂凑值 dataHash 不符）`;
      m.en = `${m.en.replace(/ \(dataHash\)$/, '')} (dataHash ≠ SM3 of Signature.xml)`;
    }
  }
  // GB/T 38540 §7.3: the Seal.esl the OFD shows must be the seal that was signed.
  if (info.seal) {
    if (!pkg.has(info.seal)) {
      p.checks.integrity = 'failed';
      p.messages.push(msg('INTEGRITY_FAILED', `/${info.seal} 缺失`, `/${info.seal} missing`));
    } else if (!bytesEqual(pkg.read(info.seal), parsed.raw.eseal)) {
      p.checks.integrity = 'failed';
      p.messages.push(msg('INTEGRITY_FAILED', `/${info.seal} 与签名中的印章不一致`, `/${info.seal} differs from the seal inside the signature`));
    }
  }
  checkDocumentSide(pkg, body, entry, info, p, zDigestFor(parsed.signerCert));
  const r = { checks: p.checks, signingTime: v.signingTime, signingTimeSource: v.signingTimeSource };
  return {
    id: entry.id,
    kind: 'seal',
    structure: v.structure,
    ...computeIndication(r, p.hints),
    ...r,
    ...(v.seal ? { seal: v.seal } : {}),
    ...(v.signer ? { signer: v.signer } : {}),
    messages: p.messages,
  };
}

async function verifySign(pkg: OfdPackage, body: DocBody, entry: SignatureEntry, info: SignatureInfo, sigXml: Uint8Array, sv: Uint8Array, opts: VerifyOfdOptions): Promise<SignatureReport> {
  let v: Awaited<ReturnType<typeof verifySignCms>>;
  try {
    v = await verifySignCms(sv, sigXml, { ...opts, verifyTimestamp: opts.verifyTimestamp ?? defaultTimestampVerifier(opts) });
  } catch (e) {
    return formatFailed(entry, e);
  }
  const p: Partial0 = { checks: v.checks, messages: v.messages, hints: v.hints };
  checkDocumentSide(pkg, body, entry, info, p, v.signerCert ? zDigestFor(v.signerCert) : undefined);
  const r = { checks: p.checks, signingTime: v.signingTime, signingTimeSource: v.signingTimeSource };
  return {
    id: entry.id,
    kind: 'sign',
    structure: 'GB/T 35275',
    ...computeIndication(r, p.hints),
    ...r,
    ...(v.signer ? { signer: v.signer } : {}),
    messages: p.messages,
  };
}

async function verifyEntry(pkg: OfdPackage, body: DocBody, entry: SignatureEntry, opts: VerifyOfdOptions): Promise<SignatureReport> {
  let info: SignatureInfo;
  let sigXml: Uint8Array;
  let sv: Uint8Array;
  try {
    sigXml = pkg.read(entry.path);
    info = pkg.signature(entry.path);
    sv = pkg.read(info.signedValue);
  } catch (e) {
    if (e instanceof YzError && e.code === ErrorCode.LIMIT_EXCEEDED) throw e;
    return formatFailed(entry, e);
  }
  return entry.type === 'Sign' ? verifySign(pkg, body, entry, info, sigXml, sv, opts) : verifySeal(pkg, body, entry, info, sigXml, sv, opts);
}

/** Verifies every signature of every document in the OFD. Unreadable input (not an OFD) throws a YzError. */
export async function verifyOfd(bytes: Uint8Array, opts: VerifyOfdOptions = {}): Promise<VerificationReport> {
  const pkg = OfdPackage.open(bytes, opts.limits);
  const signatures: SignatureReport[] = [];
  for (const body of pkg.docBodies()) {
    if (!body.signatures || !pkg.has(body.signatures)) continue;
    for (const entry of pkg.signatures(body.signatures).entries) signatures.push(await verifyEntry(pkg, body, entry, opts));
  }
  return {
    format: 'ofd',
    file: fileInfo(opts.name ?? 'document.ofd', bytes),
    validationTime: (opts.at ?? new Date()).toISOString(),
    indication: overallIndication(signatures),
    signatures,
  };
}

/** The seal pictures of an OFD's seal signatures, for display (GB/T 38540: the picture inside the signed seal). */
export function extractSealPictures(bytes: Uint8Array, limits?: Partial<OfdLimits>): { id: string; picture: SealPicture }[] {
  const pkg = OfdPackage.open(bytes, limits);
  const out: { id: string; picture: SealPicture }[] = [];
  for (const body of pkg.docBodies()) {
    if (!body.signatures || !pkg.has(body.signatures)) continue;
    for (const entry of pkg.signatures(body.signatures).entries) {
      if (entry.type !== 'Seal') continue;
      try {
        const info = pkg.signature(entry.path);
        out.push({ id: entry.id, picture: parseSesSignature(pkg.read(info.signedValue)).tbs.eseal.picture });
      } catch {
        // A signature that cannot be parsed has no picture to show; verifyOfd reports why.
      }
    }
  }
  return out;
}
