import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateToPem, parsePkcs12 } from '@yinzhang/pki';
import { tempDir, yinzhang } from './helpers.js';

const OFDRW = new URL('../../../../shared/interop/ofdrw/', import.meta.url).pathname;
const dir = tempDir();

test('yinzhang verify on bare .esl seals: report format "seal", exit codes per verification-report.md', () => {
  const root = parsePkcs12(readFileSync(join(OFDRW, 'ROOT.p12')), '123456').certificate;
  const rootPem = join(dir, 'root.pem');
  writeFileSync(rootPem, certificateToPem(root));
  const esl = join(OFDRW, 'UserV4.esl');
  let r = yinzhang(['verify', esl, '--trust', rootPem, '--at', '2021-01-01T00:00:00Z', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.format, 'seal');
  assert.equal(report.indication, 'TOTAL_PASSED');
  assert.equal(report.signatures[0].checks.sealSignature, 'passed');
  assert.equal(report.signatures[0].seal.version, 4);
  // now: the seal expired in 2022
  r = yinzhang(['verify', esl, '--json']);
  assert.equal(r.status, 1);
  assert.equal(JSON.parse(r.stdout).signatures[0].subIndication, 'SEAL_EXPIRED');
  // one flipped byte in the maker's signature
  const bytes = readFileSync(esl);
  bytes[bytes.length - 5]! ^= 0x01;
  writeFileSync(join(dir, 'flipped.esl'), bytes);
  r = yinzhang(['verify', join(dir, 'flipped.esl'), '--trust', rootPem, '--at', '2021-01-01T00:00:00Z', '--json']);
  assert.equal(r.status, 1);
  assert.equal(JSON.parse(r.stdout).signatures[0].checks.sealSignature, 'failed');
  // not a seal at all → 2
  writeFileSync(join(dir, 'junk.esl'), Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01));
  r = yinzhang(['verify', join(dir, 'junk.esl')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /SES_MALFORMED|SES_VERSION_UNSUPPORTED|DER_MALFORMED/);
});
