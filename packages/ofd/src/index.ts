/**
 * @yinzhang/ofd — OFD (GB/T 33190) packages: safe reading (zip and XML limits), the document model, stamp annotations
 * (position, keyword, riding seal), signing (Type="Seal" with GB/T 38540 SES_Signature, Type="Sign" with GB/T 35275
 * SignedData) and verification into the shared report (docs/verification-report.md).
 * This is the Node entry: it installs zlib's native codec. `@yinzhang/ofd/portable` has the browser-safe part.
 */
import { nodeZipCodec } from './node-codec.js';
import { setZipCodec } from './zip.js';

setZipCodec(nodeZipCodec);

export * from './portable.js';
export { signOfdWithSeal, signOfdWithCms, tsaTimestamper, type SignOfdCommon, type SignOfdWithSealOptions } from './sign-ofd.js';
export { nodeZipCodec } from './node-codec.js';
