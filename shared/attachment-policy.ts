/**
 * What shoppers and agents may attach: images and common documents, up to 10 MB. A module of plain
 * values with no imports, so the widget and console check a file with the server's own rule before
 * uploading it (and their bundles stay small).
 */
export const ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
