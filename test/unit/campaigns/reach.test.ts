import { describe, expect, it } from 'vitest';
import { emptyReach, noReachableMembers, noReachableText, reachableChannels, requestLang, tallyReach } from '#shared/campaigns/reach.ts';
import { contentIssues } from '#shared/campaigns/template.ts';
import { DEFAULT_CHURN_SETTINGS, levelOf } from '#shared/churn/score.ts';
import { relevelSteps, thresholdProblem } from '#shared/churn/thresholds.ts';
import { keys } from '#shared/store/keys.ts';

describe('who a campaign reaches', () => {
  it('needs consent on one of the campaign’s channels, and an address when email is the only one', () => {
    const channels = ['widget', 'email'] as const;
    expect(reachableChannels({ channels: [...channels] }, { consent: {} })).toEqual({ reason: 'no_consent' });
    expect(reachableChannels({ channels: [...channels] }, { consent: { webhook: 'granted' } })).toEqual({ reason: 'no_consent' });
    expect(reachableChannels({ channels: [...channels] }, { consent: { widget: 'revoked', email: 'revoked' }, email: 'a@b.c' })).toEqual({
      reason: 'no_consent',
    });
    expect(reachableChannels({ channels: [...channels] }, { consent: { email: 'granted' } })).toEqual({ reason: 'no_address' });
    expect(reachableChannels({ channels: [...channels] }, { consent: { email: 'granted', widget: 'granted' } })).toEqual({ channels: ['widget'] });
    const reach = emptyReach();
    for (const consent of [{}, { email: 'granted' as const }, { widget: 'granted' as const }, { widget: 'revoked' as const }])
      tallyReach(reach, channels, { consent });
    expect(reach).toEqual({ reachable: 1, suppressed: { no_consent: 2, no_address: 1 } });
  });

  it('refuses a launch to nobody with 422 in the reader’s language, both kept in the details', () => {
    const reach = { reachable: 0, suppressed: { no_consent: 4, no_address: 1 } };
    const zh = noReachableMembers(5, reach, requestLang('zh-CN,zh;q=0.9'));
    expect(zh.status).toBe(422);
    expect(zh.code).toBe('no_reachable_members');
    expect(zh.message).toBe(noReachableText(5, reach).zh);
    expect(zh.message).toContain('4 位未同意');
    expect(zh.message).toContain('1 位没有邮箱地址');
    expect(zh.message).not.toMatch(/[A-Za-z]{3,}/);
    expect(noReachableMembers(5, reach, requestLang(undefined)).message).toMatch(/^Cannot launch: none of the 5 members/);
    expect(requestLang('en-US')).toBe('en');
    expect(noReachableText(0, emptyReach()).zh).toContain('没有会员');
    expect(noReachableText(3, { reachable: 0, suppressed: { no_consent: 3, no_address: 0 } }).en).not.toContain('email address');
  });

  it('content problems sit at the body path of their field, in both languages', () => {
    const issues = contentIssues(
      { widget: { zh: { title: '{{nmae}}', body: 'x' }, en: { title: 'x', body: '{{points}} {{pionts}}' } } },
      ['widget', 'email'],
      'b',
      1,
    );
    expect(issues.map((i) => i.path)).toEqual(['variants.1.content.widget.zh.title', 'variants.1.content.widget.en.body', 'variants.1.content.email']);
    expect(issues[0]?.zh).toContain('未知的占位符 {{nmae}}');
    expect(issues[1]?.en).toContain('unknown placeholder {{pionts}}');
    expect(issues[2]?.zh).toContain('电子邮件');
  });
});

describe('applying churn thresholds to stored levels', () => {
  const risks = Array.from({ length: 1001 }, (_, i) => i / 1000);
  const inRange = (sk: string, bound: { to: string } | { from: string }) => ('to' in bound ? sk < bound.to : sk >= bound.from);

  it.each([
    [DEFAULT_CHURN_SETTINGS, { mediumAt: 0.6, highAt: 0.75 }],
    [{ mediumAt: 0.6, highAt: 0.75 }, DEFAULT_CHURN_SETTINGS],
    [DEFAULT_CHURN_SETTINGS, { mediumAt: 0.1234, highAt: 0.3333 }],
    [
      { mediumAt: 0.01, highAt: 0.02 },
      { mediumAt: 0.98, highAt: 0.99 },
    ],
  ])('the range queries find every member whose level changes (from %o to %o)', (from, to) => {
    const steps = relevelSteps(to);
    for (const risk of risks) {
      const old = levelOf(risk, from);
      const next = levelOf(risk, to);
      const sk = keys.churnListing(old, risk, 'con_x').gsi2sk;
      const found = steps.some((s) => s.level === old && inRange(sk, s.bound));
      if (old !== next) expect(found, `risk ${risk}: ${old} → ${next}`).toBe(true);
    }
  });

  it('refuses medium at or above high, with the message at the field in both languages', () => {
    expect(thresholdProblem({ mediumAt: 0.4, highAt: 0.7 })).toBeUndefined();
    expect(thresholdProblem({ mediumAt: 0.7, highAt: 0.7 })).toMatchObject({ path: 'mediumAt', zh: '中风险的起点必须低于高风险的起点' });
  });
});
