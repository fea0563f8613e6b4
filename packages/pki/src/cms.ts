/**
 * CMS SignedData (RFC 5652) with the GB/T 35275 variant (SM2/SM3, content types 1.2.156.10197.6.1.4.2.x).
 * Signing: detached or attached, signed attributes contentType, messageDigest, signingTime, signingCertificateV2;
 * a precomputed content digest may be given instead of the content (PDF hashes its ByteRange in a stream).
 * Verification reads DER or BER, checks the signature over the signed attributes exactly as received and the
 * message digest. Signing needs only a gm Signer; verification is browser-safe (crypto provider only).
 */
import { ErrorCode, YzError, Oid, bytesEqual, concatBytes, digest, digestAlgorithmByOid, digestOid, getCryptoProvider, SignatureAlgorithms, pemDecodeAll, type DigestAlgorithm, type SignatureAlgorithm } from '@yinzhang/gm/portable';
import type { Signer } from '@yinzhang/gm';
import {
  derContext, derInteger, derNull, derOctetString, derOid, derSequence, derSetOf, derTime, derTlv, readTime, readOid, readSingle, Tag,
} from '@yinzhang/gm/der';
import { octets, readBer, berOid, type BerNode } from './ber.js';
import { parseCertificate, type Certificate } from './certificate.js';
import { namesEqual, parseName } from './name.js';
import { PkiOid } from './oids.js';

export type CmsOidStyle = 'rfc5652' | 'gbt35275';

export interface SignCmsOptions {
  /** The content; required unless `digest` is given (then the CMS is detached). */
  data?: Uint8Array;
  /** Precomputed digest of the content with the signer's digest algorithm (SM3 for SM2, SHA-256 otherwise). */
  digest?: Uint8Array;
  signer: Signer;
  certificate: Certificate;
  /** More certificates to include (the chain). */
  certificates?: Certificate[];
  /** Leave the content out (default true). */
  detached?: boolean;
  /** Signed attributes (default on; `true` = defaults). `false` signs the content directly (needs `data`). */
  signedAttributes?: boolean | {
    /** Default: now. `false` leaves signingTime out (PAdES puts the time in the signature dictionary instead). */
    signingTime?: Date | false;
    /** Default true (CAdES / PAdES need it). */
    signingCertificateV2?: boolean;
    /** Extra attributes: OID and DER values. */
    extra?: { oid: string; values: Uint8Array[] }[];
  };
  /** Content-type OIDs: RFC 5652 (default) or GB/T 35275 (SM2 only). */
  oidStyle?: CmsOidStyle;
  /** Leave out the certificates (default: include signer + `certificates`). */
  omitCertificates?: boolean;
  /** eContentType (and contentType attribute); default id-data of the OID style (RFC 3161 tokens use id-ct-TSTInfo). */
  eContentType?: string;
}

export interface CmsSignedAttributes {
  /** The [0] IMPLICIT SET exactly as received. */
  raw: Uint8Array;
  contentType?: string;
  messageDigest?: Uint8Array;
  signingTime?: Date;
  signingCertificateV2?: { hashAlgorithm: DigestAlgorithm; certHash: Uint8Array };
  /** ESS signingCertificate (v1, SHA-1), as `openssl ts -reply` writes by default. */
  signingCertificate?: { certHash: Uint8Array };
  /** Every attribute: OID and DER values. */
  all: { oid: string; values: Uint8Array[] }[];
}

export interface CmsSignerResult {
  /** Signature and (when signed attributes exist) message digest both verified. */
  valid: boolean;
  signatureValid: boolean;
  /** undefined when there was nothing to compare (no content and no digest given). */
  digestMatches: boolean | undefined;
  certificate?: Certificate;
  digestAlgorithm: DigestAlgorithm;
  signatureAlgorithmOid: string;
  signatureValue: Uint8Array;
  signedAttributes?: CmsSignedAttributes;
  /** id-aa-timeStampToken (RFC 3161 token over signatureValue), if present. */
  timestampToken?: Uint8Array;
  unsignedAttributes: { oid: string; values: Uint8Array[] }[];
  problems: string[];
}

export interface CmsVerifyResult extends CmsSignerResult {
  oidStyle: CmsOidStyle;
  /** eContentType as received. */
  contentType: string;
  /** Attached content, when present. */
  content?: Uint8Array;
  certificates: Certificate[];
  /** All signers; the top-level fields repeat the first one. */
  signers: CmsSignerResult[];
}

export interface VerifyCmsOptions {
  detachedContent?: Uint8Array;
  /** Precomputed content digest (with the SignerInfo's digest algorithm). */
  digest?: Uint8Array;
  /** Extra certificates to look for the signer in. */
  certificates?: Certificate[];
  /** SM2 user ID, default 1234567812345678. */
  sm2Id?: Uint8Array | string;
}

export const MAX_CMS_BYTES = 256 * 1024 * 1024;
const C = ErrorCode.CMS_MALFORMED;

const CONTENT_TYPES = {
  rfc5652: { signedData: PkiOid.signedData, data: PkiOid.data },
  gbt35275: { signedData: PkiOid.gmSignedData, data: PkiOid.gmData },
};

function bad(msg: string): never {
  throw new YzError(C, `malformed CMS: ${msg}`);
}

function algId(oid: string, withNull: boolean): Uint8Array {
  return withNull ? derSequence(derOid(oid), derNull()) : derSequence(derOid(oid));
}

function signerInfoSignatureOid(alg: SignatureAlgorithm, style: CmsOidStyle): { oid: string; withNull: boolean } {
  switch (alg.keyType) {
    case 'sm2':
      // GB/T 35275 names the key algorithm SM2-1 (with NULL, as CA toolkits write it); RFC 5652 style the signature.
      return style === 'gbt35275' ? { oid: Oid.sm2Sign, withNull: true } : { oid: Oid.sm2WithSm3, withNull: false };
    case 'rsa':
      return { oid: Oid.rsaEncryption, withNull: true };
    default:
      return { oid: Oid.ecdsaWithSha256, withNull: false };
  }
}

function attribute(oid: string, ...values: Uint8Array[]): Uint8Array {
  return derSequence(derOid(oid), derSetOf(...values));
}

function issuerAndSerial(cert: Certificate): Uint8Array {
  return derSequence(cert.issuer.der, derTlv(Tag.INTEGER, cert.serialNumber));
}

/** Signs and returns a DER ContentInfo holding SignedData. */
export async function signCms(opts: SignCmsOptions): Promise<Uint8Array> {
  const style = opts.oidStyle ?? 'rfc5652';
  const alg = opts.signer.algorithm;
  if (style === 'gbt35275' && alg.keyType !== 'sm2') throw new YzError(ErrorCode.INVALID_ARGUMENT, 'GB/T 35275 SignedData needs an SM2 key');
  if (!opts.data && !opts.digest) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'give the content (data) or its digest');
  const detached = opts.digest ? true : (opts.detached ?? true);
  if (opts.digest && opts.detached === false) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'attached CMS needs the content, not a digest');
  const dAlg = alg.digest;
  const contentDigest = opts.digest ?? digest(dAlg, opts.data!);
  if (contentDigest.length !== digest(dAlg, new Uint8Array(0)).length) throw new YzError(ErrorCode.INVALID_ARGUMENT, `digest must be a ${dAlg} digest`);
  const types = { ...CONTENT_TYPES[style], ...(opts.eContentType ? { data: opts.eContentType } : {}) };
  const gm = style === 'gbt35275';
  const digestAlgId = algId(digestOid(dAlg), gm);

  let signedAttrs: Uint8Array | undefined;
  let toSign: Uint8Array;
  if (opts.signedAttributes === false) {
    if (!opts.data) throw new YzError(ErrorCode.INVALID_ARGUMENT, 'without signed attributes the content itself is signed: give data');
    toSign = opts.data;
  } else {
    const sa = typeof opts.signedAttributes === 'object' ? opts.signedAttributes : {};
    const attrs = [attribute(PkiOid.contentType, derOid(types.data)), attribute(PkiOid.messageDigest, derOctetString(contentDigest))];
    if (sa.signingTime !== false) attrs.push(attribute(PkiOid.signingTime, derTime(sa.signingTime ?? new Date(Math.floor(Date.now() / 1000) * 1000))));
    if (sa.signingCertificateV2 !== false) {
      // ESSCertIDv2: sha256 is the DEFAULT hashAlgorithm and so omitted; SM2 certificates are hashed with SM3.
      const hashAlg: DigestAlgorithm = alg.keyType === 'sm2' ? 'sm3' : 'sha256';
      const issuerSerial = derSequence(derSequence(derContext(4, opts.certificate.issuer.der)), derTlv(Tag.INTEGER, opts.certificate.serialNumber));
      const essCertId = derSequence(...(hashAlg === 'sha256' ? [] : [algId(digestOid(hashAlg), false)]), derOctetString(digest(hashAlg, opts.certificate.der)), issuerSerial);
      attrs.push(attribute(PkiOid.signingCertificateV2, derSequence(derSequence(essCertId))));
    }
    for (const x of sa.extra ?? []) attrs.push(attribute(x.oid, ...x.values));
    const set = derSetOf(...attrs);
    toSign = set; // RFC 5652 5.4: the signature is over the DER SET OF, not the [0] IMPLICIT encoding
    signedAttrs = concatBytes(Uint8Array.of(0xa0), set.subarray(1));
  }
  const signature = await opts.signer.sign(toSign);
  const sigAlg = signerInfoSignatureOid(alg, style);
  const signerInfo = derSequence(
    derInteger(1),
    issuerAndSerial(opts.certificate),
    digestAlgId,
    ...(signedAttrs ? [signedAttrs] : []),
    algId(sigAlg.oid, sigAlg.withNull),
    derOctetString(signature),
  );
  const certs = opts.omitCertificates ? [] : [opts.certificate, ...(opts.certificates ?? [])];
  const seen = new Set<string>();
  const certDers = certs.filter((c) => {
    const k = Array.from(c.der.subarray(0, 64)).join(',') + c.der.length;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  }).map((c) => c.der);
  const encap = detached ? derSequence(derOid(types.data)) : derSequence(derOid(types.data), derContext(0, derOctetString(opts.data!)));
  const signedData = derSequence(
    derInteger(1),
    derSetOf(digestAlgId),
    encap,
    ...(certDers.length ? [derContext(0, concatBytes(...certDers))] : []),
    derTlv(Tag.SET, signerInfo),
  );
  return derSequence(derOid(types.signedData), derContext(0, signedData));
}

interface ParsedSignedData {
  style: CmsOidStyle;
  contentType: string;
  content?: Uint8Array;
  certificates: Certificate[];
  signerInfos: BerNode[];
  root: BerNode;
}

function cmsDer(input: Uint8Array): Uint8Array {
  if (input[0] === 0x30) return input;
  const b = pemDecodeAll(input, 10).find((x) => ['CMS', 'PKCS7', 'PKCS #7 SIGNED DATA'].includes(x.label));
  if (!b) throw new YzError(C, 'malformed CMS: neither DER nor a CMS/PKCS7 PEM block');
  return b.der;
}

function parseSignedData(input: Uint8Array): ParsedSignedData {
  const der = cmsDer(input);
  if (der.length > MAX_CMS_BYTES) throw new YzError(ErrorCode.LIMIT_EXCEEDED, `CMS larger than ${MAX_CMS_BYTES} bytes`);
  let root: BerNode;
  try {
    root = readBer(der, C);
  } catch (e) {
    if (e instanceof YzError && e.code === ErrorCode.LIMIT_EXCEEDED) throw e;
    throw new YzError(C, 'malformed CMS: not BER/DER', undefined, { cause: e });
  }
  if (root.tag !== 0x30) bad('ContentInfo is not a SEQUENCE');
  const outer = berOid(root.children[0], C);
  let style: CmsOidStyle;
  if (outer === PkiOid.signedData) style = 'rfc5652';
  else if (outer === PkiOid.gmSignedData) style = 'gbt35275';
  else throw new YzError(C, `not SignedData (content type ${outer})`);
  const sd = root.children[1]?.children[0];
  if (!sd || sd.tag !== 0x30) bad('SignedData missing');
  const f = sd.children;
  const encap = f[2];
  if (!encap || encap.tag !== 0x30) bad('encapContentInfo missing');
  const contentType = berOid(encap.children[0], C);
  const eContent = encap.children[1]?.children[0];
  const certificates: Certificate[] = [];
  let signerInfos: BerNode | undefined;
  for (const node of f.slice(3)) {
    if (node.cls === 2 && node.num === 0) {
      for (const c of node.children) {
        if (c.tag !== 0x30) continue; // attribute certificates and other choices are skipped
        if (certificates.length >= 100) throw new YzError(ErrorCode.LIMIT_EXCEEDED, 'more than 100 certificates in the CMS');
        certificates.push(parseCertificate(c.bytes));
      }
    } else if (node.tag === 0x31) signerInfos = node;
  }
  if (!signerInfos || signerInfos.children.length === 0) bad('no SignerInfo');
  if (signerInfos.children.length > 16) throw new YzError(ErrorCode.LIMIT_EXCEEDED, 'more than 16 signers');
  return { style, contentType, ...(eContent ? { content: octets(eContent) } : {}), certificates, signerInfos: signerInfos.children, root };
}

function sigAlgorithmFor(sigOid: string, digestAlg: DigestAlgorithm, cert: Certificate | undefined): SignatureAlgorithm {
  switch (sigOid) {
    case Oid.sm2WithSm3:
    case Oid.sm2Sign:
    case Oid.sm2Curve:
      return SignatureAlgorithms['SM2-with-SM3'];
    case Oid.sha256WithRsa:
      return SignatureAlgorithms['RSA-SHA256'];
    case Oid.rsaEncryption:
      if (digestAlg === 'sha256') return SignatureAlgorithms['RSA-SHA256'];
      break;
    case Oid.ecdsaWithSha256:
      return SignatureAlgorithms['ECDSA-P256-SHA256'];
    case Oid.ecPublicKey:
      if (cert?.keyAlgorithm === 'sm2') return SignatureAlgorithms['SM2-with-SM3'];
      if (digestAlg === 'sha256') return SignatureAlgorithms['ECDSA-P256-SHA256'];
      break;
  }
  throw new YzError(ErrorCode.ALGORITHM_UNSUPPORTED, `unsupported CMS signature algorithm ${sigOid} with ${digestAlg}`, { oid: sigOid });
}

function parseAttributes(node: BerNode): { oid: string; values: Uint8Array[] }[] {
  if (node.children.length > 64) throw new YzError(ErrorCode.LIMIT_EXCEEDED, 'more than 64 attributes');
  return node.children.map((a) => ({ oid: berOid(a.children[0], C), values: (a.children[1]?.children ?? []).map((v) => v.bytes) }));
}

function decodeSignedAttributes(node: BerNode): CmsSignedAttributes {
  const all = parseAttributes(node);
  const out: CmsSignedAttributes = { raw: node.bytes, all };
  for (const a of all) {
    const v = a.values[0];
    if (!v) continue;
    try {
      if (a.oid === PkiOid.contentType) out.contentType = readOid(readSingle(v));
      else if (a.oid === PkiOid.messageDigest) out.messageDigest = readSingle(v).value;
      else if (a.oid === PkiOid.signingTime) out.signingTime = readTime(readSingle(v));
      else if (a.oid === PkiOid.signingCertificateV2) {
        const ess = readBer(v, C).children[0]?.children[0];
        if (ess) {
          let hashAlgorithm: DigestAlgorithm = 'sha256';
          let i = 0;
          if (ess.children[0]?.tag === 0x30) {
            hashAlgorithm = digestAlgorithmByOid(berOid(ess.children[0].children[0], C));
            i = 1;
          }
          const h = ess.children[i];
          if (h) out.signingCertificateV2 = { hashAlgorithm, certHash: octets(h) };
        }
      } else if (a.oid === PkiOid.signingCertificate) {
        const h = readBer(v, C).children[0]?.children[0]?.children[0];
        if (h) out.signingCertificate = { certHash: octets(h) };
      }
    } catch (e) {
      if (!(e instanceof YzError)) throw e;
      // left undecoded: the verifier reports the missing value
    }
  }
  return out;
}

function findSigner(sid: BerNode, pool: Certificate[]): Certificate | undefined {
  if (sid.tag === 0x30) {
    const issuer = parseName(readSingle(sid.children[0]?.bytes ?? bad('IssuerAndSerialNumber without issuer')));
    const serial = sid.children[1];
    if (!serial || serial.tag !== 0x02) bad('IssuerAndSerialNumber without serial');
    return pool.find((c) => namesEqual(c.issuer, issuer) && bytesEqual(stripZeros(c.serialNumber), stripZeros(serial.value)));
  }
  if (sid.cls === 2 && sid.num === 0) {
    const ski = octets(sid);
    return pool.find((c) => c.subjectKeyIdentifier && bytesEqual(c.subjectKeyIdentifier, ski));
  }
  return undefined;
}

function stripZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

async function verifySignerInfo(si: BerNode, sd: ParsedSignedData, opts: VerifyCmsOptions): Promise<CmsSignerResult> {
  const f = si.children;
  const problems: string[] = [];
  const sid = f[1] ?? bad('SignerInfo without sid');
  const digestAlgorithm = digestAlgorithmByOid(berOid(f[2]?.children[0], C));
  let i = 3;
  let signedAttrsNode: BerNode | undefined;
  if (f[i]?.cls === 2 && f[i]?.num === 0) signedAttrsNode = f[i++];
  const sigAlgNode = f[i++] ?? bad('SignerInfo without signatureAlgorithm');
  const signatureAlgorithmOid = berOid(sigAlgNode.children[0], C);
  const sigNode = f[i++] ?? bad('SignerInfo without signature');
  const signatureValue = octets(sigNode);
  const unsignedNode = f[i]?.cls === 2 && f[i]?.num === 1 ? f[i] : undefined;
  const unsignedAttributes = unsignedNode ? parseAttributes(unsignedNode) : [];
  const timestampToken = unsignedAttributes.find((a) => a.oid === PkiOid.timeStampToken)?.values[0];

  const certificate = findSigner(sid, [...sd.certificates, ...(opts.certificates ?? [])]);
  if (!certificate) problems.push('signer certificate not found in the CMS or the certificates given');

  const content = opts.detachedContent ?? sd.content;
  if (opts.detachedContent && sd.content && !bytesEqual(opts.detachedContent, sd.content)) problems.push('detached content given but the CMS carries different content');
  let contentDigest: Uint8Array | undefined = opts.digest;
  if (!contentDigest && content) contentDigest = digest(digestAlgorithm, content);

  let signedAttributes: CmsSignedAttributes | undefined;
  let digestMatches: boolean | undefined;
  let signedBytes: Uint8Array | undefined;
  if (signedAttrsNode) {
    signedAttributes = decodeSignedAttributes(signedAttrsNode);
    // Verify over the attributes as received, with the [0] tag replaced by SET (RFC 5652 5.4).
    signedBytes = concatBytes(Uint8Array.of(0x31), signedAttrsNode.bytes.subarray(1));
    if (!signedAttributes.messageDigest) problems.push('signed attributes without messageDigest');
    else if (contentDigest) {
      digestMatches = bytesEqual(signedAttributes.messageDigest, contentDigest);
      if (!digestMatches) problems.push('messageDigest does not match the content');
    } else problems.push('no content or digest given to check messageDigest against');
    const ct = signedAttributes.contentType;
    const dataTypes: string[] = [PkiOid.data, PkiOid.gmData];
    // Real GB/T 35275 files mix families (eContentType 1.2.840.113549.1.7.1, attribute 1.2.156.10197.6.1.4.2.1).
    if (!ct) problems.push('signed attributes without contentType');
    else if (ct !== sd.contentType && !(dataTypes.includes(ct) && dataTypes.includes(sd.contentType))) problems.push(`contentType attribute ${ct} differs from eContentType ${sd.contentType}`);
    if (certificate && signedAttributes.signingCertificateV2) {
      const h = digest(signedAttributes.signingCertificateV2.hashAlgorithm, certificate.der);
      if (!bytesEqual(h, signedAttributes.signingCertificateV2.certHash)) problems.push('signingCertificateV2 does not match the signer certificate');
    }
    if (certificate && signedAttributes.signingCertificate && !bytesEqual(digest('sha1', certificate.der), signedAttributes.signingCertificate.certHash)) {
      problems.push('signingCertificate does not match the signer certificate');
    }
  } else if (content) signedBytes = content;
  else problems.push('no signed attributes and no content: nothing to verify the signature over');

  let signatureValid = false;
  if (certificate && signedBytes) {
    try {
      const algorithm = sigAlgorithmFor(signatureAlgorithmOid, digestAlgorithm, certificate);
      if (algorithm.digest !== digestAlgorithm) problems.push(`digest algorithm ${digestAlgorithm} does not fit ${algorithm.name}`);
      else {
        const sm2Id = opts.sm2Id === undefined ? undefined : typeof opts.sm2Id === 'string' ? new TextEncoder().encode(opts.sm2Id) : opts.sm2Id;
        signatureValid = await getCryptoProvider().verify({ algorithm, spki: certificate.spki, data: signedBytes, signature: signatureValue, ...(sm2Id ? { sm2Id } : {}) });
      }
    } catch (e) {
      if (!(e instanceof YzError)) throw e;
      problems.push(e.message);
    }
    if (!signatureValid) problems.push('signature does not verify');
  }
  const valid = signatureValid && problems.length === 0 && (signedAttrsNode ? digestMatches === true : true);
  return {
    valid, signatureValid, digestMatches, digestAlgorithm, signatureAlgorithmOid, signatureValue, unsignedAttributes, problems,
    ...(certificate ? { certificate } : {}), ...(signedAttributes ? { signedAttributes } : {}), ...(timestampToken ? { timestampToken } : {}),
  };
}

/**
 * Verifies a CMS SignedData (PEM "CMS"/"PKCS7" or DER/BER). Throws CMS_MALFORMED for what is not SignedData;
 * a wrong signature or digest is a result (valid: false, with problems), not an exception.
 */
export async function verifyCms(input: Uint8Array, opts: VerifyCmsOptions = {}): Promise<CmsVerifyResult> {
  const sd = parseSignedData(input);
  const signers: CmsSignerResult[] = [];
  for (const si of sd.signerInfos) signers.push(await verifySignerInfo(si, sd, opts));
  const first = signers[0]!;
  return {
    ...first,
    valid: signers.every((s) => s.valid),
    oidStyle: sd.style,
    contentType: sd.contentType,
    ...(sd.content ? { content: sd.content } : {}),
    certificates: sd.certificates,
    signers,
  };
}

/** The signature value of the first signer (what an RFC 3161 signature timestamp covers). */
export function cmsSignatureValue(der: Uint8Array): Uint8Array {
  const sd = parseSignedData(der);
  const f = sd.signerInfos[0]!.children;
  const sig = f.find((n, idx) => idx > 2 && n.tag === Tag.OCTET_STRING) ?? f.find((n, idx) => idx > 2 && n.tag === 0x24);
  if (!sig) bad('SignerInfo without signature');
  return octets(sig);
}

/**
 * Adds an unsigned attribute to the first SignerInfo (e.g. id-aa-timeStampToken, OID PkiOid.timeStampToken, value a
 * DER ContentInfo) and returns the re-encoded DER CMS. Signed parts are copied byte for byte.
 */
export function addCmsUnsignedAttribute(der: Uint8Array, oid: string, value: Uint8Array): Uint8Array {
  const sd = parseSignedData(der);
  const root = sd.root;
  const sdNode = root.children[1]!.children[0]!;
  const siSet = sdNode.children.find((n) => n.tag === 0x31 && n.children.some((c) => c === sd.signerInfos[0]))!;
  const si = sd.signerInfos[0]!;
  const fields = si.children.map((c) => c.bytes);
  const last = si.children[si.children.length - 1]!;
  const attr = derSequence(derOid(oid), derSetOf(value));
  if (last.cls === 2 && last.num === 1) {
    fields[fields.length - 1] = derContext(1, concatBytes(...last.children.map((c) => c.bytes), attr));
  } else fields.push(derContext(1, attr));
  const newSi = derSequence(...fields);
  const newSet = derTlv(Tag.SET, concatBytes(newSi, ...sd.signerInfos.slice(1).map((n) => n.bytes)));
  const sdFields = sdNode.children.map((c) => (c === siSet ? newSet : reencode(c)));
  return derSequence(reencode(root.children[0]!), derContext(0, derSequence(...sdFields)));
}

function hasIndefinite(n: BerNode): boolean {
  return n.bytes[1] === 0x80 || n.children.some(hasIndefinite);
}

/** BER → DER-length re-encoding of a node (for copying BER CMS parts into a DER result); DER parts stay as received. */
function reencode(n: BerNode): Uint8Array {
  if (!hasIndefinite(n)) return n.bytes;
  let tagLen = 1;
  if ((n.bytes[0]! & 0x1f) === 0x1f) while (n.bytes[tagLen++]! & 0x80);
  const value = n.constructed ? concatBytes(...n.children.map(reencode)) : n.value;
  return concatBytes(n.bytes.subarray(0, tagLen), derTlv(0, value).subarray(1));
}
