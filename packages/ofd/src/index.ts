/**
 * @yinzhang/ofd — OFD (GB/T 33190) packages: safe reading (zip and XML limits), the document model, stamp annotations
 * (position, keyword, riding seal), signing (Type="Seal" with GB/T 38540 SES_Signature, Type="Sign" with GB/T 35275
 * SignedData) and verification into the shared report (docs/verification-report.md).
 */
export { DEFAULT_LIMITS, resolveLimits, type OfdLimits } from './limits.js';
export { ZipArchive, writeZip, crc32, type ZipEntry, type ZipOutputEntry } from './zip.js';
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
export { signOfdWithSeal, signOfdWithCms, type SignOfdCommon, type SignOfdWithSealOptions } from './sign-ofd.js';
