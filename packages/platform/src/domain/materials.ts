/** Uploaded application materials: declared type must be one we accept AND match the file's magic bytes. */
import { createHash } from 'node:crypto';
import { YzError } from '@yinzhang/gm';

const TYPES: Record<string, (b: Uint8Array) => boolean> = {
  'application/pdf': (b) => b.length > 5 && Buffer.from(b.subarray(0, 5)).toString('latin1') === '%PDF-',
  'image/png': (b) => b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'application/ofd': (b) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04,
};
export const MATERIAL_TYPES = Object.keys(TYPES);

export function checkMaterial(contentType: string, data: Uint8Array): void {
  const sniff = TYPES[contentType];
  if (!sniff) throw new YzError('UPLOAD_TYPE_REJECTED', `file type ${contentType} not accepted (allowed: ${MATERIAL_TYPES.join(', ')})`);
  if (data.length === 0) throw new YzError('UPLOAD_TYPE_REJECTED', 'empty file');
  if (!sniff(data)) throw new YzError('UPLOAD_TYPE_REJECTED', `file content is not ${contentType}`);
}

export const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
