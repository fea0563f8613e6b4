/** Hostile and broken inputs: typed YzErrors (never a crash), explicit limits, bounded memory. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { YzError, concatBytes } from '@yinzhang/gm';
import { derIa5, derInteger, derOctetString, derSequence, derTlv } from '@yinzhang/gm/der';
import { SesLimits, parseSeal, parseSesSignature, verifySeal, verifySesSignature, importEsl } from '../src/index.js';
import { fixture, ofdEntries } from './helpers.js';

const seal = fixture('UserV4.esl');

function typedError(fn: () => unknown, codes: string[]): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof YzError, `expected YzError, got ${String(e)}`);
    assert.ok(codes.includes(e.code), `unexpected code ${e.code}: ${e.message}`);
    return e.code;
  }
  assert.fail('no error thrown');
}

test('truncated seals and seal signatures give typed errors at every length', () => {
  for (let n = 0; n < seal.length; n += n < 200 ? 1 : 97) typedError(() => parseSeal(seal.subarray(0, n)), ['DER_MALFORMED']);
  const sig = ofdEntries('h.ofd')['Doc_0/Signs/Sign_1/SignedValue.dat']!;
  for (let n = 0; n < sig.length; n += n < 200 ? 1 : 101) typedError(() => parseSesSignature(sig.subarray(0, n)), ['DER_MALFORMED']);
});

test('wrong tags give SES_MALFORMED / SES_VERSION_UNSUPPORTED naming the field', () => {
  const cases: [number, number, string][] = [
    [0, 0x31, 'SESeal'], // SET instead of SEQUENCE
    [8, 0x31, 'SES_Header'],
    [10, 0x02, 'SES_Header.ID'],
    [14, 0x04, 'SES_Header.version'],
    [29, 0x02, 'SES_SealInfo.esID'],
    [634, 0x02, 'createDate'],
    [16927, 0x04, 'signAlgID'],
    [16937, 0x02, 'signedValue'],
  ];
  for (const [offset, tag, field] of cases) {
    const copy = seal.slice();
    copy[offset] = tag;
    let msg = '';
    try {
      parseSeal(copy);
      assert.fail(`tag change at ${offset} accepted`);
    } catch (e) {
      assert.ok(e instanceof YzError);
      assert.ok(['SES_MALFORMED', 'SES_VERSION_UNSUPPORTED', 'DER_MALFORMED'].includes(e.code), e.code);
      msg = e.message;
    }
    assert.match(msg, new RegExp(field.split('.').pop()!), `${offset}: ${msg}`);
  }
  // Element counts that match no version.
  typedError(() => parseSeal(derSequence(derSequence(), derOctetString(Uint8Array.of(1)), derIa5('x'))), ['SES_VERSION_UNSUPPORTED']);
  typedError(() => parseSesSignature(derSequence(derSequence(), derInteger(1), derInteger(2))), ['SES_VERSION_UNSUPPORTED']);
  typedError(() => parseSeal('not bytes' as unknown as Uint8Array), ['INVALID_ARGUMENT']);
});

test('trailing bytes: zero padding is tolerated and noted, anything else refused', () => {
  const padded = concatBytes(seal, new Uint8Array(64));
  const s = parseSeal(padded);
  assert.equal(s.raw.seal.length, seal.length);
  assert.ok(s.notes.some((n) => n.includes('64 zero bytes')));
  typedError(() => parseSeal(concatBytes(seal, Uint8Array.of(0, 1))), ['DER_MALFORMED']);
  const sig = ofdEntries('h.ofd')['Doc_0/Signs/Sign_1/SignedValue.dat']!;
  assert.equal(parseSesSignature(concatBytes(sig, new Uint8Array(8192))).raw.sesSignature.length, sig.length);
});

test('lengths larger than the input are refused without reading past it', () => {
  for (const offset of [0, 4, 63, 694, 16397]) {
    const copy = seal.slice();
    // Long-form length bytes follow the tag; set the first length octet after 0x82 to 0xff.
    const lenAt = offset + 1;
    if (copy[lenAt]! >= 0x81) copy[lenAt + 1] = 0xff;
    else copy[lenAt] = 0x7f;
    typedError(() => parseSeal(copy), ['DER_MALFORMED', 'SES_MALFORMED']);
  }
  // A 4-byte length announcing 4 GB.
  typedError(() => parseSeal(Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x30, 0x00)), ['DER_MALFORMED']);
  typedError(() => parseSeal(Uint8Array.of(0x30, 0x88, 1, 2, 3, 4, 5, 6, 7, 8)), ['DER_MALFORMED']);
  typedError(() => parseSeal(Uint8Array.of(0x30, 0x80, 0x00, 0x00)), ['DER_MALFORMED']); // indefinite length
});

/** `depth` SEQUENCEs nested inside each other (4-byte headers 30 82 hi lo), written into one buffer in linear time. */
function nested(depth: number): Uint8Array {
  const out = new Uint8Array(4 * depth);
  for (let k = 0; k < depth; k++) {
    const len = 4 * (depth - k - 1);
    out.set([0x30, 0x82, len >> 8, len & 0xff], 4 * k);
  }
  return out;
}

test('10,000-deep nesting is refused by the schema, no recursion, no stack overflow', () => {
  const deep = nested(10_000);
  assert.equal(deep.length, 40_000);
  typedError(() => parseSeal(deep), ['SES_MALFORMED', 'SES_VERSION_UNSUPPORTED', 'DER_MALFORMED']);
  typedError(() => parseSesSignature(deep), ['SES_MALFORMED', 'SES_VERSION_UNSUPPORTED', 'DER_MALFORMED']);
  // Deep nesting where a seal expects a SES_SealInfo, and where a signature expects its eseal.
  typedError(() => parseSeal(derSequence(nested(10_000), derOctetString(Uint8Array.of(0x30, 0)), derTlv(6, Uint8Array.of(42)), derTlv(3, Uint8Array.of(0)))), ['SES_MALFORMED', 'DER_MALFORMED']);
  typedError(() => parseSesSignature(derSequence(derSequence(derInteger(4), nested(10_000)), derOctetString(Uint8Array.of(0)), derTlv(6, Uint8Array.of(42)), derTlv(3, Uint8Array.of(0)))), ['SES_MALFORMED', 'SES_VERSION_UNSUPPORTED', 'DER_MALFORMED']);
});

test('a 200 MB picture field: refused by the size limit before parsing, memory stays bounded', async () => {
  // (a) a picture length announcing 200 MB inside a small input
  const head = seal.slice(0, 698);
  const fake = concatBytes(head, Uint8Array.of(0x04, 0x84, 0x0c, 0x80, 0x00, 0x00), new Uint8Array(100));
  typedError(() => parseSeal(fake), ['DER_MALFORMED']);
  // (b) a real 200 MB seal whose picture is 200 MB, written into one buffer: only the headers are built.
  const big = 200 * 1024 * 1024;
  const hdr = (tag: number, len: number) => Uint8Array.of(tag, 0x84, len >>> 24, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff);
  const pictureHead = concatBytes(derIa5('PNG'), hdr(0x04, big));
  const pictureTail = concatBytes(derInteger(40), derInteger(40));
  const pictureLen = pictureHead.length + big + pictureTail.length;
  const infoHead = concatBytes(seal.subarray(8, 29), derIa5('x'), derSequence(), hdr(0x30, pictureLen));
  const infoLen = infoHead.length + pictureLen;
  const trailer = concatBytes(derOctetString(Uint8Array.of(0x30, 0)), derTlv(6, Uint8Array.of(42)), derTlv(3, Uint8Array.of(0)));
  const sealLen = 6 + infoLen + trailer.length;
  const hugeSeal = new Uint8Array(6 + sealLen);
  let p = 0;
  for (const part of [hdr(0x30, sealLen), hdr(0x30, infoLen), infoHead, pictureHead]) {
    hugeSeal.set(part, p);
    p += part.length;
  }
  p += big;
  hugeSeal.set(pictureTail, p);
  hugeSeal.set(trailer, p + pictureTail.length);
  const before = process.memoryUsage();
  assert.ok(hugeSeal.length > big);
  const code = typedError(() => parseSeal(hugeSeal), ['LIMIT_EXCEEDED']);
  assert.equal(code, 'LIMIT_EXCEEDED');
  typedError(() => parseSesSignature(hugeSeal), ['LIMIT_EXCEEDED']);
  typedError(() => importEsl(hugeSeal), ['LIMIT_EXCEEDED']);
  const r = await verifySeal(hugeSeal);
  assert.equal(r.checks.format, 'failed');
  assert.equal(r.messages[0]?.code, 'FORMAT_INVALID');
  const r2 = await verifySesSignature(hugeSeal);
  assert.equal(r2.checks.format, 'failed');
  // Nothing was copied: buffers grew by far less than the input.
  const grown = process.memoryUsage().arrayBuffers - before.arrayBuffers;
  assert.ok(grown < 16 * 1024 * 1024, `grew ${grown} bytes`);
  // The same seal with the limit out of the way parses as views (a sanity check that the crafted input is a seal).
  typedError(() => parseSeal(hugeSeal.subarray(0, 1000)), ['DER_MALFORMED']);
  assert.ok(SesLimits.maxSealBytes < big);
});

test('limits on list sizes: certList and extDatas', () => {
  const entries = Array.from({ length: SesLimits.maxCertListEntries + 1 }, () => derOctetString(Uint8Array.of(0x30, 0)));
  const property = derSequence(derInteger(1), derTlv(0x0c, Uint8Array.of(0x41)), derInteger(1), derSequence(...entries),
    derTlv(0x18, new TextEncoder().encode('20200101000000Z')), derTlv(0x18, new TextEncoder().encode('20200101000000Z')), derTlv(0x18, new TextEncoder().encode('20300101000000Z')));
  const sealInfo = derSequence(seal.subarray(8, 29), derIa5('x'), property, derSequence(derIa5('PNG'), derOctetString(Uint8Array.of(1)), derInteger(40), derInteger(40)));
  const s = derSequence(sealInfo, derOctetString(Uint8Array.of(0x30, 0)), derTlv(6, Uint8Array.of(42)), derTlv(3, Uint8Array.of(0)));
  typedError(() => parseSeal(s), ['LIMIT_EXCEEDED']);
});

test('a seal whose maker certificate or signature is garbage parses but fails verification with a reason', async () => {
  const copy = seal.slice();
  // Overwrite the maker certificate's content (keeps the DER framing intact).
  copy.fill(0x41, 16401 + 4, 16401 + 4 + 100);
  const r = await verifySeal(copy);
  assert.equal(r.checks.format, 'passed');
  assert.equal(r.checks.sealSignature, 'failed');
  assert.ok(r.messages.some((m) => m.code === 'SEAL_MAKER_CERT_UNREADABLE'));
});

test('random corruption (seeded): parsing throws only YzError, verification never throws', async () => {
  let x = 0x2545f491;
  const rnd = (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  const sig = ofdEntries('v4signed.ofd')['Doc_0/Signs/Sign_0/SignedValue.dat']!;
  let parsed = 0;
  for (let i = 0; i < 600; i++) {
    const copy = sig.slice();
    for (let k = 1 + rnd(4); k > 0; k--) copy[rnd(copy.length)] = rnd(256);
    try {
      parseSesSignature(copy);
      parsed++;
    } catch (e) {
      assert.ok(e instanceof YzError, `iteration ${i}: ${String(e)}`);
    }
    const r = await verifySesSignature(copy);
    assert.ok(['passed', 'failed'].includes(r.checks.format));
  }
  // Most single-byte changes land in field contents, which still parse (and then fail verification).
  assert.ok(parsed > 0);
});
