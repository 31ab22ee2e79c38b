/**
 * Headers of every file download (library documents, the customer's documents, the case archive, a
 * person's export): never rendered inline, never sniffed, never cached, not readable cross-origin
 * (ASVS 5.4.1, 3.2.1). The Content-Disposition is the route's own (documents/content-disposition.ts).
 */
export const downloadHeaders = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "sandbox; default-src 'none'",
  'cache-control': 'private, no-store',
  'cross-origin-resource-policy': 'same-origin',
} as const;
