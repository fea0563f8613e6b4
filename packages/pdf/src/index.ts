/**
 * @yinzhang/pdf — PAdES signing by incremental update (visible seal, keyword, riding seal, invisible) with CMS
 * (RSA/ECDSA/SM2) or GB/T 38540 SES_Signature containers, and verification into the shared report.
 * Everything here is portable; file access and streaming hashes for Node live in `@yinzhang/pdf/node`.
 */
export { PdfDocument, openPdf, readXrefChain, findStartxref, type XrefSection, type XrefEntry, type PageInfo } from './document.js';
export { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from './objects.js';
export { MemorySource, asSource, type ByteSource } from './source.js';
export { signPdf, signPdfAppend, pdfDate, type SignPdfAppendResult, type Placement, type SignPdfOptions, type SignPdfResult, type SignatureContainer, type CoveredData } from './sign.js';
export { findSignatureFields, type SignatureField } from './fields.js';
export { findKeyword, pageChars } from './text.js';
export { rectFromTopLeftMm, pageSizeMm, MM } from './geometry.js';
export { hashRanges, bufferingHashFactory, type HashFactory, type IncrementalHash } from './byte-range.js';
export { verifyPdf, parsePdfDate, type VerifyPdfOptions, type ContainerVerifier, type ContainerVerification, type ContainerVerifyContext } from './verify.js';
export { analyseCoverage, type CoverageResult, type ObjectChange } from './coverage.js';
export { sesContainer, sesVerifier, sealPicture, SES_FILTER, SES_SUBFILTER } from './ses-container.js';
export { cmsContainer, cmsVerifier, signerSummary, CMS_FILTER, CMS_SUBFILTER, type CmsContainerOptions } from './cms-container.js';
export { readDss } from './verify.js';
export { addDss, type DssContent } from './dss.js';
export { docTimestampContainer, docTimestampVerifier, DOC_TS_SUBFILTER } from './doc-timestamp.js';
