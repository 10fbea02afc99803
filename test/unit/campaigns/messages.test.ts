import { describe, expect, it } from 'vitest';
import { planTransition } from '#shared/campaigns/lifecycle.ts';
import type { Campaign } from '#shared/campaigns/store.ts';
import { contentProblems, langOf, render } from '#shared/campaigns/template.ts';
import { confirmPage, listUnsubscribeHeaders, signUnsubscribe, unsubscribeUrl, verifyUnsubscribe } from '#shared/campaigns/unsubscribe.ts';

const key = new Uint8Array(32).fill(7);

describe('personalisation', () => {
  it('fills placeholders in the contact’s language, escaping for HTML', () => {
    expect(render('亲爱的{{name}}，送您 {{ bonusPoints }} 积分', { bonusPoints: 200 }, 'zh')).toBe('亲爱的会员，送您 200 积分');
    expect(render('Hi {{name}}', { name: '<b>Ann</b>' }, 'en', true)).toBe('Hi &lt;b&gt;Ann&lt;/b&gt;');
    expect(langOf('en-GB')).toBe('en');
    expect(langOf('zh-CN')).toBe('zh');
    expect(langOf(undefined)).toBe('zh');
  });

  it('refuses unknown placeholders and missing channel content when a campaign is saved', () => {
    const content = { widget: { zh: { title: '{{nmae}}', body: 'x' }, en: { title: 'x', body: 'x' } } };
    expect(contentProblems(content, ['widget', 'email'], 'a')).toEqual([
      expect.stringContaining('unknown placeholder {{nmae}}'),
      expect.stringContaining('content for channel "email" is missing'),
    ]);
  });
});

describe('signed unsubscribe links', () => {
  it('round-trips and refuses any alteration', () => {
    const token = signUnsubscribe({ contactId: 'con_1', campaignId: 'cmp_1' }, key);
    expect(verifyUnsubscribe(token, key)).toEqual({ contactId: 'con_1', campaignId: 'cmp_1' });
    const [payload, sig] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ c: 'con_2', k: 'cmp_1' })).toString('base64url');
    expect(verifyUnsubscribe(`${forged}.${sig}`, key)).toBeUndefined();
    expect(verifyUnsubscribe(`${payload}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`, key)).toBeUndefined();
    expect(verifyUnsubscribe(token, new Uint8Array(32).fill(8))).toBeUndefined();
    expect(verifyUnsubscribe('garbage', key)).toBeUndefined();
  });

  it('carries RFC 8058 headers and a bilingual confirmation page that POSTs', () => {
    const url = unsubscribeUrl('https://api.example.com/', 'abc.def', 'en');
    expect(url).toBe('https://api.example.com/unsubscribe?t=abc.def&lang=en');
    expect(listUnsubscribeHeaders(url)).toEqual({ 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    const page = confirmPage('en', 'abc.def');
    expect(page).toContain('method="post"');
    expect(page).toContain('Unsubscribe');
    expect(page).toContain('退订');
  });
});

describe('campaign status transitions', () => {
  const base = { status: 'draft', fanoutHop: 0, version: 1 } as Campaign;
  const now = new Date('2026-03-10T00:00:00Z');
  it('launches now or on schedule, pauses, resumes and cancels', () => {
    expect(planTransition(base, 'launch', now)).toMatchObject({ status: 'sending', kick: true, set: { startedAt: now.toISOString(), fanoutHop: 1 } });
    expect(planTransition({ ...base, schedule: { at: '2026-03-11T00:00:00Z' } }, 'launch', now)).toMatchObject({ status: 'scheduled', kick: false });
    const sending = { ...base, status: 'sending', startedAt: '2026-03-09T00:00:00Z', fanoutHop: 3 } as Campaign;
    expect(planTransition(sending, 'pause', now)).toMatchObject({ status: 'paused', set: { pausedFrom: 'sending' } });
    expect(planTransition({ ...sending, status: 'paused', pausedFrom: 'sending' }, 'resume', now)).toMatchObject({
      status: 'sending',
      kick: true,
      set: { fanoutHop: 4 },
    });
    expect(planTransition(sending, 'launch', now)).toMatch(/only a draft/);
    expect(planTransition({ ...sending, status: 'completed' }, 'cancel', now)).toMatch(/cannot be cancelled/);
  });
});
