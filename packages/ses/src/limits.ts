/**
 * Explicit bounds for everything parsed from untrusted seal bytes. Real seals are tens of kilobytes (the picture
 * dominates); these limits leave room for large OFD-format pictures while refusing inputs that would only waste memory.
 * The parser never copies field contents (views into the input), so memory stays bounded by the input itself.
 */
export const SesLimits = {
  /** Largest SESeal accepted (picture included). */
  maxSealBytes: 32 * 1024 * 1024,
  /** Largest SES_Signature accepted (seal + certificate + timestamp). */
  maxSignatureBytes: 40 * 1024 * 1024,
  /** Entries in a seal's certList. */
  maxCertListEntries: 256,
  /** Entries in an ExtensionDatas list. */
  maxExtDatas: 256,
  /** Text fields (names, IDs, propertyInfo). */
  maxTextBytes: 64 * 1024,
  /** Elements of any one SEQUENCE of the fixed structures (they have at most 7; extra elements are vendor noise). */
  maxElements: 16,
} as const;
