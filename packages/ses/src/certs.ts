/**
 * The certificate facts seal verification needs, all from @yinzhang/pki: parsing, summaries for the report, and
 * chain building to a trust anchor (issuer name match + issuer signature + validity at the given time).
 */
import { ErrorCode, YzError, children, readSingle, signatureAlgorithmByOid } from '@yinzhang/gm/portable';
import { namesEqual, parseCertificate, verifyCertificateSignature, type Certificate } from '@yinzhang/pki';
import type { SignerSummary } from '@yinzhang/report';

export function tryParseCertificate(der: Uint8Array): Certificate | Error {
  try {
    const cert = parseCertificate(der);
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

export interface ChainResult {
  ok: boolean;
  reason?: string;
  chain: Certificate[];
}

const MAX_CHAIN = 8;

/**
 * Builds a path from `leaf` to one of `anchors` through `intermediates`, checking each issuer signature and each
 * certificate's validity at `at`. A leaf that is itself an anchor (byte-equal) is trusted.
 */
export async function buildChain(leaf: Certificate, anchors: Certificate[], intermediates: Certificate[], at: Date): Promise<ChainResult> {
  const chain: Certificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    if (withinValidity(current, at) !== 'ok') return { ok: false, reason: `${current.subject.toString()} not valid at ${at.toISOString()}`, chain };
    if (anchors.some((a) => sameCert(a, current))) return { ok: true, chain };
    let next: Certificate | undefined;
    for (const cand of [...anchors, ...intermediates]) {
      if (!namesEqual(cand.subject, current.issuer)) continue;
      if (cand.basicConstraints && !cand.basicConstraints.ca) continue;
      if (chain.some((c) => sameCert(c, cand)) && !anchors.some((a) => sameCert(a, cand))) continue;
      try {
        if (await verifyCertificateSignature(current, cand)) {
          next = cand;
          break;
        }
      } catch {
        // an unusable candidate key: try the next one
      }
    }
    if (!next) return { ok: false, reason: `no trusted issuer for ${current.subject.toString()}`, chain };
    if (anchors.some((a) => sameCert(a, next))) {
      chain.push(next);
      if (withinValidity(next, at) !== 'ok') return { ok: false, reason: `trust anchor ${next.subject.toString()} not valid at ${at.toISOString()}`, chain };
      return { ok: true, chain };
    }
    chain.push(next);
    current = next;
  }
  return { ok: false, reason: `chain longer than ${MAX_CHAIN}`, chain };
}

function sameCert(a: Certificate, b: Certificate): boolean {
  if (a.der.length !== b.der.length) return false;
  for (let i = 0; i < a.der.length; i++) if (a.der[i] !== b.der[i]) return false;
  return true;
}

/** Parses trust anchors / intermediates given as DER bytes; an unreadable one is a usage error. */
export function parseAll(ders: readonly Uint8Array[] | undefined, what: string): Certificate[] {
  return (ders ?? []).map((d, i) => {
    const c = tryParseCertificate(d);
    if (c instanceof Error) throw new YzError(ErrorCode.INVALID_ARGUMENT, `${what} #${i + 1}: ${c.message}`);
    return c;
  });
}
