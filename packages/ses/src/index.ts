/**
 * @yinzhang/ses — electronic seals (SESeal) and seal signatures (SES_Signature): GB/T 38540-2020 (V4),
 * GM/T 0031-2014 (V1) and GM/T 0031-2025 (V5). Build, parse leniently over the bytes received, verify (§6.3 / §7.3).
 * Parsing and verification import no Node-only module; building signs through a gm `Signer`.
 */
export type {
  SesVersion, SesHeader, ExtData, CertListEntry, SealProperty, SealPicture, ParsedSeal, TbsSign, ParsedSesSignature,
} from './model.js';
export { SesLimits } from './limits.js';
export { parseSeal, parseSesSignature, looksLikeSes, STRUCTURE } from './parse.js';
export {
  verifySeal, verifySesSignature, toSignatureReport, sealSummary, signerInCertList,
  type SealVerifyOptions, type SesVerifyOptions, type SesVerification,
} from './verify.js';
export { buildSeal, buildSesSignature, encodeExtDatas, type BuildSealOptions, type BuildSesSignatureOptions } from './build.js';
export { eslToDer, importEsl, exportEsl } from './esl.js';
export { verifySealFile, type SealFileVerifyOptions } from './report.js';
