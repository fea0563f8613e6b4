/**
 * The certificate facts seal verification needs, all from @yinzhang/pki: parsing, summaries for the report, and
 * the trust material (anchors, intermediates, CRLs) given by the caller.
 */
import { ErrorCode, YzError, children, readSingle, signatureAlgorithmByOid, toHex } from '@yinzhang/gm/portable';
import { parseCertificate, parseCrl, type Certificate, type Crl } from '@yinzhang/pki';
import type { SignerSummary } from '@yinzhang/report';

/**
 * Parsed certificates by their exact DER (hex), so that verifying many signatures by the same signer and maker does
 * not parse the same certificates again. Bounded; oldest entries go first.
 */
const cache = new Map<string, Certificate>();
const CACHE_MAX = 256;
const CACHE_MAX_DER = 16 * 1024;

function parseCached(der: Uint8Array): Certificate {
  if (der.length > CACHE_MAX_DER) return parseCertificate(der);
  const key = toHex(der);
  const hit = cache.get(key);
  if (hit) return hit;
  // A private copy: the cached object must not see later changes to the caller's buffer.
  const cert = parseCertificate(der.slice());
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, cert);
  return cert;
}

export function tryParseCertificate(der: Uint8Array): Certificate | Error {
  try {
    const cert = parseCached(der);
    // The signature BIT STRING must hold whole octets: otherwise a changed unused-bits byte would go unnoticed.
    const sig = children(readSingle(cert.der), 3)[2];
    if (!sig || sig.value[0] !== 0) return new Error('certificate signature BIT STRING has unused bits');
    return cert;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

export function algorithmName(oid: string): string {
  try {
    return signatureAlgorithmByOid(oid).name;
  } catch {
    return oid;
  }
}

export function certificateSummary(c: Certificate, signAlgOid: string): SignerSummary {
  return {
    subject: c.subject.toString(),
    issuer: c.issuer.toString(),
    serial: c.serialHex,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    algorithm: algorithmName(signAlgOid),
  };
}

export function withinValidity(c: Certificate, at: Date): 'ok' | 'expired' | 'not-yet-valid' {
  if (at.getTime() < c.notBefore.getTime()) return 'not-yet-valid';
  if (at.getTime() > c.notAfter.getTime()) return 'expired';
  return 'ok';
}

/** Parses trust anchors / intermediates given as DER bytes; an unreadable one is a usage error. */
export function parseAll(ders: readonly Uint8Array[] | undefined, what: string): Certificate[] {
  return (ders ?? []).map((d, i) => {
    const c = tryParseCertificate(d);
    if (c instanceof Error) throw new YzError(ErrorCode.INVALID_ARGUMENT, `${what} #${i + 1}: ${c.message}`);
    return c;
  });
}

/** Parses CRLs given as DER/PEM bytes; an unreadable one is a usage error. */
export function parseAllCrls(ders: readonly Uint8Array[] | undefined): Crl[] {
  return (ders ?? []).map((d, i) => {
    try {
      return parseCrl(d);
    } catch (e) {
      throw new YzError(ErrorCode.INVALID_ARGUMENT, `CRL #${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}
