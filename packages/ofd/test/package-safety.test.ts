import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deflate } from 'fflate';
import { bytesEqual } from '@yinzhang/gm';
import { OfdPackage, ZipArchive, createOfd, parseXml, resolveLoc, writeZip, addSignature, setZipCodec, portableZipCodec, nodeZipCodec, crc32 } from '../src/index.js';
import { fixture, rejectsWith, tempDir } from './helpers.js';

const enc = new TextEncoder();
const OFD_XML = '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>';

function zipOf(files: Record<string, string | Uint8Array>): Uint8Array {
  return writeZip(Object.entries(files).map(([name, d]) => ({ name, data: typeof d === 'string' ? enc.encode(d) : d })));
}

test('not a zip, truncated zip, empty input → typed errors', async () => {
  await rejectsWith(() => OfdPackage.open(enc.encode('%PDF-1.7 not an ofd at all, just some text here')), 'OFD_NOT_ZIP');
  await rejectsWith(() => OfdPackage.open(new Uint8Array(0)), 'OFD_NOT_ZIP');
  const good = createOfd({ pages: ['x'] });
  await rejectsWith(() => OfdPackage.open(good.subarray(0, good.length - 30)), 'OFD_ZIP_MALFORMED');
});

test('missing OFD.xml → OFD_MISSING_PART', async () => {
  await rejectsWith(() => OfdPackage.open(zipOf({ 'Doc_0/Document.xml': '<a/>' })), 'OFD_MISSING_PART');
});

test('entries with ../, absolute or drive paths are refused', async () => {
  for (const bad of ['../evil.xml', 'Doc_0/../../evil.xml', '/etc/passwd', 'C:/evil.xml', '..\\evil.xml']) {
    await rejectsWith(() => OfdPackage.open(zipOf({ 'OFD.xml': OFD_XML, [bad]: 'x' })), 'OFD_UNSAFE_PATH');
  }
  assert.throws(() => resolveLoc('../../x', 'Doc_0'), /escapes/);
  assert.equal(resolveLoc('../Res/a.png', 'Doc_0/Pages'), 'Doc_0/Res/a.png');
  assert.equal(resolveLoc('/Doc_0/Signs/Sign_0/Signature.xml', 'whatever'), 'Doc_0/Signs/Sign_0/Signature.xml');
  assert.equal(resolveLoc('Sign_0/Signature.xml', 'Doc_0/Signs'), 'Doc_0/Signs/Sign_0/Signature.xml');
});

test('the portable codec (browsers) and the Node codec agree', async () => {
  const data = createOfd({ pages: ['甲方（盖章）：', 'x'.repeat(5000)] });
  const ref = OfdPackage.open(data);
  const sample = new TextEncoder().encode('The quick brown fox 敏捷的棕色狐狸'.repeat(37));
  assert.equal(portableZipCodec.crc32(sample), nodeZipCodec.crc32(sample));
  assert.equal(portableZipCodec.crc32(sample.subarray(3)), nodeZipCodec.crc32(sample.subarray(3)));
  try {
    setZipCodec(portableZipCodec);
    assert.equal(crc32(sample), nodeZipCodec.crc32(sample));
    const p = OfdPackage.open(data);
    for (const e of p.zip.entries) if (!e.isDirectory) assert.ok(bytesEqual(p.read(e.name), ref.read(e.name)), e.name);
    const z = zipOf({ 'OFD.xml': OFD_XML });
    const cd = z.length - 22 - (46 + 'OFD.xml'.length);
    const shorter = z.slice();
    const dv = new DataView(shorter.buffer);
    dv.setUint32(cd + 24, dv.getUint32(cd + 24, true) - 10, true);
    await rejectsWith(() => OfdPackage.open(shorter), 'OFD_ZIP_MALFORMED');
  } finally {
    setZipCodec(nodeZipCodec);
  }
});

test('CRC mismatch and a stream longer than declared are detected', async () => {
  const z = zipOf({ 'OFD.xml': OFD_XML });
  const bad = z.slice();
  // CRC field of the central directory entry (offset 16 in the CD record).
  const cd = bad.length - 22 - (46 + 'OFD.xml'.length);
  bad[cd + 16] = bad[cd + 16]! ^ 0xff;
  await rejectsWith(() => OfdPackage.open(bad), 'OFD_ZIP_MALFORMED');
  const shorter = z.slice();
  const dv = new DataView(shorter.buffer);
  dv.setUint32(cd + 24, dv.getUint32(cd + 24, true) - 10, true);
  await rejectsWith(() => OfdPackage.open(shorter), 'OFD_ZIP_MALFORMED');
});

/** A zip whose OFD.xml inflates to `size` bytes, built in 1 MB steps so the test itself stays small. */
function hugeXmlZip(size: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  const d = new Deflate({ level: 9 }, (c) => chunks.push(c));
  const head = enc.encode('<?xml version="1.0"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016">');
  const tail = enc.encode('</ofd:OFD>');
  d.push(head);
  const unit = enc.encode('<ofd:DocBody/>'.repeat(Math.floor((1 << 20) / 14)));
  let n = head.length + tail.length;
  while (n + unit.length <= size) {
    d.push(unit);
    n += unit.length;
  }
  d.push(tail, true);
  const raw = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    raw.set(c, o);
    o += c.length;
  }
  const name = enc.encode('OFD.xml');
  const z = writeZip([{ name: 'OFD.xml', copy: { name: 'OFD.xml', isDirectory: false, method: 8, flags: 0, crc: 0, compressedSize: raw.length, size: n, dosTime: 0, dosDate: 0, raw, nameBytes: name } }]);
  return z;
}

test('a 200 MB XML part and a zip bomb are refused before inflation, with bounded memory', async () => {
  const z = hugeXmlZip(200 * 1024 * 1024);
  assert.ok(z.length < 2 * 1024 * 1024, `compressed ${z.length}`);
  global.gc?.();
  const before = process.memoryUsage();
  // Default limits: the ratio guard (zip bomb) fires.
  await rejectsWith(() => OfdPackage.open(z), 'LIMIT_EXCEEDED');
  // Even with the ratio guard relaxed, the XML size limit fires on the declared size.
  await rejectsWith(() => OfdPackage.open(z, { maxCompressionRatio: 1e9 }), 'LIMIT_EXCEEDED');
  // And with every limit relaxed except the per-entry size.
  await rejectsWith(() => OfdPackage.open(z, { maxCompressionRatio: 1e9, maxXmlBytes: 1e12, maxEntryBytes: 100 * 1024 * 1024 }), 'LIMIT_EXCEEDED');
  const after = process.memoryUsage();
  assert.ok(after.rss - before.rss < 64 * 1024 * 1024, `rss grew by ${after.rss - before.rss}`);
  // Too many entries.
  const many = writeZip(Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, data: new Uint8Array(1) })));
  await rejectsWith(() => ZipArchive.read(many, { maxEntries: 10 }), 'LIMIT_EXCEEDED');
  await rejectsWith(() => ZipArchive.read(many, { maxTotalBytes: 10 }), 'LIMIT_EXCEEDED');
});

test('DOCTYPE, entity expansion (billion laughs), XXE, undefined entities and deep nesting are refused', async () => {
  const laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;">]><ofd:OFD xmlns:ofd="x">&lol9;</ofd:OFD>';
  await rejectsWith(() => OfdPackage.open(zipOf({ 'OFD.xml': laughs })), 'OFD_XML_FORBIDDEN');
  const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><ofd:OFD xmlns:ofd="x"><ofd:DocBody><ofd:DocRoot>&x;</ofd:DocRoot></ofd:DocBody></ofd:OFD>';
  await rejectsWith(() => OfdPackage.open(zipOf({ 'OFD.xml': xxe })), 'OFD_XML_FORBIDDEN');
  await rejectsWith(() => parseXml('<a>&undefined;</a>'), 'OFD_XML_MALFORMED');
  await rejectsWith(() => parseXml('<a><b></a>'), 'OFD_XML_MALFORMED');
  await rejectsWith(() => parseXml('<a/><b/>'), 'OFD_XML_MALFORMED');
  await rejectsWith(() => parseXml('<a>'.repeat(1000) + '</a>'.repeat(1000)), 'LIMIT_EXCEEDED');
  assert.equal(parseXml('<a x="&lt;&#x41;&amp;">t&gt;</a>').attrs.x, '<A&');
});

test('structure errors: no DocBody, page without BaseLoc', async () => {
  await rejectsWith(() => OfdPackage.open(zipOf({ 'OFD.xml': '<ofd:OFD xmlns:ofd="x"/>' })), 'OFD_MALFORMED');
  const pkg = OfdPackage.open(zipOf({ 'OFD.xml': OFD_XML, 'Doc_0/Document.xml': '<ofd:Document xmlns:ofd="x"><ofd:Pages><ofd:Page ID="1"/></ofd:Pages></ofd:Document>' }));
  await rejectsWith(() => pkg.document('Doc_0/Document.xml'), 'OFD_MALFORMED');
});

test('legacy namespace and vendor layouts are read: pages, page IDs, signatures at any folder', () => {
  const tin = OfdPackage.open(fixture('testImageNotFound.ofd'));
  const body = tin.docBodies()[0]!;
  assert.equal(body.docRoot, 'Doc_0/Document_0.xml');
  assert.deepEqual(tin.document(body.docRoot).pages.map((p) => p.id), ['1', '37']);
  const n = OfdPackage.open(fixture('n.ofd'));
  assert.equal(n.docBodies()[0]!.signatures, 'Doc_0/Signatures.xml');
  const sig = n.signature(n.signatures('Doc_0/Signatures.xml').entries[0]!.path);
  assert.equal(sig.checkMethod, '1.2.156.10197.1.401.2');
  assert.equal(sig.stampAnnots[0]!.pageRef, '1021');
});

test('signing copies untouched entries byte for byte; unzip accepts the result', async () => {
  const orig = fixture('v4signed.ofd');
  const r = await addSignature(orig, {
    type: 'Seal', sealEsl: new Uint8Array([0x30, 0]), placement: { kind: 'at', page: 1, x: 10, y: 10 }, width: 40, height: 40,
    produceSignedValue: async (q) => q.dataHash,
  });
  const a = OfdPackage.open(orig);
  const b = OfdPackage.open(r.ofd);
  const changed = a.zip.entries.filter((e) => !bytesEqual(e.raw, b.zip.entry(e.name)!.raw)).map((e) => e.name);
  assert.deepEqual(changed, ['Doc_0/Signs/Signatures.xml']);
  for (const e of a.zip.entries) if (!changed.includes(e.name)) assert.equal(b.zip.entry(e.name)!.crc, e.crc);
  const dir = tempDir();
  const f = join(dir, 'out.ofd');
  writeFileSync(f, r.ofd);
  const t = spawnSync('unzip', ['-t', f], { encoding: 'utf8' });
  assert.equal(t.status, 0, t.stdout + t.stderr);
  assert.match(t.stdout, /No errors detected/);
});
