/**
 * The crypto-provider seam. Everything on the verification path (digests and signature checks) goes through the
 * current provider, so a pure-JS/WebCrypto provider can replace the Node one in a browser without touching callers.
 * Signing, key generation and symmetric encryption stay Node-side (the platform and CLI) and do not use this seam.
 */
import type { DigestAlgorithm, SignatureAlgorithm } from './algorithms.js';

export interface VerifyRequest {
  algorithm: SignatureAlgorithm;
  /** SubjectPublicKeyInfo DER of the signer. */
  spki: Uint8Array;
  /** The signed message (not its digest). */
  data: Uint8Array;
  /** DER or, for SM2/ECDSA, raw r‖s. */
  signature: Uint8Array;
  /** SM2 user ID; default "1234567812345678". */
  sm2Id?: Uint8Array;
}

export interface CryptoProvider {
  readonly name: string;
  digest(algorithm: DigestAlgorithm, data: Uint8Array): Uint8Array;
  /** Optional native HMAC; hash.ts falls back to RFC 2104 over digest(). */
  hmac?(algorithm: DigestAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array;
  /** Resolves false for a wrong signature; throws YzError for malformed keys or signatures. */
  verify(req: VerifyRequest): Promise<boolean>;
}

let current: CryptoProvider | undefined;

export function setCryptoProvider(p: CryptoProvider): void {
  current = p;
}

export function getCryptoProvider(): CryptoProvider {
  if (!current) throw new Error('no crypto provider installed; import @yinzhang/gm (Node) or install one with setCryptoProvider()');
  return current;
}
