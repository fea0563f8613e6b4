/** Seal impressions come from @yinzhang/seal-image (rendering to public-security specs, impression comparison). */
import { YzError } from '@yinzhang/gm';
import type { SealKind } from './seal-kinds.js';

export interface ImpressionSpec { kind: SealKind; name: string; sealCode: string; taxId: string }

export async function renderImpression(_spec: ImpressionSpec): Promise<Uint8Array> {
  throw new YzError('PRODUCTION_UNAVAILABLE', 'seal impressions need @yinzhang/seal-image, which is not available yet');
}

export async function compareWithGenerated(_uploaded: Uint8Array, _spec: ImpressionSpec): Promise<number> {
  throw new YzError('PRODUCTION_UNAVAILABLE', 'impression comparison needs @yinzhang/seal-image, which is not available yet');
}
