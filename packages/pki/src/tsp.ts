/**
 * RFC 3161 time-stamp protocol: requests, responses, a TSA that issues tokens (CMS SignedData over TSTInfo, signed
 * through a gm Signer) and token verification (imprint, nonce, policy, TSA certificate and its EKU). Browser-safe:
 * the HTTP server lives in tsa-server.ts.
 */
import { ErrorCode, YzError, bytesEqual, bytesToBigInt, digest, digestAlgorithmByOid, digestOid, type DigestAlgorithm } from '@yinzhang/gm/portable';
import type { Signer } from '@yinzhang/gm';
import {
  Tag, children, derBitString, derBoolean, derContext, derGeneralizedTime, derInteger, derOctetString, derOid, derSequence, derUtf8,
  readOid, readSingle, readTime, type Tlv,
} from '@yinzhang/gm/der';
import type { Certificate } from './certificate.js';
import { signCms, verifyCms, type CmsVerifyResult } from './cms.js';
import type { Crl } from './crl.js';
import { randomSerial } from './issue.js';
import { PkiOid } from './oids.js';
import { validateCertificate, type ValidationResult } from './validate.js';

const T = ErrorCode.TIMESTAMP_MALFORMED;
export const MAX_TIMESTAMP_BYTES = 1024 * 1024;
/** anyPolicy, used when the TSA is given no policy of its own. */
export const DEFAULT_TSA_POLICY = '2.5.29.32.0';

function bad(msg: string): never {
  throw new YzError(T, `malformed time-stamp data: ${msg}`);
}

function structure<R>(what: string, der: Uint8Array, fn: (t: Tlv) => R): R {
  if (der.length > MAX_TIMESTAMP_BYTES) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `${what} larger than ${MAX_TIMESTAMP_BYTES} bytes`);
  try {
    return fn(readSingle(der));
  } catch (e) {
    if (e instanceof YzError && (e.code === T || e.code === ErrorCode.LIMIT_EXCEEDED || e.code === ErrorCode.ALGORITHM_UNSUPPORTED)) throw e;
    throw new YzError(T, `malformed ${what}${e instanceof Error ? `: ${e.message}` : ''}`, undefined, { cause: e });
  }
}

export interface TimestampRequest {
  der: Uint8Array;
  hashAlgorithm: DigestAlgorithm;
  messageImprint: Uint8Array;
  policy?: string;
  nonce?: bigint;
  certReq: boolean;
}

function randomNonce(): bigint {
  const b = new Uint8Array(8);
  globalThis.crypto.getRandomValues(b);
  b[0] = b[0]! & 0x7f;
  return bytesToBigInt(b);
}

/** Builds a TimeStampReq. Default: SHA-256 (SM3 on request), a random 63-bit nonce, certReq true. */
export function createTimestampRequest(opts: {
  data?: Uint8Array;
  digest?: Uint8Array;
  hashAlgorithm?: DigestAlgorithm;
  /** true (default) for a random nonce, false for none, or a value. */
  nonce?: bigint | boolean;
  certReq?: boolean;
  policy?: string;
}): TimestampRequest {
  const hashAlgorithm = opts.hashAlgorithm ?? 'sha256';
  if (!opts.data && !opts.digest) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'give data or its digest');
  const messageImprint = opts.digest ?? digest(hashAlgorithm, opts.data!);
  if (messageImprint.length !== digest(hashAlgorithm, new Uint8Array(0)).length) throw new YzError(ErrorCode.INVALID_ARGUMENT, `digest must be a ${hashAlgorithm} digest`);
  const nonce = opts.nonce === false ? undefined : typeof opts.nonce === 'bigint' ? opts.nonce : randomNonce();
  const certReq = opts.certReq ?? true;
  const der = derSequence(
    derInteger(1),
    derSequence(derSequence(derOid(digestOid(hashAlgorithm))), derOctetString(messageImprint)),
    ...(opts.policy ? [derOid(opts.policy)] : []),
    ...(nonce !== undefined ? [derInteger(nonce)] : []),
    ...(certReq ? [derBoolean(true)] : []),
  );
  return { der, hashAlgorithm, messageImprint, certReq, ...(opts.policy ? { policy: opts.policy } : {}), ...(nonce !== undefined ? { nonce } : {}) };
}

function readImprint(t: Tlv): { hashAlgorithm: DigestAlgorithm; messageImprint: Uint8Array } {
  const [alg, hash] = children(t, 2);
  if (!alg || !hash || hash.tag !== Tag.OCTET_STRING) bad('MessageImprint');
  const hashAlgorithm = digestAlgorithmByOid(readOid(children(alg, 2)[0] ?? bad('hashAlgorithm')));
  return { hashAlgorithm, messageImprint: hash.value };
}

function readSignedInteger(t: Tlv): bigint {
  if (t.tag !== Tag.INTEGER || t.value.length === 0 || t.value.length > 64) bad('INTEGER');
  let v = bytesToBigInt(t.value);
  if (t.value[0]! & 0x80) v -= 1n << BigInt(t.value.length * 8);
  return v;
}

export function parseTimestampRequest(der: Uint8Array): TimestampRequest {
  return structure('TimeStampReq', der, (top) => {
    const f = children(top, 6);
    if (f[0]?.tag !== Tag.INTEGER || readSignedInteger(f[0]) !== 1n) bad('TimeStampReq version');
    const { hashAlgorithm, messageImprint } = readImprint(f[1] ?? bad('no MessageImprint'));
    const req: TimestampRequest = { der, hashAlgorithm, messageImprint, certReq: false };
    for (const x of f.slice(2)) {
      if (x.tag === Tag.OID) req.policy = readOid(x);
      else if (x.tag === Tag.INTEGER) req.nonce = readSignedInteger(x);
      else if (x.tag === Tag.BOOLEAN) req.certReq = x.value[0] !== 0;
    }
    return req;
  });
}

export interface TstInfo {
  policy: string;
  hashAlgorithm: DigestAlgorithm;
  messageImprint: Uint8Array;
  serialHex: string;
  genTime: Date;
  /** Accuracy in milliseconds, when stated. */
  accuracyMs?: number;
  ordering: boolean;
  nonce?: bigint;
}

export function parseTstInfo(der: Uint8Array): TstInfo {
  return structure('TSTInfo', der, (top) => {
    const f = children(top, 12);
    if (f[0]?.tag !== Tag.INTEGER || readSignedInteger(f[0]) !== 1n) bad('TSTInfo version');
    const policy = readOid(f[1] ?? bad('no policy'));
    const { hashAlgorithm, messageImprint } = readImprint(f[2] ?? bad('no MessageImprint'));
    const serial = f[3];
    if (!serial || serial.tag !== Tag.INTEGER) bad('serialNumber');
    const gen = f[4];
    if (!gen || gen.tag !== Tag.GENERALIZED_TIME) bad('genTime');
    const info: TstInfo = { policy, hashAlgorithm, messageImprint, serialHex: bytesToBigInt(serial.value).toString(16), genTime: readTime(gen), ordering: false };
    for (const x of f.slice(5)) {
      if (x.tag === Tag.SEQUENCE) {
        let ms = 0;
        for (const a of children(x, 3)) {
          const v = Number(readSignedInteger(a.tag === Tag.INTEGER ? a : { ...a, tag: Tag.INTEGER }));
          if (a.tag === Tag.INTEGER) ms += v * 1000;
          else if (a.cls === 2 && a.num === 0) ms += v;
          else if (a.cls === 2 && a.num === 1) ms += v / 1000;
        }
        info.accuracyMs = ms;
      } else if (x.tag === Tag.BOOLEAN) info.ordering = x.value[0] !== 0;
      else if (x.tag === Tag.INTEGER) info.nonce = readSignedInteger(x);
    }
    return info;
  });
}

export type PkiStatus = 'granted' | 'grantedWithMods' | 'rejection' | 'waiting' | 'revocationWarning' | 'revocationNotification';
const STATUS: PkiStatus[] = ['granted', 'grantedWithMods', 'rejection', 'waiting', 'revocationWarning', 'revocationNotification'];

export interface TimestampResponse {
  status: PkiStatus;
  statusText?: string;
  /** PKIFailureInfo bit numbers (0 badAlg, 2 badRequest, 5 badDataFormat, 14 timeNotAvailable, 15 unacceptedPolicy, 16 unacceptedExtension, 17 addInfoNotAvailable, 25 systemFailure). */
  failInfo?: number[];
  token?: Uint8Array;
}

export function parseTimestampResponse(der: Uint8Array): TimestampResponse {
  return structure('TimeStampResp', der, (top) => {
    const [statusInfo, token] = children(top, 2);
    if (!statusInfo) bad('no PKIStatusInfo');
    const s = children(statusInfo, 3);
    const code = Number(readSignedInteger(s[0] ?? bad('no status')));
    const status = STATUS[code] ?? bad(`unknown PKIStatus ${code}`);
    const resp: TimestampResponse = { status };
    for (const x of s.slice(1)) {
      if (x.tag === Tag.SEQUENCE) resp.statusText = children(x, 8).map((c) => new TextDecoder().decode(c.value)).join('; ');
      else if (x.tag === Tag.BIT_STRING) {
        const bits: number[] = [];
        x.value.subarray(1).forEach((byte, i) => {
          for (let b = 0; b < 8; b++) if (byte & (0x80 >> b)) bits.push(i * 8 + b);
        });
        resp.failInfo = bits;
      }
    }
    if (token) resp.token = token.bytes;
    return resp;
  });
}

function failInfoBits(bit: number): Uint8Array {
  const bytes = new Uint8Array(Math.floor(bit / 8) + 1);
  bytes[bytes.length - 1] = 0x80 >> (bit % 8);
  return derBitString(bytes, 7 - (bit % 8));
}

function rejection(text: string, failBit: number): Uint8Array {
  return derSequence(derSequence(derInteger(2), derSequence(derUtf8(text)), failInfoBits(failBit)));
}

export interface TsaOptions {
  /** TSA certificate: EKU timeStamping (critical), e.g. from the 'tsa' profile. */
  certificate: Certificate;
  signer: Signer;
  /** Certificates to include after the TSA certificate when certReq is set. */
  chain?: Certificate[];
  policy?: string;
  /** Digest algorithms accepted in requests (default sha256, sha384, sha512, sm3). */
  acceptedHashes?: DigestAlgorithm[];
  /** Clock, for tests. */
  now?: () => Date;
}

/** A time-stamping authority (RFC 3161): turns requests into signed tokens. Storage-free: serials are random. */
export class Tsa {
  readonly policy: string;
  constructor(readonly options: TsaOptions) {
    this.policy = options.policy ?? DEFAULT_TSA_POLICY;
    const eku = options.certificate.extKeyUsage;
    if (!eku || !eku.includes(PkiOid.ekuTimeStamping)) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'the TSA certificate lacks the timeStamping extended key usage');
  }

  /** Issues a token (DER ContentInfo) for a parsed request. */
  async issueToken(req: TimestampRequest): Promise<Uint8Array> {
    const genTime = new Date(Math.floor((this.options.now?.() ?? new Date()).getTime() / 1000) * 1000);
    const tst = derSequence(
      derInteger(1),
      derOid(this.policy),
      derSequence(derSequence(derOid(digestOid(req.hashAlgorithm))), derOctetString(req.messageImprint)),
      derInteger(randomSerial()),
      derGeneralizedTime(genTime),
      derSequence(derInteger(1)),
      ...(req.nonce !== undefined ? [derInteger(req.nonce)] : []),
      derContext(0, derContext(4, this.options.certificate.subject.der)),
    );
    return signCms({
      data: tst,
      detached: false,
      signer: this.options.signer,
      certificate: this.options.certificate,
      certificates: req.certReq ? this.options.chain ?? [] : [],
      omitCertificates: !req.certReq,
      eContentType: PkiOid.tstInfo,
      signedAttributes: { signingTime: genTime },
    });
  }

  /** Answers a DER TimeStampReq with a DER TimeStampResp; bad requests get a rejection, never an exception. */
  async respond(requestDer: Uint8Array): Promise<Uint8Array> {
    let req: TimestampRequest;
    try {
      req = parseTimestampRequest(requestDer);
    } catch (e) {
      const unsupported = e instanceof YzError && e.code === ErrorCode.ALGORITHM_UNSUPPORTED;
      return rejection(unsupported ? 'unsupported hash algorithm' : 'malformed request', unsupported ? 0 : 5);
    }
    if (!(this.options.acceptedHashes ?? ['sha256', 'sha384', 'sha512', 'sm3']).includes(req.hashAlgorithm)) return rejection(`hash algorithm ${req.hashAlgorithm} not accepted`, 0);
    if (req.messageImprint.length !== digest(req.hashAlgorithm, new Uint8Array(0)).length) return rejection('message imprint has the wrong length', 5);
    if (req.policy && req.policy !== this.policy) return rejection(`policy ${req.policy} not supported`, 15);
    const token = await this.issueToken(req);
    return derSequence(derSequence(derInteger(0)), token);
  }
}

export interface TimestampVerifyOptions {
  data?: Uint8Array;
  /** Digest of the data with the token's hash algorithm. */
  digest?: Uint8Array;
  /** Expected nonce (from the request). */
  nonce?: bigint;
  /** Expected policy. */
  policy?: string;
  /** When given, the TSA certificate is validated to these anchors at genTime (purpose 'tsa'). */
  trustAnchors?: Certificate[];
  intermediates?: Certificate[];
  crls?: Crl[];
  /** Certificates to find the TSA certificate in when the token carries none. */
  certificates?: Certificate[];
}

export interface TimestampVerifyResult {
  valid: boolean;
  problems: string[];
  tstInfo?: TstInfo;
  genTime?: Date;
  tsaCertificate?: Certificate;
  cms?: CmsVerifyResult;
  /** Set when trustAnchors were given. */
  certificateValidation?: ValidationResult;
}

/**
 * Verifies a token (DER ContentInfo, or a whole TimeStampResp). Problems are listed; structural garbage throws
 * TIMESTAMP_MALFORMED / CMS_MALFORMED.
 */
export async function verifyTimestampToken(input: Uint8Array, opts: TimestampVerifyOptions = {}): Promise<TimestampVerifyResult> {
  let token = input;
  const head = structure('time-stamp token', input, (t) => children(t, 3));
  if (head[0]?.tag === Tag.SEQUENCE) {
    // a TimeStampResp: unwrap
    const resp = parseTimestampResponse(input);
    if (!resp.token) return { valid: false, problems: [`the TSA answered ${resp.status}${resp.statusText ? ` (${resp.statusText})` : ''} without a token`] };
    token = resp.token;
  }
  const problems: string[] = [];
  const cms = await verifyCms(token, opts.certificates ? { certificates: opts.certificates } : {});
  problems.push(...cms.problems);
  if (cms.contentType !== PkiOid.tstInfo) problems.push(`token content type is ${cms.contentType}, not id-ct-TSTInfo`);
  if (!cms.content) return { valid: false, problems: [...problems, 'token without TSTInfo'], cms };
  const tstInfo = parseTstInfo(cms.content);
  const expected = opts.digest ?? (opts.data ? digest(tstInfo.hashAlgorithm, opts.data) : undefined);
  if (!expected) problems.push('no data or digest given to check the message imprint against');
  else if (!bytesEqual(expected, tstInfo.messageImprint)) problems.push('message imprint does not match the data');
  if (opts.nonce !== undefined && tstInfo.nonce !== opts.nonce) problems.push('nonce does not match the request');
  if (opts.policy && tstInfo.policy !== opts.policy) problems.push(`policy ${tstInfo.policy} is not the expected ${opts.policy}`);
  const tsa = cms.certificate;
  if (tsa) {
    const ekuExt = tsa.extensions.find((x) => x.oid === PkiOid.extKeyUsage);
    // RFC 3161 2.3: the TSA certificate carries exactly one, critical, EKU: id-kp-timeStamping.
    if (!tsa.extKeyUsage || tsa.extKeyUsage.length !== 1 || tsa.extKeyUsage[0] !== PkiOid.ekuTimeStamping || !ekuExt?.critical) {
      problems.push('the TSA certificate lacks the sole critical extended key usage timeStamping');
    }
    if (tstInfo.genTime < tsa.notBefore || tstInfo.genTime > tsa.notAfter) problems.push('genTime is outside the TSA certificate validity');
    if (!cms.signedAttributes?.signingCertificate && !cms.signedAttributes?.signingCertificateV2) problems.push('token lacks the ESS signingCertificate attribute RFC 3161 requires');
  }
  let certificateValidation: ValidationResult | undefined;
  if (tsa && opts.trustAnchors) {
    certificateValidation = await validateCertificate({
      cert: tsa, trustAnchors: opts.trustAnchors, intermediates: [...(opts.intermediates ?? []), ...cms.certificates], crls: opts.crls ?? [], at: tstInfo.genTime, purpose: 'tsa',
    });
    for (const r of certificateValidation.reasons) problems.push(`TSA certificate: ${r.code}: ${r.message}`);
  }
  const valid = cms.signatureValid && problems.length === 0;
  return { valid, problems, tstInfo, genTime: tstInfo.genTime, cms, ...(tsa ? { tsaCertificate: tsa } : {}), ...(certificateValidation ? { certificateValidation } : {}) };
}

/** Sends a request to a TSA over HTTP (RFC 3161 §3.4) and returns the token; throws unless granted. */
export async function requestTimestamp(url: string, req: TimestampRequest, opts: { timeoutMs?: number } = {}): Promise<Uint8Array> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), opts.timeoutMs ?? 15_000);
  let body: Uint8Array;
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: req.der as unknown as BodyInit, signal: ctrl.signal });
    if (!res.ok) throw new YzError(T, `TSA at ${url} answered HTTP ${res.status}`);
    body = new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    if (e instanceof YzError) throw e;
    throw new YzError(ErrorCode.FILE_UNREADABLE, `cannot reach TSA at ${url}: ${e instanceof Error ? e.message : String(e)}`, { url }, { cause: e });
  } finally {
    clearTimeout(timer);
  }
  const resp = parseTimestampResponse(body);
  if ((resp.status !== 'granted' && resp.status !== 'grantedWithMods') || !resp.token) {
    throw new YzError(T, `TSA refused: ${resp.status}${resp.statusText ? ` (${resp.statusText})` : ''}`);
  }
  const check = await verifyTimestampToken(resp.token, { digest: req.messageImprint, ...(req.nonce !== undefined ? { nonce: req.nonce } : {}) });
  if (!check.valid) throw new YzError(T, `TSA token does not match the request: ${check.problems.join('; ')}`);
  return resp.token;
}
