import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeIndication, emptyChecks, exitCodeFor, overallIndication, type Checks } from '../src/index.js';

function allPassed(): Checks {
  const c = emptyChecks();
  for (const k of Object.keys(c) as (keyof Checks)[]) c[k] = 'passed';
  return c;
}

const base = { signingTime: '2024-01-01T00:00:00Z', signingTimeSource: 'timestamp' as const };

test('all checks passed → TOTAL_PASSED', () => {
  assert.deepEqual(computeIndication({ ...base, checks: allPassed() }), { indication: 'TOTAL_PASSED', subIndication: null });
});

test('each core failure → TOTAL_FAILED with its sub-indication', () => {
  const expected: Record<string, string> = {
    format: 'FORMAT_FAILURE', integrity: 'HASH_FAILURE', signatureValue: 'SIG_CRYPTO_FAILURE', sealSignature: 'SEAL_SIG_CRYPTO_FAILURE',
    sealValidity: 'SEAL_EXPIRED', signerInSeal: 'SIGNER_NOT_IN_SEAL', certificateValidity: 'EXPIRED', coverage: 'COVERAGE_FAILURE',
  };
  for (const [check, sub] of Object.entries(expected)) {
    const checks = allPassed();
    checks[check as keyof Checks] = 'failed';
    assert.deepEqual(computeIndication({ ...base, checks }), { indication: 'TOTAL_FAILED', subIndication: sub }, check);
  }
});

test('no trust anchor → INDETERMINATE; unknown revocation alone still passes', () => {
  const checks = allPassed();
  checks.certificateChain = 'unknown';
  assert.equal(computeIndication({ ...base, checks }).indication, 'INDETERMINATE');
  const c2 = allPassed();
  c2.revocation = 'unknown';
  c2.sealStatus = 'unknown';
  assert.equal(computeIndication({ ...base, checks: c2 }).indication, 'TOTAL_PASSED');
});

test('seal revoked after a timestamped signing time stays valid; before, or with a claimed time, fails', () => {
  const checks = allPassed();
  checks.sealStatus = 'failed';
  assert.equal(computeIndication({ ...base, checks, sealRegistryStatus: { status: 'revoked', since: '2025-01-01T00:00:00Z' } }).indication, 'TOTAL_PASSED');
  assert.equal(computeIndication({ ...base, checks, sealRegistryStatus: { status: 'revoked', since: '2023-01-01T00:00:00Z' } }).indication, 'TOTAL_FAILED');
  assert.equal(
    computeIndication({ ...base, signingTimeSource: 'claimed', checks, sealRegistryStatus: { status: 'revoked', since: '2025-01-01T00:00:00Z' } }).indication,
    'TOTAL_FAILED',
  );
  const c2 = allPassed();
  c2.revocation = 'failed';
  assert.deepEqual(computeIndication({ ...base, checks: c2, revokedAt: '2023-06-01T00:00:00Z' }), { indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
  assert.equal(computeIndication({ ...base, checks: c2, revokedAt: '2024-06-01T00:00:00Z' }).indication, 'TOTAL_PASSED');
});

test('overall indication and exit codes', () => {
  assert.equal(overallIndication([]), 'NO_SIGNATURE');
  assert.equal(overallIndication([{ indication: 'TOTAL_PASSED' }, { indication: 'INDETERMINATE' }]), 'INDETERMINATE');
  assert.equal(overallIndication([{ indication: 'TOTAL_FAILED' }, { indication: 'INDETERMINATE' }]), 'TOTAL_FAILED');
  assert.equal(exitCodeFor({ indication: 'TOTAL_PASSED' }), 0);
  assert.equal(exitCodeFor({ indication: 'TOTAL_FAILED' }), 1);
  assert.equal(exitCodeFor({ indication: 'INDETERMINATE' }), 3);
  assert.equal(exitCodeFor({ indication: 'NO_SIGNATURE' }), 4);
});
