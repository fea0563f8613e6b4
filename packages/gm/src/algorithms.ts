/** Signature and digest algorithms, named by OID as certificates, CMS and GB/T 38540 name them. */
import { ErrorCode, YzError } from './errors.js';

export type DigestAlgorithm = 'sm3' | 'sha1' | 'sha256' | 'sha384' | 'sha512';

export const Oid = {
  // keys and curves
  ecPublicKey: '1.2.840.10045.2.1',
  sm2Curve: '1.2.156.10197.1.301',
  p256Curve: '1.2.840.10045.3.1.7',
  rsaEncryption: '1.2.840.113549.1.1.1',
  // signature algorithms
  sm2WithSm3: '1.2.156.10197.1.501',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  rsassaPss: '1.2.840.113549.1.1.10',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  // SM2 as used in GB/T 35275 SignerInfo.digestEncryptionAlgorithm
  sm2Sign: '1.2.156.10197.1.301.1',
  sm2Encrypt: '1.2.156.10197.1.301.3',
  // digests
  sm3: '1.2.156.10197.1.401',
  sm3WithZ: '1.2.156.10197.1.401.2',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  mgf1: '1.2.840.113549.1.1.8',
} as const;

export type SignatureAlgorithmName = 'SM2-with-SM3' | 'RSA-SHA256' | 'RSA-PSS-SHA256' | 'ECDSA-P256-SHA256';

export interface SignatureAlgorithm {
  name: SignatureAlgorithmName;
  oid: string;
  digest: DigestAlgorithm;
  keyType: 'sm2' | 'rsa' | 'p256';
}

export const SignatureAlgorithms: Record<SignatureAlgorithmName, SignatureAlgorithm> = {
  'SM2-with-SM3': { name: 'SM2-with-SM3', oid: Oid.sm2WithSm3, digest: 'sm3', keyType: 'sm2' },
  'RSA-SHA256': { name: 'RSA-SHA256', oid: Oid.sha256WithRsa, digest: 'sha256', keyType: 'rsa' },
  'RSA-PSS-SHA256': { name: 'RSA-PSS-SHA256', oid: Oid.rsassaPss, digest: 'sha256', keyType: 'rsa' },
  'ECDSA-P256-SHA256': { name: 'ECDSA-P256-SHA256', oid: Oid.ecdsaWithSha256, digest: 'sha256', keyType: 'p256' },
};

const byOid = new Map<string, SignatureAlgorithm>(Object.values(SignatureAlgorithms).map((a) => [a.oid, a]));
// GB/T 35275 signer infos name the key algorithm (SM2-1) where RFC 5652 names the signature algorithm.
byOid.set(Oid.sm2Sign, SignatureAlgorithms['SM2-with-SM3']);

export function signatureAlgorithmByOid(oid: string): SignatureAlgorithm {
  const a = byOid.get(oid);
  if (!a) throw new YzError(ErrorCode.ALGORITHM_UNSUPPORTED, `unsupported signature algorithm ${oid}`, { oid });
  return a;
}

const digestByOid: Record<string, DigestAlgorithm> = {
  [Oid.sm3]: 'sm3',
  [Oid.sha1]: 'sha1',
  [Oid.sha256]: 'sha256',
  [Oid.sha384]: 'sha384',
  [Oid.sha512]: 'sha512',
};

export function digestAlgorithmByOid(oid: string): DigestAlgorithm {
  const d = digestByOid[oid];
  if (!d) throw new YzError(ErrorCode.ALGORITHM_UNSUPPORTED, `unsupported digest algorithm ${oid}`, { oid });
  return d;
}

export function digestOid(d: DigestAlgorithm): string {
  return Oid[d];
}
