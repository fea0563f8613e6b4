/** `yinzhang seal make | inspect` as a user runs them (docs/cli.md), checked with openssl where it can. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { bytesEqual, pemEncode } from '@yinzhang/gm';
import { parseSeal } from '../src/index.js';
import { OFDRW, PNG_1x1, fixture, identity } from './helpers.js';

const BIN = new URL('../../cli/bin/yinzhang.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'yz-seal-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function yz(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'zh_CN.UTF-8' } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const userPem = join(dir, 'user.pem');
writeFileSync(userPem, pemEncode('CERTIFICATE', identity('USER').certificate));
const png = join(dir, 'seal.png');
writeFileSync(png, PNG_1x1);

test('seal inspect: every ofdrw seal, version and maker verdict per MANIFEST (exit 0), --json has every field', () => {
  for (const [file, version] of [['UserV1.esl', 1], ['UserV4.esl', 4], ['UserV5.esl', 5], ['UserV5_ts.esl', 5]] as const) {
    const r = yz(['seal', 'inspect', OFDRW + file, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.seal.version, version);
    assert.equal(j.makerSignatureValid, true);
    assert.equal(j.checks.sealSignature, 'passed');
    assert.equal(j.seal.picture.type, 'PNG');
    assert.equal(j.seal.property.certList[0].serial, '01719d2dab60');
    assert.equal(j.maker.serial, '01719d2e201d');
    assert.equal(j.file.size, fixture(file).length);
  }
  const text = yz(['seal', 'inspect', OFDRW + 'UserV4.esl']);
  assert.equal(text.status, 0);
  assert.match(text.stdout, /制章人签名: 有效/);
  assert.match(text.stdout, /OFD R&W 测试用印章/);
});

test('seal inspect --image-out writes the picture; a tampered seal exits 1; unreadable input exits 2', () => {
  const out = join(dir, 'pic.png');
  assert.equal(yz(['seal', 'inspect', OFDRW + 'UserV4.esl', '--image-out', out]).status, 0);
  assert.ok(bytesEqual(new Uint8Array(readFileSync(out)), parseSeal(fixture('UserV4.esl')).picture.data));
  const bad = fixture('UserV4.esl').slice();
  bad[bad.length - 5]! ^= 0x01; // inside the maker's signature value
  const badPath = join(dir, 'bad.esl');
  writeFileSync(badPath, bad);
  const r = yz(['seal', 'inspect', badPath]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /制章人签名: 无效/);
  assert.equal(yz(['seal', 'inspect', OFDRW + 'ROOT.p12']).status, 2);
  assert.equal(yz(['seal', 'inspect', join(dir, 'missing.esl')]).status, 2);
  const trunc = join(dir, 'trunc.esl');
  writeFileSync(trunc, fixture('UserV4.esl').subarray(0, 1000));
  const t = yz(['seal', 'inspect', trunc]);
  assert.equal(t.status, 2);
  assert.match(t.stderr, /DER_MALFORMED/);
});

test('seal make: V4 with the maker PKCS#12, V1/V5 with --maker-key/--maker-cert, certListType 2; inspect and openssl read them', () => {
  const cases = [
    ['v4', ['--maker-p12', OFDRW + 'SealBuilder.p12', '--password', '777777']],
    ['v1', ['--maker-key', OFDRW + 'sign_key.pem', '--maker-cert', OFDRW + 'sign_cert.pem']],
    ['v5', ['--maker-key', OFDRW + 'sign_key.pem', '--maker-cert', OFDRW + 'sign_cert.pem', '--cert-list-type', '2']],
  ] as const;
  for (const [format, maker] of cases) {
    const out = join(dir, `${format}.esl`);
    const r = yz(['seal', 'make', ...maker, '--signer-cert', userPem, '--name', '某某有限公司合同专用章', '--type', '2', '--image', png,
      '--width', '40', '--height', '40', '--valid-from', '2020-05-01T00:00:00Z', '--valid-to', '2021-12-31T00:00:00Z',
      '--format', format, '--vid', 'YZ', '--es-id', '3301020000001', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    const seal = parseSeal(new Uint8Array(readFileSync(out)));
    assert.equal(seal.version, Number(format.slice(1)));
    assert.equal(seal.property.name, '某某有限公司合同专用章');
    assert.equal(seal.property.certListType, format === 'v5' ? 2 : 1);
    assert.equal(seal.esID, '3301020000001');
    const asn = spawnSync('openssl', ['asn1parse', '-inform', 'DER', '-in', out], { encoding: 'utf8' });
    assert.equal(asn.status, 0, asn.stderr);
    const i = yz(['seal', 'inspect', out, '--json', '--at', '2021-01-01T00:00:00Z', '--trust', OFDRW + 'sign_cert.pem']);
    assert.equal(i.status, 0, i.stderr);
    assert.equal(JSON.parse(i.stdout).checks.sealValidity, 'passed');
  }
});

test('seal make: bad usage exits 2 with a message (fractional millimetres, unknown format, key not matching the certificate)', () => {
  const common = ['--signer-cert', userPem, '--name', 'x', '--type', '1', '--image', png, '--valid-from', '2020-01-01', '--valid-to', '2021-01-01', '--out', join(dir, 'x.esl')];
  const p12 = ['--maker-p12', OFDRW + 'SealBuilder.p12', '--password', '777777'];
  assert.equal(yz(['seal', 'make', ...p12, ...common, '--width', '40.5', '--height', '40']).status, 2);
  assert.equal(yz(['seal', 'make', ...p12, ...common, '--width', '40', '--height', '40', '--format', 'v9']).status, 2);
  const mismatch = yz(['seal', 'make', '--maker-key', OFDRW + 'sign_key.pem', '--maker-cert', userPem, ...common, '--width', '40', '--height', '40']);
  assert.equal(mismatch.status, 2);
  assert.match(mismatch.stderr, /制章人私钥与证书不匹配/);
  assert.equal(yz(['seal', 'make', ...p12.slice(0, 2), '--password', 'wrong', ...common, '--width', '40', '--height', '40']).status, 2);
});
