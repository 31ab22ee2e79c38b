/**
 * Where a document is downloaded: by staff (documents/routes.ts), and from the customer page
 * (customer-page/routes.ts, only what the page shows). Message attachments link to these too.
 */

/** Staff download path of a document. */
export const staffDownloadUrl = (documentId: string) => `/api/documents/${documentId}/download`;

/** Path of a document the customer may download (shared, a report, or a message's file). */
export const customerDocumentUrl = (documentId: string) => `/api/customer/documents/${documentId}/download`;
