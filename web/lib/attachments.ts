// The server's own rule (a module of plain values), checked here first so the shopper hears why at once.
import { ATTACHMENT_TYPES, type AttachmentType, MAX_ATTACHMENT_BYTES } from '../../shared/attachment-policy.ts';
import type { AttachmentRef } from './types.ts';

export { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES };

/** Whether a browser file type is one the server accepts. */
export function isAttachmentType(type: string): type is AttachmentType {
  return (ATTACHMENT_TYPES as readonly string[]).includes(type);
}
/** The file input's `accept`. */
export const ATTACHMENT_ACCEPT = ATTACHMENT_TYPES.join(',');

/** Why a file cannot be attached, or undefined when it can. */
export function fileProblem(file: { type: string; size: number }): 'fileType' | 'fileSize' | undefined {
  if (!isAttachmentType(file.type)) return 'fileType';
  if (file.size < 1 || file.size > MAX_ATTACHMENT_BYTES) return 'fileSize';
  return undefined;
}

export function isImage(ref: Pick<AttachmentRef, 'contentType'>): boolean {
  return ref.contentType.startsWith('image/');
}

export interface UploadGrant {
  attachment: AttachmentRef;
  uploadUrl: string;
  method: 'PUT';
  headers: Record<string, string>;
}

/**
 * Uploads one file: asks `{base}/uploads` for a pre-signed URL (through `call`, which adds the
 * token), PUTs the file there with the signed headers (XHR, for progress) and returns the
 * attachment to put in the message.
 */
export async function uploadFile(
  call: (path: string, body: unknown) => Promise<UploadGrant>,
  base: string,
  file: File,
  onProgress?: (fraction: number) => void,
): Promise<AttachmentRef> {
  const grant = await call(`${base}/uploads`, { fileName: file.name.slice(0, 200) || 'file', contentType: file.type, size: file.size });
  await new Promise<void>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(grant.method || 'PUT', grant.uploadUrl);
    for (const [name, value] of Object.entries(grant.headers ?? {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && onProgress) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(`upload failed (${xhr.status})`)));
    xhr.onerror = () => reject(new Error('upload failed (network)'));
    xhr.send(file);
  });
  return grant.attachment;
}

/**
 * Download links of attachments, cached per attachment for a few minutes (the server's links
 * last five).
 */
export function linkCache(get: (attachmentId: string) => Promise<{ url: string }>) {
  const cache = new Map<string, { at: number; url: Promise<string> }>();
  return (attachmentId: string): Promise<string> => {
    const hit = cache.get(attachmentId);
    if (hit && Date.now() - hit.at < 240_000) return hit.url;
    const url = get(attachmentId).then((r) => r.url);
    url.catch(() => cache.delete(attachmentId));
    cache.set(attachmentId, { at: Date.now(), url });
    return url;
  };
}
