import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hmacSm3, sm3, toHex, nodeCryptoProvider, setCryptoProvider, getCryptoProvider, hmac } from '@yinzhang/gm';
import { enc, openssl } from './helpers.js';

test('SM3 standard vectors (GB/T 32905 Appendix A)', () => {
  assert.equal(toHex(sm3(enc('abc'))), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  assert.equal(toHex(sm3(enc('abcd'.repeat(16)))), 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  assert.equal(toHex(sm3(new Uint8Array(0))), '1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b');
});

test('HMAC-SM3 agrees with openssl, for short and long keys', () => {
  for (const key of ['k', 'x'.repeat(100)]) {
    const data = enc('message for hmac '.repeat(10));
    const r = openssl(['dgst', '-sm3', '-hmac', key, '-r'], data);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(toHex(hmacSm3(enc(key), data)), r.stdout.toString().split(' ')[0]);
  }
});

test('RFC 2104 fallback equals the native HMAC (providers without hmac())', () => {
  const native = toHex(hmacSm3(enc('key'), enc('data')));
  const { hmac: _omit, ...withoutHmac } = nodeCryptoProvider;
  const saved = getCryptoProvider();
  setCryptoProvider(withoutHmac);
  try {
    assert.equal(toHex(hmac('sm3', enc('key'), enc('data'))), native);
    assert.equal(toHex(hmac('sm3', enc('k'.repeat(80)), enc('data'))), toHex(nodeCryptoProvider.hmac!('sm3', enc('k'.repeat(80)), enc('data'))));
  } finally {
    setCryptoProvider(saved);
  }
});
