/**
 * Seal impressions from @yinzhang/seal-image: generated to public-security specs (开封 第十二条), or an uploaded
 * impression (广东 第十条) cleaned up and compared with the generated one — the score is kept with the seal and
 * shown to the reviewer and the applicant, who confirms the seal before it becomes active.
 */
import { COMPARE_THRESHOLD, cleanImpression, compareImpressions, renderSealPng, renderSealSvg, type SealSpec } from '@yinzhang/seal-image';
import { YzError } from '@yinzhang/gm';
import type { SealKind } from './seal-kinds.js';

export interface ImpressionSpec { kind: SealKind; name: string; sealCode: string; taxId: string }
export interface Impression { png: Uint8Array; widthMm: number; heightMm: number }

const toSpec = (s: ImpressionSpec): SealSpec => ({
  kind: s.kind, name: s.name, sealCode: s.sealCode, ...(s.kind === 'invoice' ? { taxId: s.taxId } : {}),
});

export function renderImpression(spec: ImpressionSpec): Impression {
  const seal = toSpec(spec);
  const { widthMm, heightMm } = renderSealSvg(seal);
  return { png: renderSealPng(seal), widthMm, heightMm };
}

export function importImpression(uploaded: Uint8Array, spec: ImpressionSpec): Impression & { score: number; match: boolean } {
  const expected = renderImpression(spec);
  const cleaned = cleanImpression(uploaded);
  const cmp = compareImpressions(expected.png, cleaned.png);
  return { png: cleaned.png, widthMm: expected.widthMm, heightMm: expected.heightMm, score: Math.round(cmp.score * 1000) / 1000, match: cmp.match };
}

/** The comparison as shown to applicants and reviewers. */
export interface ImpressionComparison { score: number; match: boolean; threshold: number }

export function comparisonOf(i: { score: number; match: boolean }): ImpressionComparison {
  return { score: i.score, match: i.match, threshold: COMPARE_THRESHOLD };
}

/**
 * 广东 第十条: the impression is checked against the registered one before the seal is made. A mismatch stops
 * production (the reviewer then rejects with a reason); it is never turned into a seal for the applicant to confirm.
 */
export function requireMatch(i: { score: number; match: boolean }): void {
  if (!i.match) {
    throw new YzError('IMPRESSION_MISMATCH', `the uploaded impression does not match the registered one (score ${i.score} < ${COMPARE_THRESHOLD})`, { ...comparisonOf(i) });
  }
}
