import type { S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod/mini';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES } from '#shared/attachment-policy.ts';
import { required } from '#shared/config.ts';
import { badRequest } from '#shared/http/errors.ts';
import { newId } from '#shared/ids.ts';
import { safeFileName } from '#shared/text/hygiene.ts';

export { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES };

const UPLOAD_SECONDS = 300;
const DOWNLOAD_SECONDS = 300;

export const UploadRequest = z.strictObject({
  fileName: z.string().check(...safeFileName(), z.minLength(1), z.maxLength(200)),
  contentType: z.enum(ATTACHMENT_TYPES, `contentType must be one of ${ATTACHMENT_TYPES.join(', ')}`),
  size: z.int().check(z.minimum(1), z.maximum(MAX_ATTACHMENT_BYTES, `size must be at most ${MAX_ATTACHMENT_BYTES} bytes`)),
});
export type UploadRequest = z.infer<typeof UploadRequest>;

/** An attachment as a message carries it (the object key is derived, never taken from a client). */
export const AttachmentRef = z.strictObject({
  attachmentId: z.string().check(z.regex(/^att_[0-9a-z]{26}$/, 'not an attachment id')),
  fileName: UploadRequest.shape.fileName,
  contentType: UploadRequest.shape.contentType,
  size: UploadRequest.shape.size,
});
export type AttachmentRef = z.infer<typeof AttachmentRef>;

interface S3 {
  sdk: typeof import('@aws-sdk/client-s3');
  getSignedUrl: typeof import('@aws-sdk/s3-request-presigner').getSignedUrl;
  client: S3Client;
}

let s3: Promise<S3> | undefined;
/**
 * The S3 SDK is imported at first use, not with this module: the chat path (message schemas and
 * `verifyUploaded`, which runs only for messages with attachments) must not pay for loading it on
 * every cold start (test/infra/chat-bundles.test.ts). Path-style addressing works both in AWS and
 * against the local runtime's S3 endpoint. Checksums only when required: otherwise the SDK signs a
 * CRC32 of the (empty) presign-time body into the upload URL and S3 rejects the real upload.
 */
function s3Sdk(): Promise<S3> {
  s3 ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/s3-request-presigner')]).then(
    ([sdk, presigner]) => ({
      sdk,
      getSignedUrl: presigner.getSignedUrl,
      client: new sdk.S3Client({ forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
    }),
    (err: unknown) => {
      s3 = undefined;
      throw err;
    },
  );
  return s3;
}

/** The object key of an attachment: scoped to its conversation, so ownership checks cover it. */
export function attachmentKey(conversationId: string, attachmentId: string): string {
  return `attachments/${conversationId}/${attachmentId}`;
}

/**
 * A pre-signed PUT that only accepts exactly the declared type and size (both are signed
 * headers), valid for five minutes.
 */
export async function createUpload(conversationId: string, file: UploadRequest, now = new Date()) {
  const attachmentId = newId('att', now.getTime());
  const { sdk, getSignedUrl, client } = await s3Sdk();
  const command = new sdk.PutObjectCommand({
    Bucket: required('ATTACHMENTS_BUCKET'),
    Key: attachmentKey(conversationId, attachmentId),
    ContentType: file.contentType,
    ContentLength: file.size,
  });
  const uploadUrl = await getSignedUrl(client, command, {
    expiresIn: UPLOAD_SECONDS,
    signableHeaders: new Set(['content-type', 'content-length']),
  });
  return {
    attachment: { attachmentId, fileName: file.fileName, contentType: file.contentType, size: file.size } satisfies AttachmentRef,
    uploadUrl,
    method: 'PUT' as const,
    headers: { 'content-type': file.contentType },
    expiresAt: new Date(now.getTime() + UPLOAD_SECONDS * 1000).toISOString(),
  };
}

/** Refuses attachments that were never uploaded (or differ from what was declared). */
export async function verifyUploaded(conversationId: string, refs: AttachmentRef[]): Promise<void> {
  if (refs.length === 0) return;
  const { sdk, client } = await s3Sdk();
  for (const ref of refs) {
    try {
      const head = await client.send(
        new sdk.HeadObjectCommand({ Bucket: required('ATTACHMENTS_BUCKET'), Key: attachmentKey(conversationId, ref.attachmentId) }),
      );
      if (head.ContentLength !== ref.size || head.ContentType !== ref.contentType) {
        throw badRequest({
          en: `attachment ${ref.attachmentId} does not match its upload (type or size)`,
          zh: `附件 ${ref.attachmentId} 与上传的文件不符（类型或大小）`,
        });
      }
    } catch (error) {
      if ((error as { status?: number }).status === 400) throw error;
      const name = (error as Error).name;
      if (name === 'NotFound' || name === 'NoSuchKey' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
        throw badRequest({
          en: `attachment ${ref.attachmentId} was not uploaded; PUT the file to its uploadUrl first`,
          zh: `附件 ${ref.attachmentId} 尚未上传，请先将文件 PUT 到它的 uploadUrl`,
        });
      }
      throw error;
    }
  }
}

/**
 * A short-lived download link. `Content-Disposition: attachment` makes a browser save rather than
 * render the file when opened directly; `<img>` still displays the allowed image types.
 */
export async function downloadUrl(conversationId: string, attachmentId: string, now = new Date()) {
  const { sdk, getSignedUrl, client } = await s3Sdk();
  const url = await getSignedUrl(
    client,
    new sdk.GetObjectCommand({
      Bucket: required('ATTACHMENTS_BUCKET'),
      Key: attachmentKey(conversationId, attachmentId),
      ResponseContentDisposition: 'attachment',
    }),
    { expiresIn: DOWNLOAD_SECONDS },
  );
  return { url, expiresAt: new Date(now.getTime() + DOWNLOAD_SECONDS * 1000).toISOString() };
}

const EXPORT_DOWNLOAD_SECONDS = 900;

/** Writes a data-export bundle (JSON) under its own `exports/` prefix of the attachments bucket. */
export async function putExportBundle(key: string, json: string): Promise<void> {
  const { sdk, client } = await s3Sdk();
  await client.send(new sdk.PutObjectCommand({ Bucket: required('ATTACHMENTS_BUCKET'), Key: key, Body: json, ContentType: 'application/json; charset=utf-8' }));
}

/** A 15-minute download link of an export bundle (saved as a file, never rendered). */
export async function exportDownloadUrl(key: string, now = new Date()) {
  const { sdk, getSignedUrl, client } = await s3Sdk();
  const url = await getSignedUrl(
    client,
    new sdk.GetObjectCommand({ Bucket: required('ATTACHMENTS_BUCKET'), Key: key, ResponseContentDisposition: 'attachment; filename="kefu-export.json"' }),
    { expiresIn: EXPORT_DOWNLOAD_SECONDS },
  );
  return { url, expiresAt: new Date(now.getTime() + EXPORT_DOWNLOAD_SECONDS * 1000).toISOString() };
}

/** Deletes objects by key (erasure); deleting a missing object is not an error in S3. */
export async function deleteObjects(objectKeys: readonly string[]): Promise<void> {
  if (objectKeys.length === 0) return;
  const { sdk, client } = await s3Sdk();
  for (const Key of objectKeys) await client.send(new sdk.DeleteObjectCommand({ Bucket: required('ATTACHMENTS_BUCKET'), Key }));
}
