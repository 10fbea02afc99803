/**
 * The logger's second line of defence: a string that reaches a log line (an error message quoting
 * its input, a stray attribute) has phone, card and ID numbers and emails masked.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '#shared/log.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('log lines', () => {
  it('mask personal data in messages, attributes and errors, and keep ids and counts readable', () => {
    const lines: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
    }
    const log = logger.createChild({ logLevel: 'INFO' });
    log.info('reply failed for 13812345678', { conversationId: 'conv_01jc0000000000000000000000', count: 3, note: '卡号 6222021234567894' });
    log.error('send failed', new Error('bad address wang.fang@example.com'));
    const text = lines.join('');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(text).toContain('138****5678');
    expect(text).toContain('6222 **** **** 7894');
    expect(text).toContain('w***@example.com');
    expect(text).not.toMatch(/13812345678|6222021234567894|wang\.fang@/);
    expect(text).toContain('conv_01jc0000000000000000000000');
    expect(text).toContain('"count":3');
  });
});
