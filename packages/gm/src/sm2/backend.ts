/**
 * Optional accelerated SM2 scalar backend. The Node entry installs the N-API addon here; without one (browser, or the
 * addon did not build) the pure-JS code is used. Kept free of Node imports so the verification path stays portable.
 */
export interface NativeSm2 {
  keyFromRaw(pub65: Uint8Array, priv32?: Uint8Array): object;
  signDigest(key: object, e: Uint8Array): Uint8Array;
  verifyDigest(key: object, e: Uint8Array, derSig: Uint8Array): boolean;
}

let backend: NativeSm2 | undefined;

export function setSm2Backend(b: NativeSm2 | undefined): void {
  backend = b;
}

export function getSm2Backend(): NativeSm2 | undefined {
  return backend;
}
