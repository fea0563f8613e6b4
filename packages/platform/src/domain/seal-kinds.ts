/**
 * Seal kinds as named in docs/glossary.md, their class and GB/T 38540 type (1 = organisation seal, 2 = personal/
 * position seal). The five-seal set of a market entity (开封 第十二条): 公章 (legal_name), 发票专用章, 财务专用章,
 * 合同专用章, 法定代表人章.
 */
export const SEAL_KINDS = [
  'legal_name', 'department', 'branch', 'contract', 'finance', 'invoice', 'audit', 'customs', 'certificate', 'document', 'personnel',
  'legal_representative', 'operator', 'principal', 'finance_head', 'authorized_representative', 'personal',
] as const;
export type SealKind = (typeof SEAL_KINDS)[number];
export type SealClass = 'official' | 'position' | 'personal';

const POSITION: ReadonlySet<string> = new Set(['legal_representative', 'operator', 'principal', 'finance_head', 'authorized_representative']);

export const sealClass = (k: SealKind): SealClass => (k === 'personal' ? 'personal' : POSITION.has(k) ? 'position' : 'official');
/** Position and personal seals belong to a person (holderPersonId). */
export const needsHolder = (k: SealKind): boolean => sealClass(k) !== 'official';
export const sesType = (k: SealKind): number => (sealClass(k) === 'official' ? 1 : 2);

export const KIND_LABEL_ZH: Partial<Record<SealKind, string>> = {
  legal_name: '公章', contract: '合同专用章', finance: '财务专用章', invoice: '发票专用章', legal_representative: '法定代表人章',
};

export const MARKET_ENTITY_SET: SealKind[] = ['legal_name', 'invoice', 'finance', 'contract', 'legal_representative'];

export interface SealRequest { kind: SealKind; name: string; holderPersonId?: string | null; impressionMaterialId?: string | null }
