/**
 * Seal rendering throughput: SVG renders/s (outlines from cached glyphs) and PNG renders/s at 300 dpi, per shape,
 * plus impression comparisons/s. Reference in the same run: resvg rasterising the finished SVG alone (same options),
 * so the ratio shows what share of a PNG render the rasteriser is.
 */
import { cleanImpression, compareImpressions, renderSealPng, renderSealSvg } from '../src/index.js';
import type { SealSpec } from '../src/index.js';
import { rasterise } from '../src/png.js';
import { photo } from '../test/photo.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

function rate(fn: () => void, seconds = SECONDS): number {
  for (let i = 0; i < 3; i++) fn(); // warm-up (loads the font slices)
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    fn();
    n++;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

const cases: Array<[string, SealSpec]> = [
  ['round Ø42 legal_name + code', { kind: 'legal_name', name: '北京市某某科技有限公司', sealCode: '1101080012345' }],
  ['round Ø40 contract + label', { kind: 'contract', name: '上海某某贸易有限责任公司' }],
  ['oval 40×30 invoice', { kind: 'invoice', name: '广州某某信息技术有限公司', taxId: '91350100M000100Y43' }],
  ['square 18 mm personal', { kind: 'personal', name: '张三' }],
];

const f = (v: number) => v.toFixed(v < 10 ? 2 : 0).padStart(7);
console.log('seal                              SVG/s   PNG/s (300 dpi)   resvg-only/s   PNG ÷ resvg-only');
for (const [label, spec] of cases) {
  const svgRate = rate(() => renderSealSvg(spec));
  const pngRate = rate(() => renderSealPng(spec));
  const r = renderSealSvg(spec);
  const px = Math.round((r.widthMm / 25.4) * 300);
  const resvgRate = rate(() => rasterise(r.svg, r.widthMm, px));
  console.log(`${label.padEnd(32)} ${f(svgRate)} ${f(pngRate)}           ${f(resvgRate)}        ${(pngRate / resvgRate).toFixed(2)}`);
}
const a = renderSealPng(cases[0]![1], { px: 400 });
const b = renderSealPng(cases[0]![1], { px: 500 });
console.log(`compareImpressions (400 px vs 500 px PNG): ${f(rate(() => compareImpressions(a, b)))} /s`);
const { jpg } = photo(renderSealPng(cases[0]![1], { px: 480 }), 210, 130);
console.log(`cleanImpression (900×760 JPEG photo):       ${f(rate(() => cleanImpression(jpg)))} /s`);
