/**
 * The indication rules of verification-report.md. A failed core check fails the signature; revocation of the
 * certificate or the seal fails it only when it happened at or before the signing time (or that time is only claimed);
 * an `unknown` check that a full pass needs gives INDETERMINATE.
 */
import type { CheckName, Checks, Indication, ReportIndication, SignatureReport, VerificationReport } from './model.js';

const CORE: CheckName[] = ['format', 'integrity', 'signatureValue', 'sealSignature', 'sealValidity', 'signerInSeal', 'certificateValidity', 'coverage'];

/** Checks whose `unknown` prevents TOTAL_PASSED. Revocation, registry status and timestamp unknowns only warn. */
const NEEDED_FOR_PASS: CheckName[] = [...CORE, 'certificateChain'];

const SUB: Partial<Record<CheckName, string>> = {
  format: 'FORMAT_FAILURE',
  integrity: 'HASH_FAILURE',
  signatureValue: 'SIG_CRYPTO_FAILURE',
  sealSignature: 'SEAL_SIG_CRYPTO_FAILURE',
  sealValidity: 'SEAL_EXPIRED',
  signerInSeal: 'SIGNER_NOT_IN_SEAL',
  certificateValidity: 'EXPIRED',
  coverage: 'COVERAGE_FAILURE',
  certificateChain: 'NO_CERTIFICATE_CHAIN_FOUND',
};

export function emptyChecks(): Checks {
  return {
    format: 'unknown',
    integrity: 'unknown',
    signatureValue: 'unknown',
    sealSignature: 'not-applicable',
    sealValidity: 'not-applicable',
    signerInSeal: 'not-applicable',
    certificateValidity: 'unknown',
    certificateChain: 'unknown',
    revocation: 'unknown',
    sealStatus: 'unknown',
    timestamp: 'not-applicable',
    coverage: 'unknown',
  };
}

function atOrBefore(event: string | undefined, signingTime: string | null, source: SignatureReport['signingTimeSource']): boolean {
  // Without a proven signing time, or without an event time, revocation counts against the signature.
  if (!event || !signingTime || source === 'claimed') return true;
  return Date.parse(event) <= Date.parse(signingTime);
}

export interface IndicationResult {
  indication: Indication;
  subIndication: string | null;
}

/**
 * Computes the indication of one signature from its checks. `hint` may name a more precise sub-indication for the
 * first failing check (e.g. NOT_YET_VALID instead of EXPIRED).
 */
export function computeIndication(sig: Pick<SignatureReport, 'checks' | 'signingTime' | 'signingTimeSource' | 'revokedAt' | 'sealRegistryStatus'>, hint?: Partial<Record<CheckName, string>>): IndicationResult {
  const { checks } = sig;
  for (const c of CORE) {
    if (checks[c] === 'failed') return { indication: 'TOTAL_FAILED', subIndication: hint?.[c] ?? SUB[c] ?? null };
  }
  if (checks.certificateChain === 'failed') return { indication: 'TOTAL_FAILED', subIndication: hint?.certificateChain ?? 'CHAIN_CONSTRAINTS_FAILURE' };
  if (checks.timestamp === 'failed') return { indication: 'TOTAL_FAILED', subIndication: hint?.timestamp ?? 'TIMESTAMP_FAILURE' };
  if (checks.revocation === 'failed' && atOrBefore(sig.revokedAt, sig.signingTime, sig.signingTimeSource)) {
    return { indication: 'TOTAL_FAILED', subIndication: 'REVOKED' };
  }
  if (checks.sealStatus === 'failed' && atOrBefore(sig.sealRegistryStatus?.since, sig.signingTime, sig.signingTimeSource)) {
    return { indication: 'TOTAL_FAILED', subIndication: 'SEAL_REVOKED' };
  }
  for (const c of NEEDED_FOR_PASS) {
    if (checks[c] === 'unknown') return { indication: 'INDETERMINATE', subIndication: hint?.[c] ?? SUB[c] ?? null };
  }
  return { indication: 'TOTAL_PASSED', subIndication: null };
}

/** Worst over all signatures; NO_SIGNATURE when there is none. */
export function overallIndication(signatures: Pick<SignatureReport, 'indication'>[]): ReportIndication {
  if (signatures.length === 0) return 'NO_SIGNATURE';
  if (signatures.some((s) => s.indication === 'TOTAL_FAILED')) return 'TOTAL_FAILED';
  if (signatures.some((s) => s.indication === 'INDETERMINATE')) return 'INDETERMINATE';
  return 'TOTAL_PASSED';
}

/** Exit codes of `yinzhang verify`: 0 all passed, 1 any failed, 3 indeterminate, 4 no signature. (2 = unreadable input, raised elsewhere.) */
export function exitCodeFor(report: Pick<VerificationReport, 'indication'>): number {
  switch (report.indication) {
    case 'TOTAL_PASSED':
      return 0;
    case 'TOTAL_FAILED':
      return 1;
    case 'INDETERMINATE':
      return 3;
    default:
      return 4;
  }
}
