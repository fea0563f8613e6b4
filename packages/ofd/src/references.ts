/**
 * Reference digests of an OFD signature (GB/T 33190 §18.2.2): CheckValue = base64(digest(raw bytes of the part)).
 * CheckMethod is named ("SM3", "SHA1", ...) or given as an OID. One vendor OID, 1.2.156.10197.1.401.2, means
 * SM3(Z_A ‖ file) with Z_A of the signer's SM2 key and the default user ID (seen in iOFD files) — it needs the
 * signer's public key, so the caller passes that digest when it knows the signer.
 */
import { bytesEqual, digest, fromBase64 } from '@yinzhang/gm/portable';
import type { OfdPackage, ReferenceInfo } from './package.js';

export type CheckAlgorithm = 'sm3' | 'sha1' | 'sha256' | 'md5' | 'sm3-z';

export function checkAlgorithm(method: string): CheckAlgorithm | undefined {
  const m = method.trim().toLowerCase();
  if (m === 'sm3' || m === '1.2.156.10197.1.401' || m === '1.2.156.10197.1.401.1') return 'sm3';
  if (m === '1.2.156.10197.1.401.2') return 'sm3-z';
  if (m === 'sha1' || m === 'sha-1' || m === '1.3.14.3.2.26') return 'sha1';
  if (m === 'sha256' || m === 'sha-256' || m === '2.16.840.1.101.3.4.2.1') return 'sha256';
  if (m === 'md5' || m === '1.2.840.113549.2.5') return 'md5';
  return undefined;
}

export interface ReferenceResult {
  fileRef: string;
  path: string | undefined;
  status: 'ok' | 'mismatch' | 'missing' | 'unsupported';
}

/** SM3(Z_A ‖ data) for the signer's key, when the caller knows the signer (undefined when the key is no SM2 key). */
export type ZDigest = (data: Uint8Array) => Uint8Array | undefined;

export function computeCheckValue(alg: CheckAlgorithm, data: Uint8Array, zDigest?: ZDigest): Uint8Array | undefined {
  switch (alg) {
    case 'sm3':
      return digest('sm3', data);
    case 'sm3-z':
      return zDigest ? zDigest(data) : undefined;
    case 'sha1':
      return digest('sha1', data);
    case 'sha256':
      return digest('sha256', data);
    case 'md5':
      // MD5 is no protection; report such references as unsupported rather than as verified.
      return undefined;
  }
}

export function checkReferences(pkg: OfdPackage, method: string, refs: ReferenceInfo[], zDigest?: ZDigest): ReferenceResult[] {
  const alg = checkAlgorithm(method);
  return refs.map((r) => {
    if (!r.path || !pkg.has(r.path)) return { fileRef: r.fileRef, path: r.path, status: 'missing' };
    if (!alg) return { fileRef: r.fileRef, path: r.path, status: 'unsupported' };
    const got = computeCheckValue(alg, pkg.read(r.path), zDigest);
    if (!got) return { fileRef: r.fileRef, path: r.path, status: 'unsupported' };
    let expected: Uint8Array;
    try {
      expected = fromBase64(r.checkValue.replace(/\s+/g, ''));
    } catch {
      return { fileRef: r.fileRef, path: r.path, status: 'mismatch' };
    }
    return { fileRef: r.fileRef, path: r.path, status: bytesEqual(got, expected) ? 'ok' : 'mismatch' };
  });
}
