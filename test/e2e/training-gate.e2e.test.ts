/**
 * The training requirement (上岗要求) in the console, in Chinese: a supervisor picks a required
 * scenario and a passing score in the team editor and saves; the team page then shows who
 * qualifies (达标 / 未达标 with their best scores), and the list shows the requirement. The agent
 * sees in Reports › 情景模拟 which required scenario they still have to pass. Preconditions (the
 * scenario, the supervisor's passing practice, the team) come from the API.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { api, axeViolations, type E2E, poll, signedInConsole, staffToken, TEST_MS, useE2E } from './helpers.ts';

let e2e: E2E;
useE2E((started) => (e2e = started));

async function toChinese(page: Page): Promise<void> {
  await page.locator('.topbar button[lang="zh-CN"]').click();
  await page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached' });
}

interface Session {
  sessionId: string;
  version: number;
  status: string;
  result?: { total: number };
}

/** The supervisor writes a scenario and practises it to the end (preconditions); returns its id and the score. */
async function scenarioPassedByLead(lead: string, title: string): Promise<{ scenarioId: string; score: number }> {
  const { scenario } = await api<{ scenario: { scenarioId: string } }>(e2e, lead, 'POST', '/quality/training/written-scenarios', {
    title,
    goal: '说明七天无理由退货和运费险',
    teamId: 'general',
    lines: [
      { customer: '我上周买的外套想退货，运费谁出？', keyPoints: ['七天无理由退货', '运费险'] },
      { customer: '好的，那我怎么寄回？', keyPoints: ['申请退货', '寄回地址'] },
    ],
  });
  let { session } = await api<{ session: Session }>(e2e, lead, 'POST', '/quality/training/sessions', { scenarioId: scenario.scenarioId });
  for (const text of [
    '您好，支持七天无理由退货，有运费险的话运费由保险公司承担。',
    '您在订单页申请退货后，系统会给出寄回地址。还有其他问题吗？祝您生活愉快！',
  ]) {
    ({ session } = await api<{ session: Session }>(e2e, lead, 'POST', `/quality/training/sessions/${session.sessionId}/replies`, {
      text,
      version: session.version,
    }));
  }
  expect(session.status).toBe('done');
  return { scenarioId: scenario.scenarioId, score: session.result!.total };
}

describe('training requirement (上岗要求) in the team editor', { timeout: TEST_MS }, () => {
  const stamp = Date.now().toString(36);

  test('a supervisor requires a scenario in Chinese; the team page shows who qualifies; the agent sees what to pass', async () => {
    const lead = await staffToken(e2e, 'lead@demo.kefu');
    const agent = await staffToken(e2e, 'agent@demo.kefu');
    const [leadMe, agentMe] = await Promise.all([api<{ sub: string }>(e2e, lead, 'GET', '/staff/me'), api<{ sub: string }>(e2e, agent, 'GET', '/staff/me')]);
    const title = `退货运费${stamp}`;
    const { score } = await scenarioPassedByLead(lead, title);
    const teamId = `gate-${stamp}`;
    const teamName = `上岗组${stamp}`;
    await api(e2e, lead, 'PUT', `/ticket-config/teams/${teamId}`, {
      name: { 'zh-CN': teamName, en: `Gated ${stamp}` },
      members: [leadMe.sub, agentMe.sub],
      mode: 'round_robin',
      capacity: 5,
    });

    const page = await signedInConsole(e2e, 'lead@demo.kefu');
    await toChinese(page);
    await page.getByRole('link', { name: '设置' }).click();
    await page.getByRole('link', { name: '团队', exact: true }).click();
    await page.getByRole('link', { name: teamName }).click();
    await page.getByRole('heading', { name: `团队：${teamName}` }).waitFor();
    expect(await page.getByRole('columnheader', { name: '上岗要求' }).count()).toBe(0);

    // the requirement: on, then the screen's own check, then a scenario and a passing score
    await page.getByLabel('要求先通过情景模拟再分配工作').check();
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('请至少选择一个情景。').waitFor();
    await page.getByLabel(`要求练习「${title}」`).check();
    await page.getByLabel('及格分').fill(String(score));
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('已保存。').waitFor();

    // who qualifies: the supervisor passed it with that score, the agent never practised it
    await page.getByRole('columnheader', { name: '上岗要求' }).waitFor();
    const row = (name: string) => page.locator('.grid-table tbody tr').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name}`) }) });
    const leadRow = row('Chen Wei');
    const agentRow = row('Li Na');
    await poll(async () => (await leadRow.locator('.team-qualify').getAttribute('data-qualified')) ?? '').toBe('true');
    expect(await leadRow.locator('.team-qualify .badge').textContent()).toBe('达标');
    expect(await leadRow.locator('.team-qualify li').textContent()).toBe(`${title}：${score} 分`);
    expect(await agentRow.locator('.team-qualify').getAttribute('data-qualified')).toBe('false');
    expect(await agentRow.locator('.team-qualify .badge').textContent()).toBe('未达标');
    expect(await agentRow.locator('.team-qualify li').textContent()).toBe(`${title}：未练习`);
    expect(await axeViolations(page)).toEqual([]);

    // saved on the server, and the list shows the requirement
    const config = await api<{ teams: { teamId: string; training?: unknown }[] }>(e2e, lead, 'GET', '/ticket-config');
    expect(config.teams.find((t) => t.teamId === teamId)?.training).toEqual({ scenarioIds: [expect.any(String)], passingScore: score });
    await page.getByRole('link', { name: '返回列表' }).click();
    await page.getByRole('row').filter({ hasText: teamName }).getByText(`1 个情景，及格分 ${score}`).waitFor();

    // the agent sees, in Reports › 情景模拟, the scenario they still have to pass
    const agentPage = await signedInConsole(e2e, 'agent@demo.kefu');
    await toChinese(agentPage);
    await agentPage.getByRole('link', { name: '报表' }).click();
    await agentPage.getByRole('link', { name: '情景模拟' }).click();
    const required = agentPage.locator(`.training-required-team[data-team="${teamId}"]`);
    await required.waitFor();
    expect(await required.getAttribute('data-qualified')).toBe('false');
    expect(await required.locator('li[data-passed="false"]').textContent()).toContain(title);
    expect(await required.locator('li[data-passed="false"]').textContent()).toContain('还需通过');
  });
});
