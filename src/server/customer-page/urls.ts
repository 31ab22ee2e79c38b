/** Path of a document the customer may download (shared, a report, or a message's file). */
export const customerDocumentUrl = (documentId: string) => `/api/customer/documents/${documentId}/download`;
