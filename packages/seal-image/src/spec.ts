/**
 * What a seal image is made of (kind, shape, texts, size) and the checks on it. Kinds and field names follow
 * docs/glossary.md so a reader can map them to the regulations.
 */
import { YzError } from '@yinzhang/gm/errors';

export const SEAL_KINDS = [
  'legal_name',
  'department',
  'branch',
  'contract',
  'finance',
  'invoice',
  'audit',
  'customs',
  'certificate',
  'document',
  'personnel',
  'legal_representative',
  'operator',
  'principal',
  'finance_head',
  'authorized_representative',
  'personal',
] as const;
export type SealKind = (typeof SEAL_KINDS)[number];

export const SEAL_SHAPES = ['round', 'oval', 'square', 'rect'] as const;
export type SealShape = (typeof SEAL_SHAPES)[number];

export interface SealSpec {
  kind: SealKind;
  /** Organisation name (round/oval seals) or person's name (square/rect seals). */
  name: string;
  /** Horizontal text below the star (special-purpose seals default to e.g. 合同专用章; department seals: the department). */
  label?: string;
  /** 印章编码: 13 digits, printed small along the lower inner edge of round seals. */
  sealCode?: string;
  /** 纳税人识别号 / 统一社会信用代码 for the invoice seal (required there). */
  taxId?: string;
  shape?: SealShape;
  /** Diameter (round), width (square, rect) or width of the oval; millimetres. */
  widthMm?: number;
  /** Height of oval and rect seals; ignored for round and square. */
  heightMm?: number;
  /** Fill colour; default seal red. */
  color?: string;
}

/** Label printed below the star for special-purpose kinds when none is given (业务专用章). */
export const DEFAULT_LABELS: Partial<Record<SealKind, string>> = {
  contract: '合同专用章',
  finance: '财务专用章',
  invoice: '发票专用章',
  audit: '审验专用章',
  customs: '报关专用章',
  certificate: '证照专用章',
  document: '公文专用章',
  personnel: '人事专用章',
};

const POSITION_KINDS: ReadonlySet<SealKind> = new Set([
  'legal_representative',
  'operator',
  'principal',
  'finance_head',
  'authorized_representative',
  'personal',
]);

export function defaultShape(kind: SealKind): SealShape {
  if (kind === 'invoice') return 'oval';
  return POSITION_KINDS.has(kind) ? 'square' : 'round';
}

/**
 * Default sizes: legal-name seals of enterprises Ø42 mm, special-purpose Ø40 mm (local public-security practice;
 * Ø38 and the government sizes Ø45/50/60 via widthMm); invoice seal 40×30 mm (国家税务总局公告2011年第7号);
 * personal/name seals 18 mm (position seals 20 mm); signature seals 10 mm high.
 */
export function defaultSize(kind: SealKind, shape: SealShape, nameLength: number): { w: number; h: number } {
  switch (shape) {
    case 'round': {
      const d = kind === 'legal_name' || kind === 'department' || kind === 'branch' ? 42 : 40;
      return { w: d, h: d };
    }
    case 'oval':
      return { w: 40, h: 30 };
    case 'square': {
      const s = kind === 'personal' ? 18 : 20;
      return { w: s, h: s };
    }
    case 'rect':
      return { w: Math.min(60, Math.max(18, nameLength * 6 + 4)), h: 10 };
  }
}

/** Bounds that still produce a legible impression; outside them the request is refused, not silently clamped. */
export const SIZE_LIMITS: Record<SealShape, { w: [number, number]; h: [number, number] }> = {
  round: { w: [20, 80], h: [20, 80] },
  oval: { w: [20, 80], h: [15, 80] },
  square: { w: [10, 60], h: [10, 60] },
  rect: { w: [10, 100], h: [5, 60] },
};

export const MAX_NAME_CHARS = 64;
export const MAX_LABEL_CHARS = 16;

export interface NormalisedSpec {
  kind: SealKind;
  shape: SealShape;
  name: string[];
  label: string[];
  sealCode: string | undefined;
  taxId: string | undefined;
  widthMm: number;
  heightMm: number;
  color: string;
}

const CONTROL = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}]/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u{FE0F}|\u{20E3}/u;
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Split into user-perceived characters after NFC; whitespace is dropped (seal makers do not carve spaces). */
function characters(field: string, text: string, max: number): string[] {
  const chars = [...text.normalize('NFC')].filter((c) => !/\s/u.test(c));
  for (const c of chars) {
    if (PICTOGRAPHIC.test(c)) {
      throw new YzError('SEAL_TEXT_UNSUPPORTED', `${field}: emoji and pictographs cannot be carved into a seal (${c})`, { field, char: c });
    }
    if (CONTROL.test(c)) {
      throw new YzError('SEAL_TEXT_UNSUPPORTED', `${field}: control or private-use character U+${c.codePointAt(0)!.toString(16).toUpperCase()}`, { field });
    }
  }
  if (chars.length > max) {
    throw new YzError('SEAL_NAME_TOO_LONG', `${field} has ${chars.length} characters; at most ${max}`, { field, length: chars.length, max });
  }
  return chars;
}

/** GB 32100 check character of an 18-character unified social credit code. */
export function usccCheckChar(first17: string): string | undefined {
  let sum = 0;
  let w = 1;
  for (const c of first17) {
    const v = USCC_CHARS.indexOf(c);
    if (v < 0) return undefined;
    sum += v * w;
    w = (w * 3) % 31;
  }
  return USCC_CHARS[(31 - (sum % 31)) % 31];
}

function checkTaxId(taxId: string): string {
  const t = taxId.trim().toUpperCase();
  // 15 / 17 / 18 / 20-character taxpayer numbers still appear on older invoices; only the 18-character USCC has a check character.
  if (!/^[0-9A-Z]{15,20}$/.test(t)) {
    throw new YzError('SEAL_BAD_TAX_ID', 'tax id must be 15 to 20 digits or capital letters (18 for a unified social credit code)');
  }
  if (t.length === 18 && usccCheckChar(t.slice(0, 17)) !== t[17]) {
    throw new YzError('SEAL_BAD_TAX_ID', 'unified social credit code check character is wrong (GB 32100)', { taxId: t });
  }
  return t;
}

function checkSize(shape: SealShape, w: number, h: number): void {
  const lim = SIZE_LIMITS[shape];
  const ok = (v: number, [lo, hi]: [number, number]) => Number.isFinite(v) && v >= lo && v <= hi;
  if (!ok(w, lim.w) || !ok(h, lim.h)) {
    throw new YzError('SEAL_BAD_SIZE', `${shape} seal size ${w}×${h} mm is outside ${lim.w[0]}–${lim.w[1]} × ${lim.h[0]}–${lim.h[1]} mm`, {
      shape,
      widthMm: w,
      heightMm: h,
    });
  }
}

export function normaliseSpec(spec: SealSpec): NormalisedSpec {
  if (!(SEAL_KINDS as readonly string[]).includes(spec.kind)) {
    throw new YzError('SEAL_KIND_UNKNOWN', `unknown seal kind ${String(spec.kind)}; one of ${SEAL_KINDS.join(', ')}`);
  }
  const shape = spec.shape ?? defaultShape(spec.kind);
  if (!(SEAL_SHAPES as readonly string[]).includes(shape)) {
    throw new YzError('SEAL_BAD_SIZE', `unknown seal shape ${String(shape)}`);
  }
  const name = characters('name', typeof spec.name === 'string' ? spec.name : '', MAX_NAME_CHARS);
  if (name.length === 0) throw new YzError('SEAL_NAME_EMPTY', 'the seal needs a name');
  const labelText = spec.label ?? (shape === 'round' || shape === 'oval' ? DEFAULT_LABELS[spec.kind] : undefined) ?? '';
  const label = characters('label', labelText, MAX_LABEL_CHARS);

  let sealCode: string | undefined;
  if (spec.sealCode !== undefined && spec.sealCode !== '') {
    sealCode = spec.sealCode.trim();
    if (!/^\d{13}$/.test(sealCode)) throw new YzError('SEAL_BAD_CODE', 'seal code (印章编码) must be exactly 13 digits');
  }
  const taxId = spec.taxId !== undefined && spec.taxId !== '' ? checkTaxId(spec.taxId) : undefined;
  if (spec.kind === 'invoice' && taxId === undefined) {
    throw new YzError('SEAL_BAD_TAX_ID', 'an invoice seal carries the taxpayer identification number (国家税务总局公告2011年第7号)');
  }

  const dflt = defaultSize(spec.kind, shape, name.length);
  const w = spec.widthMm ?? dflt.w;
  const h = shape === 'round' || shape === 'square' ? w : (spec.heightMm ?? (spec.widthMm !== undefined && shape === 'oval' ? w * 0.75 : dflt.h));
  checkSize(shape, w, h);
  if (shape === 'oval' && h > w) throw new YzError('SEAL_BAD_SIZE', 'an oval seal is wider than it is high', { widthMm: w, heightMm: h });

  const color = spec.color ?? '#e60012';
  if (!/^#[0-9a-fA-F]{6}$/.test(color)) throw new YzError('INVALID_ARGUMENT', 'colour must be #rrggbb');
  return { kind: spec.kind, shape, name, label, sealCode, taxId, widthMm: w, heightMm: h, color };
}
