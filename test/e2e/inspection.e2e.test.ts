/**
 * Quality inspection (质检) in a real browser, in Chinese: a reply with a forbidden word (sent
 * through the API as a precondition, then the sweep schedule run) is flagged; a supervisor opens
 * 质检, finds the conversation in the review sample, opens it, sees the flagged reply, scores it
 * with the scorecard (the flagged item is suggested as not met) and comments; the agent it is
 * credited to opens 我的质检, sees the score and acknowledges it. Scenario training (情景模拟): the
 * supervisor turns a past conversation into a scenario from its inspection; the agent practises it
 * offline (the simulated shopper replays it) and gets a score and a debrief with the model answers;
 * the practice then shows in the agent's own progress and in the supervisor's progress view.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { api, axeViolations, type E2E, poll, signedInConsole, staffToken, TEST_MS, useE2E, visitorToken } from './helpers.ts';

let e2e: E2E;
useE2E((started) => (e2e = started));

async function toChinese(page: Page): Promise<void> {
  await page.locator('.topbar button[lang="zh-CN"]').click();
  await page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached' });
}

/** Opens a tab of the Reports section (报表). */
async function reportsTab(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name: '报表' }).click();
  await page.getByRole('navigation', { name: '报表视图' }).getByRole('link', { name, exact: true }).click();
}

describe('quality inspection in a real browser', { timeout: TEST_MS }, () => {
  test('a supervisor scores a flagged conversation in 质检; the agent sees the result in 我的质检 and acknowledges it', async () => {
    // precondition: Chen Wei (agent and team lead) answers a shopper with a forbidden word; the sweep inspects it
    const visitor = await visitorToken(e2e);
    const chenWei = await staffToken(e2e, 'lead@demo.kefu');
    const { conversation } = await api<{ conversation: { conversationId: string } }>(e2e, visitor, 'POST', '/widget/conversations', {
      clientMessageId: `insp-${Date.now().toString(36)}`,
      text: '这件还能便宜点吗？',
    });
    await e2e.stack.quiesce();
    const id = conversation.conversationId;
    await api(e2e, chenWei, 'POST', `/conversations/${id}/messages`, { text: '您好，不能便宜，爱 买 不 买。' });
    await e2e.stack.quiesce();
    await e2e.stack.scheduler.runNow('inspection-sweep');

    // the supervisor (Alex Kim) opens 质检 in Chinese and finds the flagged conversation in the sample
    const admin = await signedInConsole(e2e, 'admin@demo.kefu');
    await toChinese(admin);
    await reportsTab(admin, '质检');
    const row = admin.locator(`table.inspection-sample tr[data-conversation="${id}"]`);
    await row.waitFor();
    expect(await row.locator('th').textContent()).toBe('Chen Wei');
    expect(await row.textContent()).toContain('自动标记');
    expect(await row.textContent()).toContain('违禁词');
    expect(await row.getAttribute('data-status')).toBe('pending');
    expect(await axeViolations(admin)).toEqual([]);

    // the review: the flagged reply is marked in the transcript, the flagged item is suggested as not met
    await row.getByRole('link', { name: '打开并评分' }).click();
    await admin.getByRole('heading', { name: 'Chen Wei 的会话质检' }).waitFor();
    const flagged = admin.locator('.inspection-transcript .insp-msg.flagged');
    await flagged.waitFor();
    expect(await flagged.textContent()).toContain('违禁词：爱买不买');
    const language = admin.getByLabel('违禁词/敏感词（10）');
    expect(await language.inputValue()).toBe('0');
    expect(await admin.getByLabel('问候（10）').inputValue()).toBe('100');
    await admin.getByLabel('理解问题（20）').selectOption({ label: '部分达标' });
    await admin.getByLabel('给客服的评语').fill('不能对顾客说“爱买不买”。');
    await admin.getByRole('button', { name: '保存评分' }).click();
    await admin.getByRole('status').filter({ hasText: '得分 80/100：合格。' }).waitFor();
    expect(await admin.locator('.inspection-result').getAttribute('data-passed')).toBe('true');
    expect(await axeViolations(admin)).toEqual([]);

    // back in the list the conversation is scored
    await admin.getByRole('link', { name: '返回抽检清单' }).click();
    await poll(() => admin.locator(`table.inspection-sample tr[data-conversation="${id}"]`).getAttribute('data-status')).toBe('reviewed');

    // the agent (Chen Wei) sees the result in 我的质检 and acknowledges it
    const agent = await signedInConsole(e2e, 'lead@demo.kefu');
    await toChinese(agent);
    await reportsTab(agent, '我的质检');
    const mine = agent.locator(`table.inspection-sample tr[data-conversation="${id}"]`);
    await mine.waitFor();
    expect(await mine.textContent()).toContain('结果：80/100，合格');
    expect(await mine.textContent()).toContain('尚未答复');
    await mine.getByRole('link', { name: '查看结果' }).click();
    await agent.locator('.inspection-result').waitFor();
    expect(await agent.locator('.inspection-score').textContent()).toContain('不能对顾客说“爱买不买”。');
    await agent.getByRole('button', { name: '确认结果' }).click();
    await agent.getByRole('status').filter({ hasText: '已记录您的答复：已确认。' }).waitFor();
    await agent.getByRole('link', { name: '返回我的质检' }).click();
    await poll(() => agent.locator(`table.inspection-sample tr[data-conversation="${id}"]`).textContent()).toContain('已确认');
  });

  test('情景模拟: a supervisor turns a conversation into a scenario; the agent practises it offline and gets a score and a debrief', async () => {
    // precondition: a two-turn conversation Chen Wei answered (the first reply has no greeting: flagged, so sampled)
    const visitor = await visitorToken(e2e);
    const chenWei = await staffToken(e2e, 'lead@demo.kefu');
    const { conversation } = await api<{ conversation: { conversationId: string } }>(e2e, visitor, 'POST', '/widget/conversations', {
      clientMessageId: `trn-${Date.now().toString(36)}`,
      text: '快递三天没动了，怎么回事？',
    });
    await e2e.stack.quiesce();
    const id = conversation.conversationId;
    await api(e2e, chenWei, 'POST', `/conversations/${id}/messages`, { text: '我帮您联系快递公司催件，今天会派送。' });
    await api(e2e, visitor, 'POST', `/widget/conversations/${id}/messages`, { text: '好的谢谢' });
    await api(e2e, chenWei, 'POST', `/conversations/${id}/messages`, { text: '不客气，还有其他问题吗？祝您生活愉快！' });
    await e2e.stack.quiesce();
    await e2e.stack.scheduler.runNow('inspection-sweep');

    // the supervisor makes it a scenario from its inspection
    const admin = await signedInConsole(e2e, 'admin@demo.kefu');
    await toChinese(admin);
    await reportsTab(admin, '质检');
    await admin.locator(`table.inspection-sample tr[data-conversation="${id}"]`).getByRole('link', { name: '打开并评分' }).click();
    await admin.getByRole('heading', { name: '转为情景模拟' }).waitFor();
    const title = `物流催件 ${Date.now().toString(36)}`;
    await admin.getByLabel('情景标题').fill(title);
    await admin.getByLabel('练习目标').fill('安抚顾客并给出派送时间');
    await admin.getByRole('button', { name: '创建情景' }).click();
    await admin
      .getByRole('status')
      .filter({ hasText: `已创建情景“${title}”，共 2 条顾客消息` })
      .waitFor();

    // the agent practises it: the shopper opens, a reply that misses the point is asked again, the last reply scores it
    const agent = await signedInConsole(e2e, 'lead@demo.kefu');
    await toChinese(agent);
    await reportsTab(agent, '情景模拟');
    await agent.locator('table.training-scenarios tr', { hasText: title }).getByRole('button', { name: '开始练习' }).click();
    await agent.getByRole('heading', { name: `练习：${title}` }).waitFor();
    const lines = agent.locator('.training-practice .insp-msg');
    await poll(() => lines.last().textContent()).toContain('快递三天没动了，怎么回事？');
    const send = async (text: string) => {
      const before = await lines.count();
      await agent.getByLabel('您的回复').fill(text);
      await agent.getByRole('button', { name: '发送' }).click();
      await poll(() => lines.count()).toBeGreaterThan(before + 1);
    };
    await send('稍等');
    expect(await lines.last().textContent()).toContain('您还没回答我的问题');
    await send('您好，我马上联系快递公司催件，今天会派送。');
    expect(await lines.last().textContent()).toContain('好的谢谢');
    await agent.getByLabel('您的回复').fill('不客气，还有其他问题吗？祝您生活愉快！');
    await agent.getByRole('button', { name: '发送' }).click();
    await agent.getByRole('status').filter({ hasText: '练习结束：' }).waitFor();
    const debrief = agent.locator('table.debrief');
    await debrief.waitFor();
    expect(await debrief.textContent()).toContain('我帮您联系快递公司催件，今天会派送。');
    // the model answer comes with what the help centre says about the shopper's question
    expect(await debrief.locator('tbody tr').first().locator('.kb-passage').textContent()).toMatch(/^知识库《.+》：/);
    const score = (await agent.locator('.training-debrief .inspection-result').textContent())?.match(/结果：(\d+(?:\.\d)?)\/100/)?.[1];
    expect(score).toBeDefined();
    expect(await axeViolations(agent)).toEqual([]);

    // the agent's own progress lists the scenario with that score
    await agent.getByRole('button', { name: '返回情景列表' }).click();
    const own = agent.locator('table.training-progress-scenarios tr', { hasText: title });
    await own.waitFor();
    expect(await own.locator('td').first().textContent()).toBe(score);

    // the supervisor sees Chen Wei's practice in 情景模拟's progress view
    await reportsTab(admin, '情景模拟');
    await admin.getByRole('heading', { name: '客服练习情况' }).waitFor();
    const practised = admin.locator('table.training-progress-sessions tr', { hasText: title });
    await practised.waitFor();
    expect(await practised.locator('th').textContent()).toBe('Chen Wei');
    expect(await practised.textContent()).toContain(score);
    expect(await admin.locator('table.training-progress-agents tr', { hasText: 'Chen Wei' }).textContent()).toContain(`${title}：${score}`);
    expect(await axeViolations(admin)).toEqual([]);
  });
});
