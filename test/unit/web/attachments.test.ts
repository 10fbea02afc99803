import { describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES as SERVER_MAX, ATTACHMENT_TYPES as SERVER_TYPES } from '#shared/attachments.ts';
import { ATTACHMENT_TYPES, fileProblem, isImage, linkCache, MAX_ATTACHMENT_BYTES } from '../../../web/lib/attachments.ts';

describe('client-side attachment checks', () => {
  it('match what the server accepts', () => {
    expect([...ATTACHMENT_TYPES]).toEqual([...SERVER_TYPES]);
    expect(MAX_ATTACHMENT_BYTES).toBe(SERVER_MAX);
  });

  it('refuse other types, empty files and files over 10 MB', () => {
    expect(fileProblem({ type: 'image/png', size: 120 })).toBeUndefined();
    expect(fileProblem({ type: 'application/pdf', size: MAX_ATTACHMENT_BYTES })).toBeUndefined();
    expect(fileProblem({ type: 'text/html', size: 10 })).toBe('fileType');
    expect(fileProblem({ type: '', size: 10 })).toBe('fileType');
    expect(fileProblem({ type: 'image/png', size: MAX_ATTACHMENT_BYTES + 1 })).toBe('fileSize');
    expect(fileProblem({ type: 'text/plain', size: 0 })).toBe('fileSize');
    expect(isImage({ contentType: 'image/webp' })).toBe(true);
    expect(isImage({ contentType: 'application/pdf' })).toBe(false);
  });

  it('asks for a download link once per attachment and again after a failure', async () => {
    let calls = 0;
    let fail = true;
    const link = linkCache(async (path) => {
      calls++;
      if (fail) throw new Error('down');
      return { url: `https://files.example/${path}` };
    });
    await expect(link('a')).rejects.toThrow('down');
    await Promise.resolve();
    fail = false;
    expect(await link('a')).toBe('https://files.example/a');
    expect(await link('a')).toBe('https://files.example/a');
    expect(calls).toBe(2);
  });
});
