/**
 * OFD locations (ST_Loc, GB/T 33190 §7.1): absolute ones start at the package root, relative ones at the folder of
 * the file that names them (so a BaseLoc in Signatures.xml is relative to the Signatures.xml folder). Results are
 * normalised package names without a leading slash; anything climbing above the root is refused.
 */
import { ErrorCode, YzError } from '@yinzhang/gm/portable';

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function resolveLoc(loc: string, baseDir: string): string {
  const clean = loc.trim().replace(/\\/g, '/');
  if (clean === '' || clean.includes('\0') || /^[a-zA-Z]:/.test(clean) || /^[a-z]+:\/\//i.test(clean)) {
    throw new YzError(ErrorCode.OFD_UNSAFE_PATH, `unsupported location ${JSON.stringify(loc)}`, { loc });
  }
  const start = clean.startsWith('/') ? [] : baseDir.split('/').filter(Boolean);
  const out = start;
  for (const seg of clean.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) throw new YzError(ErrorCode.OFD_UNSAFE_PATH, `location escapes the package: ${JSON.stringify(loc)}`, { loc });
      out.pop();
    } else {
      out.push(seg);
    }
  }
  if (out.length === 0) throw new YzError(ErrorCode.OFD_UNSAFE_PATH, `empty location ${JSON.stringify(loc)}`, { loc });
  return out.join('/');
}

/** The absolute form written into OFD files (`/Doc_0/...`). */
export function absLoc(name: string): string {
  return `/${name}`;
}
