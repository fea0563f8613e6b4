/**
 * Where a seal goes: StampAnnot elements (GB/T 33190 §18.2.2) with PageRef = the page's object ID and Boundary in mm
 * from the page's top-left corner. A riding seal (骑缝章) puts one StampAnnot on every page, each showing one vertical
 * slice of the seal (Clip, in the seal's own coordinates) at the right edge, so the slices join when the pages are
 * fanned out.
 */
import { ErrorCode, YzError } from '@yinzhang/gm/portable';
import type { OfdPackage, PageInfo } from './package.js';
import { findKeyword } from './text.js';

export interface StampPlacement {
  pageRef: string;
  boundary: [number, number, number, number];
  clip?: [number, number, number, number];
}

export type Placement =
  /** page: 1-based; x, y: the seal's top-left corner in mm from the page's top-left corner. */
  | { kind: 'at'; page: number; x: number; y: number }
  /** Centre the seal on every occurrence of the keyword (or only the first, with `first`). */
  | { kind: 'keyword'; keyword: string; first?: boolean }
  /** Riding seal over the given pages (default all), at vertical position y (default centred). */
  | { kind: 'riding'; y?: number; pages?: number[] }
  /** Bottom right of the given page (default: the last), 20 mm from the right edge and 30 mm from the bottom. */
  | { kind: 'default'; page?: number }
  | { kind: 'none' };

function pageAt(pages: PageInfo[], n: number): PageInfo {
  const p = pages[n - 1];
  if (!Number.isInteger(n) || !p) {
    throw new YzError(ErrorCode.OFD_PAGE_OUT_OF_RANGE, `page ${n} does not exist (the document has ${pages.length})`, { page: n, pages: pages.length });
  }
  return p;
}

const r3 = (n: number) => Math.round(n * 1000) / 1000;

export function computePlacements(pkg: OfdPackage, pages: PageInfo[], placement: Placement, width: number, height: number): StampPlacement[] {
  switch (placement.kind) {
    case 'none':
      return [];
    case 'default': {
      const p = placement.page !== undefined ? pageAt(pages, placement.page) : pages[pages.length - 1];
      if (!p) throw new YzError(ErrorCode.OFD_PAGE_OUT_OF_RANGE, 'the document has no pages');
      return [{ pageRef: p.id, boundary: [r3(Math.max(0, p.width - width - 20)), r3(Math.max(0, p.height - height - 30)), width, height] }];
    }
    case 'at': {
      const p = pageAt(pages, placement.page);
      return [{ pageRef: p.id, boundary: [r3(placement.x), r3(placement.y), width, height] }];
    }
    case 'keyword': {
      const hits = findKeyword(pkg, pages, placement.keyword);
      if (hits.length === 0) {
        throw new YzError(ErrorCode.OFD_KEYWORD_NOT_FOUND, `keyword ${JSON.stringify(placement.keyword)} not found`, { keyword: placement.keyword });
      }
      return (placement.first ? hits.slice(0, 1) : hits).map((h) => ({
        pageRef: h.page.id,
        boundary: [r3(h.x + h.width / 2 - width / 2), r3(h.y + h.height / 2 - height / 2), width, height],
      }));
    }
    case 'riding': {
      const chosen = placement.pages ? placement.pages.map((n) => pageAt(pages, n)) : pages;
      if (chosen.length === 0) throw new YzError(ErrorCode.OFD_PAGE_OUT_OF_RANGE, 'the document has no pages');
      const slice = width / chosen.length;
      return chosen.map((p, i) => {
        const y = placement.y ?? (p.height - height) / 2;
        return {
          pageRef: p.id,
          boundary: [r3(p.width - slice * (i + 1)), r3(y), width, height],
          clip: [r3(slice * i), 0, r3(slice), height],
        };
      });
    }
  }
}
