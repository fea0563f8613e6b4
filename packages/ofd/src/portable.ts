/**
 * The portable part of @yinzhang/ofd (no Node-only import): reading, model, keyword search, placement, signature
 * writing with a caller-supplied signed value, verification. Uses fflate unless a faster codec is installed.
 */
export { DEFAULT_LIMITS, resolveLimits, type OfdLimits } from './limits.js';
export { ZipArchive, writeZip, crc32, setZipCodec, portableZipCodec, type ZipCodec, type ZipEntry, type ZipOutputEntry } from './zip.js';
export { parseXml, decodeXml, type XmlElement } from './xml.js';
export { resolveLoc } from './paths.js';
export {
  OfdPackage, parseBox, type DocBody, type DocumentInfo, type PageInfo, type SignaturesInfo, type SignatureEntry,
  type SignatureInfo, type StampAnnotInfo, type ReferenceInfo,
} from './package.js';
export { checkReferences, checkAlgorithm, type ReferenceResult } from './references.js';
export { createOfd, type CreateOfdOptions } from './create.js';
export { findKeyword, pageGlyphs, type KeywordHit } from './text.js';
export { computePlacements, type Placement, type StampPlacement } from './stamp.js';
export { addSignature, type AddSignatureOptions, type AddSignatureResult, type SignMode, type SignatureType, type SignedValueRequest } from './sign.js';
export { verifyOfd, extractSealPictures, type VerifyOfdOptions } from './verify.js';
