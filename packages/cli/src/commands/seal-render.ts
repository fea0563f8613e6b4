import { SEAL_KINDS, SEAL_SHAPES, renderSealPng, renderSealSvg } from '@yinzhang/seal-image';
import type { SealKind, SealSpec } from '@yinzhang/seal-image';
import { UsageError, oneOf, optionalString, requireString, type Command } from '../command.js';
import { writeOutput } from '../files.js';

/** --size 42 (diameter / side / width) or 40x30 (width × height), millimetres. */
function parseSize(v: string | undefined): { widthMm?: number; heightMm?: number } {
  if (v === undefined) return {};
  const m = /^(\d+(?:\.\d+)?)(?:[x×*](\d+(?:\.\d+)?))?$/.exec(v.trim());
  if (!m) throw new UsageError({ zh: '--size 应为毫米数, 如 42 或 40x30', en: '--size must be millimetres, e.g. 42 or 40x30' });
  return m[2] !== undefined ? { widthMm: Number(m[1]), heightMm: Number(m[2]) } : { widthMm: Number(m[1]) };
}

export const sealRender: Command = {
  path: ['seal', 'render'],
  summary: {
    zh: `生成印章图像 (SVG 或 PNG, 实际毫米尺寸)。KIND: ${SEAL_KINDS.join(', ')}`,
    en: `render a seal image (SVG or PNG at real size in mm). KIND: ${SEAL_KINDS.join(', ')}`,
  },
  usage:
    '--kind KIND --name NAME [--label TEXT] [--code SEALCODE] [--tax-id USCC] [--shape round|oval|square|rect] --out FILE.svg|FILE.png [--px N] [--size MM|WxH]',
  options: {
    kind: { type: 'string' },
    name: { type: 'string' },
    label: { type: 'string' },
    code: { type: 'string' },
    'tax-id': { type: 'string' },
    shape: { type: 'string' },
    out: { type: 'string' },
    px: { type: 'string' },
    size: { type: 'string' },
  },
  positionals: [0, 0],
  async run(ctx) {
    const kind = oneOf(ctx, 'kind', SEAL_KINDS) as SealKind;
    const nameValue = ctx.values.name;
    if (typeof nameValue !== 'string') throw new UsageError({ zh: '缺少参数 --name', en: 'missing --name' });
    const out = requireString(ctx, 'out');
    const format = /\.svg$/i.test(out) ? 'svg' : /\.png$/i.test(out) ? 'png' : undefined;
    if (!format) throw new UsageError({ zh: '--out 文件名须以 .svg 或 .png 结尾', en: '--out must end in .svg or .png' });
    const spec: SealSpec = { kind, name: nameValue, ...parseSize(optionalString(ctx, 'size')) };
    const label = optionalString(ctx, 'label');
    if (label !== undefined) spec.label = label;
    const code = optionalString(ctx, 'code');
    if (code !== undefined) spec.sealCode = code;
    const taxId = optionalString(ctx, 'tax-id');
    if (taxId !== undefined) spec.taxId = taxId;
    if (ctx.values.shape !== undefined) spec.shape = oneOf(ctx, 'shape', SEAL_SHAPES);
    const pxText = optionalString(ctx, 'px');
    if (pxText !== undefined && format !== 'png') throw new UsageError({ zh: '--px 只用于 PNG 输出', en: '--px applies to PNG output only' });
    if (pxText !== undefined && !/^\d+$/.test(pxText)) throw new UsageError({ zh: '--px 应为正整数', en: '--px must be a positive integer' });

    const svg = renderSealSvg(spec);
    if (format === 'svg') writeOutput(out, svg.svg);
    else writeOutput(out, renderSealPng(spec, pxText !== undefined ? { px: Number(pxText) } : {}));
    ctx.stdout(ctx.t({ zh: `已生成 ${out} (${svg.widthMm}×${svg.heightMm} 毫米)`, en: `wrote ${out} (${svg.widthMm}×${svg.heightMm} mm)` }));
    return 0;
  },
};
