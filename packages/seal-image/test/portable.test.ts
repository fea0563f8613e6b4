import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { build } from 'esbuild';
import { nodeFaceDefs } from '../src/fonts-node.js';
import { renderSealSvg } from '../src/index.js';

const entry = new URL('../src/portable.ts', import.meta.url).pathname;

test('the SVG generator bundles for the browser and renders the identical SVG in a bare JS context', async () => {
  const out = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'iife', globalName: 'sealImage', write: false, logLevel: 'silent' });
  assert.equal(out.errors.length, 0);
  const code = out.outputFiles[0]!.text;
  assert.doesNotMatch(code, /require\("node:|from "node:/);
  const defs = nodeFaceDefs();
  let loads = 0;
  // Only what a browser has: no require, process or Buffer. Font slices come from the host as a fetch would deliver them.
  const sandbox = {
    TextEncoder,
    TextDecoder,
    faces: Object.fromEntries(Object.entries(defs).map(([face, d]) => [face, { metrics: d.metrics, fallback: d.fallback, ranges: d.slices.map((s) => s.ranges) }])),
    hostLoad: (face: keyof typeof defs, i: number) => {
      loads++;
      return Array.from(new Uint8Array(defs[face].slices[i]!.load()));
    },
    result: undefined as unknown,
    env: undefined as unknown,
  };
  vm.createContext(sandbox);
  vm.runInContext(
    `${code}
    const defs = {};
    for (const [face, d] of Object.entries(faces)) {
      defs[face] = { metrics: d.metrics, fallback: d.fallback, slices: d.ranges.map((ranges, i) => ({ ranges, load: () => new Uint8Array(hostLoad(face, i)).buffer })) };
    }
    const src = new sealImage.SlicedFontSource(defs);
    result = [
      sealImage.renderSealSvgWith({ kind: 'contract', name: '上海某某贸易有限责任公司', sealCode: '3101150067890' }, src).svg,
      sealImage.renderSealSvgWith({ kind: 'invoice', name: '广州某某信息技术有限公司', taxId: '91350100M000100Y43' }, src).svg,
    ];
    env = [typeof require, typeof process, typeof Buffer].join(',');`,
    sandbox,
  );
  assert.equal(sandbox.env, 'undefined,undefined,undefined');
  const [round, oval] = sandbox.result as string[];
  assert.equal(round, renderSealSvg({ kind: 'contract', name: '上海某某贸易有限责任公司', sealCode: '3101150067890' }).svg);
  assert.equal(oval, renderSealSvg({ kind: 'invoice', name: '广州某某信息技术有限公司', taxId: '91350100M000100Y43' }).svg);
  assert.ok(loads > 0 && loads < 20, `slices fetched on demand: ${loads}`);
});
