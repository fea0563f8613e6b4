/**
 * Verification of seals (GB/T 38540-2020 §6.3) and seal signatures (§7.3), over the bytes received, through the gm
 * crypto provider (no Node-only import, so it can run in a browser). Results are partial SignatureReports
 * (docs/verification-report.md); the document-hash comparison (integrity) is left to the OFD/PDF caller unless an
 * expected data hash is given.
 */
import {
  YzError, bytesEqual, digest, sm2PublicKeyFromSpki, sm2VerifyDigest, type DigestAlgorithm,
} from '@yinzhang/gm/portable';
import { validateCertificate, verifyTimestampToken, verifyWithSpki, type Certificate, type CertificatePurpose } from '@yinzhang/pki';
import {
  computeIndication, emptyChecks, message,
  type CheckName, type Checks, type Message, type SealSummary, type SignatureReport, type SignatureStructure, type SignerSummary,
} from '@yinzhang/report';
import { certificateSummary, parseAll, parseAllCrls, tryParseCertificate, withinValidity } from './certs.js';
import type { CertListEntry, ParsedSeal, ParsedSesSignature } from './model.js';
import { parseSeal, parseSesSignature } from './parse.js';

export interface SealVerifyOptions {
  /** When the seal must be valid (default: now). */
  at?: Date;
  /** Trusted roots (DER); without them certificateChain stays `unknown`. */
  trustAnchors?: readonly Uint8Array[];
  intermediates?: readonly Uint8Array[];
  /** CRLs (DER or PEM) for the revocation check of the signer (or, for a bare seal, the maker); without them `unknown`. */
  crls?: readonly Uint8Array[];
  /**
   * Verifies an RFC 3161 token over a signature value and returns its time (or throws / returns undefined when it does
   * not verify): the SES_Signature timestamp over the signature, and the GM/T 0031-2025 SESeal timestamp over the
   * maker's signature value. Default: @yinzhang/pki's verifyTimestampToken, with the TSA certificate validated to the
   * trust anchors when they are given.
   */
  verifyTimestamp?: (token: Uint8Array, signatureValue: Uint8Array) => Promise<Date | undefined>;
}

export interface SesVerifyOptions extends SealVerifyOptions {
  /**
   * The hash the caller computed over the protected data (OFD: SM3 of Signature.xml); when given, `integrity` is
   * decided here, otherwise it stays `unknown` for the caller.
   */
  expectedDataHash?: Uint8Array;
  /** Refuse vendor variants (e.g. a V1 signature over the data hash only) instead of accepting them with a warning. */
  strict?: boolean;
}

/** A partial SignatureReport: everything but id and indication, plus the maker's certificate and indication hints. */
export interface SesVerification {
  kind: 'seal';
  structure: SignatureStructure;
  checks: Checks;
  signingTime: string | null;
  signingTimeSource: 'claimed' | 'timestamp';
  seal?: SealSummary;
  signer?: SignerSummary;
  /** The seal maker's certificate. */
  maker?: SignerSummary;
  /** When the signer's certificate was revoked, if a CRL says so. */
  revokedAt?: string;
  /** GM/T 0031-2025: genTime of the seal's verified `[0]` timestamp (the seal existed then). */
  sealTimestampTime?: string;
  messages: Message[];
  /** More precise sub-indications for computeIndication (e.g. NOT_YET_VALID). */
  hints: Partial<Record<CheckName, string>>;
}

export function sealSummary(seal: ParsedSeal): SealSummary {
  return {
    version: seal.version,
    esID: seal.esID,
    vid: seal.header.vid,
    name: seal.property.name,
    type: seal.property.type,
    validStart: seal.property.validStart.toISOString(),
    validEnd: seal.property.validEnd.toISOString(),
    picture: { type: seal.picture.type, widthMm: seal.picture.widthMm, heightMm: seal.picture.heightMm },
  };
}

/** Completes a partial result into a SignatureReport entry (indication from the shared rules). */
export function toSignatureReport(id: string, v: SesVerification): SignatureReport {
  const { indication, subIndication } = computeIndication(v, v.hints);
  return {
    id,
    kind: v.kind,
    structure: v.structure,
    indication,
    subIndication,
    checks: v.checks,
    signingTime: v.signingTime,
    signingTimeSource: v.signingTimeSource,
    ...(v.seal ? { seal: v.seal } : {}),
    ...(v.signer ? { signer: v.signer } : {}),
    ...(v.revokedAt ? { revokedAt: v.revokedAt } : {}),
    messages: v.messages,
  };
}

function formatFailure(structure: SignatureStructure, e: unknown): SesVerification {
  const checks = emptyChecks();
  checks.format = 'failed';
  const detail = e instanceof YzError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
  return { kind: 'seal', structure, checks, signingTime: null, signingTimeSource: 'claimed', messages: [message('FORMAT_INVALID', detail)], hints: {} };
}

async function verifySignatureOver(oid: string, cert: Certificate, data: Uint8Array, signature: Uint8Array): Promise<boolean | Error> {
  try {
    return await verifyWithSpki(oid, cert.spki, data, signature);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/** GB/T 38540 §6.3: the maker's signature over the seal. Updates checks/messages; returns the maker's certificate. */
async function checkMaker(seal: ParsedSeal, checks: Checks, messages: Message[]): Promise<{ maker?: SignerSummary; cert?: Certificate }> {
  const cert = tryParseCertificate(seal.makerCert);
  if (cert instanceof Error) {
    checks.sealSignature = 'failed';
    messages.push(message('SEAL_MAKER_CERT_UNREADABLE', cert.message));
    return {};
  }
  const maker = certificateSummary(cert, seal.signAlgOid);
  const ok = await verifySignatureOver(seal.signAlgOid, cert, seal.raw.makerSigned, seal.signedValue);
  if (ok !== true) {
    checks.sealSignature = 'failed';
    messages.push(message('SEAL_SIGNATURE_INVALID', ok instanceof Error ? ok.message : undefined));
    return { maker, cert };
  }
  checks.sealSignature = 'passed';
  return { maker, cert };
}

/** §6.3: the maker's certificate must have been valid when it made the seal (createDate). */
function makerCertValidAtCreation(seal: ParsedSeal, cert: Certificate, messages: Message[]): boolean {
  if (withinValidity(cert, seal.property.createDate) === 'ok') return true;
  messages.push(message('SEAL_MAKER_CERT_NOT_VALID', `${seal.property.createDate.toISOString()} ∉ ${cert.notBefore.toISOString()}..${cert.notAfter.toISOString()}`));
  return false;
}

function checkSealValidity(seal: ParsedSeal, at: Date, checks: Checks, messages: Message[], hints: Partial<Record<CheckName, string>>): void {
  const { validStart, validEnd } = seal.property;
  if (at.getTime() < validStart.getTime()) {
    checks.sealValidity = 'failed';
    hints.sealValidity = 'SEAL_NOT_YET_VALID';
    messages.push(message('SEAL_NOT_YET_VALID', `${at.toISOString()} < ${validStart.toISOString()}`));
  } else if (at.getTime() > validEnd.getTime()) {
    checks.sealValidity = 'failed';
    hints.sealValidity = 'SEAL_EXPIRED';
    messages.push(message('SEAL_EXPIRED', `${at.toISOString()} > ${validEnd.toISOString()}`));
  } else checks.sealValidity = 'passed';
}

interface ChainTarget {
  cert: Certificate;
  /** Signer: the signing time; maker: when it made the seal. */
  at: Date;
  purpose: CertificatePurpose;
  /** Whose revocation status the report's `revocation` check shows. */
  revocationSubject: boolean;
}

/**
 * Path validation (@yinzhang/pki) of every certificate to a trust anchor at its own time; fills certificateChain and,
 * for the revocation subject, revocation (and revokedAt for the indication rules).
 */
async function checkChains(targets: ChainTarget[], opts: SealVerifyOptions, checks: Checks, messages: Message[]): Promise<string | undefined> {
  if (!opts.trustAnchors || opts.trustAnchors.length === 0) {
    checks.certificateChain = 'unknown';
    messages.push(message('NO_TRUST_ANCHOR'));
    return undefined;
  }
  const trustAnchors = parseAll(opts.trustAnchors, 'trust anchor');
  const intermediates = parseAll(opts.intermediates, 'intermediate certificate');
  const crls = parseAllCrls(opts.crls);
  let revokedAt: string | undefined;
  checks.certificateChain = 'passed';
  for (const t of targets) {
    // CRLs apply to the revocation subject only (the maker is checked at seal creation, long before any current CRL).
    const r = await validateCertificate({ cert: t.cert, intermediates, trustAnchors, crls: t.revocationSubject ? crls : [], at: t.at, purpose: t.purpose });
    // Revocation is reported by its own check, not as a chain failure.
    const fatal = r.reasons.filter((x) => x.code !== 'REVOKED' && x.code !== 'REVOCATION_UNKNOWN' && !x.code.startsWith('CRL_'));
    const crlProblems = r.reasons.filter((x) => x.code.startsWith('CRL_'));
    if (t.revocationSubject && crlProblems.length > 0) messages.push(message('REVOCATION_UNKNOWN', crlProblems.map((x) => x.message).join('; ')));
    if (fatal.length > 0) {
      checks.certificateChain = 'failed';
      messages.push(message('CHAIN_INVALID', fatal.map((x) => `${x.code}: ${x.message}`).join('; ')));
    }
    if (t.revocationSubject && crls.length > 0) {
      if (r.revocation.status === 'revoked') {
        checks.revocation = 'failed';
        revokedAt = r.revocation.revokedAt?.toISOString();
        messages.push(message('CERT_REVOKED', revokedAt));
      } else checks.revocation = r.revocation.status === 'good' ? 'passed' : 'unknown';
      if (checks.revocation === 'unknown') messages.push(message('REVOCATION_UNKNOWN'));
    }
  }
  return revokedAt;
}

/**
 * Verifies a bare seal (an `.esl`): format, the maker's signature (and the maker certificate's validity when the seal
 * was made), the seal's validity at `at`, the maker's chain when trust anchors are given, and a V5 seal's timestamp.
 */
export async function verifySeal(input: ParsedSeal | Uint8Array, opts: SealVerifyOptions = {}): Promise<SesVerification> {
  let seal: ParsedSeal;
  try {
    seal = input instanceof Uint8Array ? parseSeal(input) : input;
  } catch (e) {
    return formatFailure('GB/T 38540-2020', e);
  }
  const at = opts.at ?? new Date();
  const checks = emptyChecks();
  const messages: Message[] = [];
  const hints: Partial<Record<CheckName, string>> = {};
  checks.format = 'passed';
  checks.integrity = 'not-applicable';
  checks.signatureValue = 'not-applicable';
  checks.coverage = 'not-applicable';
  checks.revocation = 'unknown';
  if (seal.notes.length) messages.push(message('SEAL_NONSTANDARD_ENCODING', seal.notes.join('; ')));
  const { maker, cert } = await checkMaker(seal, checks, messages);
  checkSealValidity(seal, at, checks, messages, hints);
  // For a bare seal the certificate in question is the maker's, at the time it made the seal.
  if (cert) checks.certificateValidity = makerCertValidAtCreation(seal, cert, messages) ? 'passed' : 'failed';
  else checks.certificateValidity = 'unknown';
  if (cert) await checkChains([{ cert, at: seal.property.createDate, purpose: 'seal-maker', revocationSubject: true }], opts, checks, messages);
  else checks.certificateChain = 'unknown';
  const sealTs = seal.timeStamp ? await checkSealTimestamp(seal, opts, messages) : undefined;
  if (sealTs) checks.timestamp = sealTs.time ? 'passed' : 'failed';
  return {
    kind: 'seal',
    structure: seal.structure,
    checks,
    signingTime: null,
    signingTimeSource: 'claimed',
    seal: sealSummary(seal),
    ...(maker ? { maker } : {}),
    ...(sealTs?.time ? { sealTimestampTime: sealTs.time.toISOString() } : {}),
    messages,
    hints,
  };
}

/** Digest algorithm named by a CertDigestObj.type: a name ("sm3", "SHA-256") or an OID; SM3 when unrecognised. */
function certDigestAlgorithm(type: string): DigestAlgorithm[] {
  const t = type.toLowerCase().replace(/[-_\s]/g, '');
  if (t === 'sm3' || t === '1.2.156.10197.1.401') return ['sm3'];
  if (t === 'sha1' || t === '1.3.14.3.2.26') return ['sha1'];
  if (t === 'sha256' || t === '2.16.840.1.101.3.4.2.1') return ['sha256'];
  return ['sm3', 'sha256', 'sha1'];
}

/** GB/T 38540 §7.3: the signer's certificate must be in the seal's certList (bytes, or digest for certListType 2). */
export function signerInCertList(certList: readonly CertListEntry[], signerCert: Uint8Array): boolean {
  for (const e of certList) {
    if (e.kind === 'certificate' && bytesEqual(e.der, signerCert)) return true;
    if (e.kind === 'digest') {
      for (const alg of certDigestAlgorithm(e.type)) if (bytesEqual(digest(alg, signerCert), e.value)) return true;
    }
  }
  return false;
}

/**
 * GM/T 0031-2014 vendor variant (iOFD): the SM2 signature is made over e = dataHash (which the vendor computed as
 * SM3(Z_A ‖ data)), not over TBS_Sign. It proves the signer signed the data, but does not bind the seal or the time.
 */
function verifyOverDataHash(sig: ParsedSesSignature, cert: Certificate): boolean {
  if (sig.version !== 1 || sig.tbs.dataHash.length !== 32 || cert.keyAlgorithm !== 'sm2') return false;
  try {
    return sm2VerifyDigest(sm2PublicKeyFromSpki(cert.spki), sig.tbs.dataHash, sig.signature);
  } catch {
    return false;
  }
}

/** RFC 3161 token over the signature value (GB/T 38540: 对签名值的时间戳); throws with the problems when invalid. */
async function defaultTimestampCheck(token: Uint8Array, signatureValue: Uint8Array, opts: SealVerifyOptions): Promise<Date | undefined> {
  const anchors = opts.trustAnchors && opts.trustAnchors.length > 0 ? parseAll(opts.trustAnchors, 'trust anchor') : undefined;
  const r = await verifyTimestampToken(token, {
    data: signatureValue,
    ...(anchors ? { trustAnchors: anchors, intermediates: parseAll(opts.intermediates, 'intermediate certificate') } : {}),
  });
  if (!r.valid) throw new Error(r.problems.join('; ') || 'the timestamp does not verify');
  return r.genTime;
}

/** A timestamp token over a signature value: its time, or why it does not verify (never throws). */
async function checkTimestamp(token: Uint8Array, signatureValue: Uint8Array, opts: SealVerifyOptions): Promise<{ time?: Date; why?: string }> {
  const check = opts.verifyTimestamp ?? ((t: Uint8Array, v: Uint8Array) => defaultTimestampCheck(t, v, opts));
  try {
    const time = await check(token, signatureValue);
    return time ? { time } : { why: 'the timestamp gives no time' };
  } catch (e) {
    return { why: e instanceof YzError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e) };
  }
}

/**
 * GM/T 0031-2025: the optional SESeal `[0]` timestamp. Its imprint is taken over the maker's signature value
 * (signedValue, BIT STRING content), as GB/T 38540's SES_Signature timestamp is over the signature value
 * ("对签名值的时间戳") and ofdrw's V5 timestamp hook is fed the signature value: a verified token proves the seal existed
 * at genTime. A failure is reported under the `timestamp` check with TIMESTAMP_INVALID ("SESeal [0]: …").
 */
async function checkSealTimestamp(seal: ParsedSeal, opts: SealVerifyOptions, messages: Message[]): Promise<{ time?: Date }> {
  const r = await checkTimestamp(seal.timeStamp!, seal.signedValue, opts);
  if (!r.time) messages.push(message('TIMESTAMP_INVALID', `SESeal [0]: ${r.why ?? ''}`));
  return r.time ? { time: r.time } : {};
}

/**
 * Verifies a seal signature (GB/T 38540 §7.3): format, the signature over TBS_Sign, the embedded seal (§6.3), the
 * seal's validity at the signing time, the signer in the seal's certList, the signer certificate's validity at the
 * signing time, chains (signer and maker) when trust anchors are given, and the timestamps when present (the
 * signature's, and a V5 seal's own).
 */
export async function verifySesSignature(input: ParsedSesSignature | Uint8Array, opts: SesVerifyOptions = {}): Promise<SesVerification> {
  let sig: ParsedSesSignature;
  try {
    sig = input instanceof Uint8Array ? parseSesSignature(input) : input;
  } catch (e) {
    return formatFailure('GB/T 38540-2020', e);
  }
  const checks = emptyChecks();
  const messages: Message[] = [];
  const hints: Partial<Record<CheckName, string>> = {};
  checks.format = 'passed';
  if (sig.notes.length) messages.push(message('SEAL_NONSTANDARD_ENCODING', sig.notes.join('; ')));

  // integrity: only the hash comparison is ours; what the hash covers is the caller's business.
  if (opts.expectedDataHash) {
    checks.integrity = bytesEqual(opts.expectedDataHash, sig.tbs.dataHash) ? 'passed' : 'failed';
    if (checks.integrity === 'failed') messages.push(message('INTEGRITY_FAILED', 'dataHash'));
  }

  // signatureValue over TBS_Sign as received.
  const signerCert = tryParseCertificate(sig.signerCert);
  let signer: SignerSummary | undefined;
  if (signerCert instanceof Error) {
    checks.signatureValue = 'failed';
    messages.push(message('SIGNER_CERT_UNREADABLE', signerCert.message));
  } else {
    signer = certificateSummary(signerCert, sig.signAlgOid);
    const ok = await verifySignatureOver(sig.signAlgOid, signerCert, sig.raw.tbs, sig.signature);
    if (ok === true) checks.signatureValue = 'passed';
    else if (!opts.strict && verifyOverDataHash(sig, signerCert)) {
      checks.signatureValue = 'passed';
      messages.push(message('SIGNATURE_OVER_DATA_HASH_ONLY'));
    } else {
      checks.signatureValue = 'failed';
      messages.push(message('SIGNATURE_VALUE_INVALID', ok instanceof Error ? ok.message : undefined));
    }
  }

  // Signing time: a verified timestamp, else the claimed timeInfo, else the validation time.
  let signingTime = sig.tbs.timeInfo;
  let source: 'claimed' | 'timestamp' = 'claimed';
  if (sig.timeStamp) {
    const { time: tsTime, why } = await checkTimestamp(sig.timeStamp, sig.signature, opts);
    if (tsTime) {
      checks.timestamp = 'passed';
      signingTime = tsTime;
      source = 'timestamp';
    } else {
      checks.timestamp = 'failed';
      messages.push(message('TIMESTAMP_INVALID', why));
    }
  }
  if (source === 'claimed') messages.push(message('SIGNING_TIME_CLAIMED'));
  if (!signingTime) {
    messages.push(message('SIGNING_TIME_UNREADABLE'));
    signingTime = opts.at ?? new Date();
  }

  // The embedded seal (§6.3) at the signing time.
  const seal = sig.tbs.eseal;
  const { maker, cert: makerCert } = await checkMaker(seal, checks, messages);
  checkSealValidity(seal, signingTime, checks, messages, hints);
  // A seal made with a certificate that was not valid then is not a valid seal at any time.
  if (makerCert && !makerCertValidAtCreation(seal, makerCert, messages)) {
    checks.sealValidity = 'failed';
    hints.sealValidity = 'SEAL_MAKER_CERT_NOT_VALID';
  }
  // The V5 seal's own timestamp shares the `timestamp` check: it passes only when every timestamp present verifies.
  const sealTs = seal.timeStamp ? await checkSealTimestamp(seal, opts, messages) : undefined;
  if (sealTs) {
    if (!sealTs.time) checks.timestamp = 'failed';
    else if (checks.timestamp === 'not-applicable') checks.timestamp = 'passed';
  }

  checks.signerInSeal = signerInCertList(seal.property.certList, sig.signerCert) ? 'passed' : 'failed';
  if (checks.signerInSeal === 'failed') messages.push(message('SIGNER_NOT_IN_SEAL'));

  if (signerCert instanceof Error) checks.certificateValidity = 'unknown';
  else {
    const v = withinValidity(signerCert, signingTime);
    checks.certificateValidity = v === 'ok' ? 'passed' : 'failed';
    if (v === 'expired') messages.push(message('CERT_EXPIRED', `${signingTime.toISOString()} > ${signerCert.notAfter.toISOString()}`));
    if (v === 'not-yet-valid') {
      hints.certificateValidity = 'NOT_YET_VALID';
      messages.push(message('CERT_NOT_YET_VALID', `${signingTime.toISOString()} < ${signerCert.notBefore.toISOString()}`));
    }
  }

  let revokedAt: string | undefined;
  if (makerCert && !(signerCert instanceof Error)) {
    revokedAt = await checkChains(
      [
        { cert: signerCert, at: signingTime, purpose: 'signer', revocationSubject: true },
        { cert: makerCert, at: seal.property.createDate, purpose: 'seal-maker', revocationSubject: false },
      ],
      opts, checks, messages,
    );
  }
  else checks.certificateChain = 'unknown';

  return {
    kind: 'seal',
    structure: sig.structure,
    checks,
    signingTime: signingTime.toISOString(),
    signingTimeSource: source,
    seal: sealSummary(seal),
    ...(signer ? { signer } : {}),
    ...(maker ? { maker } : {}),
    ...(revokedAt ? { revokedAt } : {}),
    ...(sealTs?.time ? { sealTimestampTime: sealTs.time.toISOString() } : {}),
    messages,
    hints,
  };
}

