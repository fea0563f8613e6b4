import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { YzError} from '@yinzhang/gm';
import {
  boxOpen, boxSeal, fromHex, sm4CbcDecrypt, sm4CbcEncrypt, sm4Ctr, sm4EcbDecrypt, sm4EcbEncrypt, toHex
} from '@yinzhang/gm';
import { enc, openssl } from './helpers.js';

const KEY = fromHex('0123456789abcdeffedcba9876543210');

test('SM4 ECB standard vector (GB/T 32907 Appendix A.1)', () => {
  const ct = sm4EcbEncrypt(KEY, KEY, { padding: false });
  assert.equal(toHex(ct), '681edf34d206965e86b3e94f536e4246');
  assert.equal(toHex(sm4EcbDecrypt(KEY, ct, { padding: false })), toHex(KEY));
});

test('SM4 1,000,000-round vector (GB/T 32907 Appendix A.2)', { skip: process.env.YINZHANG_SLOW_TESTS !== '1' && 'slow: set YINZHANG_SLOW_TESTS=1' }, () => {
  let block = KEY;
  for (let i = 0; i < 1_000_000; i++) block = sm4EcbEncrypt(KEY, block, { padding: false });
  assert.equal(toHex(block), '595298c7c6fd271f0402f804c33d3f66');
});

test('SM4 CBC and CTR agree with openssl enc', () => {
  const iv = fromHex('000102030405060708090a0b0c0d0e0f');
  const data = enc('seal data at rest — 印章数据 '.repeat(7));
  const cbc = openssl(['enc', '-sm4-cbc', '-K', toHex(KEY), '-iv', toHex(iv)], data);
  assert.equal(cbc.status, 0, cbc.stderr);
  assert.equal(toHex(sm4CbcEncrypt(KEY, iv, data)), cbc.stdout.toString('hex'));
  assert.equal(toHex(sm4CbcDecrypt(KEY, iv, new Uint8Array(cbc.stdout))), toHex(data));
  const ctr = openssl(['enc', '-sm4-ctr', '-K', toHex(KEY), '-iv', toHex(iv)], data);
  assert.equal(ctr.status, 0, ctr.stderr);
  assert.equal(toHex(sm4Ctr(KEY, iv, data)), ctr.stdout.toString('hex'));
  assert.equal(toHex(sm4Ctr(KEY, iv, new Uint8Array(ctr.stdout))), toHex(data));
});

test('SM4 bad input: key/IV lengths, unpadded sizes, bad padding', () => {
  assert.throws(() => sm4EcbEncrypt(new Uint8Array(15), KEY), (e: YzError) => e.code === 'KEY_WRONG_LENGTH');
  assert.throws(() => sm4CbcEncrypt(KEY, new Uint8Array(8), KEY), (e: YzError) => e.code === 'INVALID_ARGUMENT');
  assert.throws(() => sm4EcbEncrypt(KEY, new Uint8Array(17), { padding: false }), (e: YzError) => e.code === 'INVALID_ARGUMENT');
  const ct = sm4EcbEncrypt(KEY, enc('hello'));
  assert.throws(() => sm4EcbDecrypt(fromHex('00'.repeat(16)), ct), (e: YzError) => e.code === 'DECRYPTION_FAILED');
});

test('encrypt-then-MAC box: round trip, and any change is detected before decryption', () => {
  const master = new Uint8Array(32).fill(7);
  const aad = enc('key-id-1');
  const pt = enc('private key bytes');
  const box = boxSeal(master, pt, aad);
  assert.equal(toHex(boxOpen(master, box, aad)), toHex(pt));
  assert.notEqual(toHex(boxSeal(master, pt, aad)), toHex(box), 'fresh IV each time');
  for (let i = 0; i < box.length; i++) {
    const t = box.slice();
    t[i]! ^= 1;
    assert.throws(() => boxOpen(master, t, aad), (e: YzError) => e.code === 'AUTHENTICATION_FAILED' || e.code === 'CIPHERTEXT_MALFORMED');
  }
  assert.throws(() => boxOpen(master, box, enc('key-id-2')), (e: YzError) => e.code === 'AUTHENTICATION_FAILED');
  assert.throws(() => boxOpen(new Uint8Array(32), box, aad), (e: YzError) => e.code === 'AUTHENTICATION_FAILED');
  assert.throws(() => boxOpen(master, box.subarray(0, 40), aad), (e: YzError) => e.code === 'CIPHERTEXT_MALFORMED');
  assert.throws(() => boxSeal(new Uint8Array(16), pt), (e: YzError) => e.code === 'KEY_WRONG_LENGTH');
  assert.equal(boxOpen(master, boxSeal(master, new Uint8Array(0))).length, 0);
});
