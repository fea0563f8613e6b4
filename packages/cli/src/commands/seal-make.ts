/**
 * `yinzhang seal make` (docs/cli.md): makes an electronic seal (GB/T 38540 SESeal, `.esl`) signed by the seal maker.
 * The picture type comes from the image's content; width and height are whole millimetres (ASN.1 INTEGER).
 */
import { randomBytes } from 'node:crypto';
import { bytesEqual, createSigner, importPrivateKey, publicKeySpki, toHex, type Signer } from '@yinzhang/gm';
import { parseCertificate, parseCertificates, parsePkcs12 } from '@yinzhang/pki';
import { buildSeal } from '@yinzhang/ses';
import { UsageError, oneOf, optionalString, requireString, type Command, type CommandContext } from '../command.js';
import { readInput, writeOutput } from '../files.js';

function loadMaker(ctx: CommandContext): { signer: Signer; certificate: Uint8Array } {
  const key = optionalString(ctx, 'maker-key');
  const cert = optionalString(ctx, 'maker-cert');
  const p12 = optionalString(ctx, 'maker-p12');
  if (p12 && (key || cert)) throw new UsageError({ zh: '--maker-p12 不能与 --maker-key/--maker-cert 同时使用', en: '--maker-p12 cannot be combined with --maker-key/--maker-cert' });
  if (p12) {
    const password = optionalString(ctx, 'password');
    if (password === undefined) throw new UsageError({ zh: '缺少参数 --password', en: 'missing --password' });
    const c = parsePkcs12(readInput(p12), password);
    return { signer: createSigner(c.privateKey), certificate: c.certificate.der };
  }
  if (!key || !cert) {
    throw new UsageError({ zh: '请给出 --maker-key 与 --maker-cert，或 --maker-p12 与 --password', en: 'give --maker-key and --maker-cert, or --maker-p12 and --password' });
  }
  const leaf = parseCertificate(readInput(cert));
  const signer = createSigner(importPrivateKey(readInput(key)));
  if (!bytesEqual(publicKeySpki(signer.publicKey), leaf.spki)) {
    throw new UsageError({ zh: '制章人私钥与证书不匹配', en: "the maker's private key does not belong to the maker certificate" });
  }
  return { signer, certificate: leaf.der };
}

/** Picture type from the content, as GB/T 38540 names it. */
export function pictureType(data: Uint8Array): string {
  if (data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47) return 'PNG';
  if (data[0] === 0x50 && data[1] === 0x4b) return 'OFD';
  if (data[0] === 0xff && data[1] === 0xd8) return 'JPG';
  if (data[0] === 0x47 && data[1] === 0x49 && data[2] === 0x46) return 'GIF';
  const head = new TextDecoder().decode(data.subarray(0, 1024));
  if (/<svg[\s>]/.test(head)) return 'SVG';
  throw new UsageError({ zh: '--image 必须是 PNG、SVG、OFD、JPG 或 GIF 图像', en: '--image must be a PNG, SVG, OFD, JPG or GIF image' });
}

function wholeMm(ctx: CommandContext, name: string): number {
  const v = requireString(ctx, name);
  const n = Number(v);
  if (!/^\d+(\.0+)?$/.test(v) || !Number.isInteger(n) || n < 1 || n > 1000) {
    throw new UsageError({ zh: `--${name} 必须是 1 到 1000 的整数毫米: ${v}`, en: `--${name} must be whole millimetres 1..1000: ${v}` });
  }
  return n;
}

function isoTime(ctx: CommandContext, name: string): Date {
  const v = requireString(ctx, name);
  const d = new Date(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(d.getTime())) {
    throw new UsageError({ zh: `--${name} 不是 ISO 8601 时间: ${v}`, en: `--${name} is not an ISO 8601 time: ${v}` });
  }
  return d;
}

export const sealMake: Command = {
  path: ['seal', 'make'],
  summary: { zh: '制作电子印章 (GB/T 38540 .esl，由制章人签名)', en: 'make an electronic seal (GB/T 38540 .esl, signed by the seal maker)' },
  usage:
    '(--maker-key K --maker-cert C | --maker-p12 F --password P) --signer-cert S --name NAME --type N --image IMG --width MM --height MM ' +
    '--valid-from T --valid-to T [--format v4|v1|v5] [--vid VID] [--es-id ID] [--cert-list-type 1|2] --out SEAL.esl',
  options: {
    'maker-key': { type: 'string' },
    'maker-cert': { type: 'string' },
    'maker-p12': { type: 'string' },
    password: { type: 'string' },
    'signer-cert': { type: 'string', multiple: true },
    name: { type: 'string' },
    type: { type: 'string' },
    image: { type: 'string' },
    width: { type: 'string' },
    height: { type: 'string' },
    'valid-from': { type: 'string' },
    'valid-to': { type: 'string' },
    format: { type: 'string' },
    vid: { type: 'string' },
    'es-id': { type: 'string' },
    'cert-list-type': { type: 'string' },
    out: { type: 'string' },
  },
  async run(ctx) {
    const format = oneOf(ctx, 'format', ['v4', 'v1', 'v5'] as const, 'v4');
    const version = format === 'v1' ? 1 : format === 'v5' ? 5 : 4;
    const certListType = Number(oneOf(ctx, 'cert-list-type', ['1', '2'] as const, '1')) as 1 | 2;
    const out = requireString(ctx, 'out');
    const name = requireString(ctx, 'name');
    const typeText = requireString(ctx, 'type');
    if (!/^\d{1,9}$/.test(typeText)) throw new UsageError({ zh: `--type 必须是非负整数: ${typeText}`, en: `--type must be a non-negative integer: ${typeText}` });
    const signerPaths = ctx.values['signer-cert'];
    if (!Array.isArray(signerPaths) || signerPaths.length === 0) throw new UsageError({ zh: '缺少参数 --signer-cert', en: 'missing --signer-cert' });
    const signerCertificates = signerPaths.flatMap((p) => parseCertificates(readInput(p)).map((c) => c.der));
    const image = readInput(requireString(ctx, 'image'));
    const picture = { type: pictureType(image), data: image, widthMm: wholeMm(ctx, 'width'), heightMm: wholeMm(ctx, 'height') };
    const validStart = isoTime(ctx, 'valid-from');
    const validEnd = isoTime(ctx, 'valid-to');
    if (validEnd.getTime() <= validStart.getTime()) throw new UsageError({ zh: '--valid-to 必须晚于 --valid-from', en: '--valid-to must be after --valid-from' });
    const maker = loadMaker(ctx);
    const esID = optionalString(ctx, 'es-id') ?? toHex(new Uint8Array(randomBytes(16)));
    const der = await buildSeal({
      version, vid: optionalString(ctx, 'vid') ?? 'yinzhang', esID, type: Number(typeText), name, certListType, signerCertificates,
      validStart, validEnd, picture, maker,
    });
    writeOutput(out, der);
    ctx.stderr(ctx.t({
      zh: `已制作印章 ${out} (${format.toUpperCase()}, esID ${esID}, ${der.length} 字节)`,
      en: `seal written to ${out} (${format.toUpperCase()}, esID ${esID}, ${der.length} bytes)`,
    }));
    return 0;
  },
};
