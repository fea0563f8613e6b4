/**
 * `yinzhang sign` / `verify` detect the document format from its content, never from the file name (docs/cli.md):
 * OFD = a zip archive (its OFD.xml is checked when it is opened), PDF = `%PDF-` in the first KiB, seal = a DER SEQUENCE.
 */
export type DocumentFormat = 'ofd' | 'pdf' | 'seal';

export function detectFormat(bytes: Uint8Array): DocumentFormat | undefined {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05) && (bytes[3] === 0x04 || bytes[3] === 0x06)) {
    return 'ofd';
  }
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (head.includes('%PDF-')) return 'pdf';
  if (bytes[0] === 0x30) return 'seal';
  return undefined;
}
