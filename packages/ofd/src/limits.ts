/**
 * Explicit bounds for everything read from an OFD, so that a hostile file (zip bomb, huge XML, millions of entries)
 * fails with LIMIT_EXCEEDED before it can exhaust memory. Defaults fit real invoices, contracts and 1000-page files.
 */
export interface OfdLimits {
  /** Zip entries (files and folders). */
  maxEntries: number;
  /** Uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Uncompressed size of all entries together. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio accepted for entries above ratioMinBytes (zip-bomb guard). */
  maxCompressionRatio: number;
  ratioMinBytes: number;
  /** One XML part (OFD.xml, Document.xml, pages, signatures), uncompressed. */
  maxXmlBytes: number;
  maxXmlDepth: number;
  maxXmlNodes: number;
  /** Signatures in one document, references in one signature. */
  maxSignatures: number;
  maxReferences: number;
}

export const DEFAULT_LIMITS: Readonly<OfdLimits> = Object.freeze({
  maxEntries: 20_000,
  maxEntryBytes: 256 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
  ratioMinBytes: 1024 * 1024,
  maxXmlBytes: 32 * 1024 * 1024,
  maxXmlDepth: 200,
  maxXmlNodes: 2_000_000,
  maxSignatures: 1_000,
  maxReferences: 100_000,
});

export function resolveLimits(partial?: Partial<OfdLimits>): OfdLimits {
  return { ...DEFAULT_LIMITS, ...partial };
}
