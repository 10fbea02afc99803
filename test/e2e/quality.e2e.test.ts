/**
 * The reports a supervisor reads, in Chinese as the demo team does: the per-agent performance
 * table (客服绩效) shows an agent's row after that agent answered and resolved a conversation
 * (precondition through the API), sorts by a column and opens the dashboard scoped to that agent;
 * the daily digest view (每日摘要) says where the digest goes, shows the one the schedule wrote and
 * says so for a day without one.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { api, axeViolations, type E2E, poll, signedInConsole, staffToken, TEST_MS, useE2E, visitorToken } from './helpers.ts';

let e2e: E2E;
useE2E((started) => (e2e = started));

/** Switches a signed-in console to Chinese (the language button offers the other language). */
async function toChinese(page: Page): Promise<void> {
  await page.locator('.topbar button[lang="zh-CN"]').click();
  await page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached' });
}

/** Through the API: a shopper's conversation that the demo agent (Li Na) answers and resolves. */
async function answeredAndResolvedByLiNa(text: string): Promise<void> {
  const visitor = await visitorToken(e2e);
  const agent = await staffToken(e2e, 'agent@demo.kefu');
  const { conversation } = await api<{ conversation: { conversationId: string } }>(e2e, visitor, 'POST', '/widget/conversations', {
    clientMessageId: `qa-${Date.now().toString(36)}`,
    text,
  });
  await e2e.stack.quiesce();
  const id = conversation.conversationId;
  await api(e2e, agent, 'POST', `/conversations/${id}/messages`, { text: '您好，已经为您处理好了。' });
  await api(e2e, agent, 'POST', `/conversations/${id}/status`, { status: 'resolved' });
  await e2e.stack.quiesce();
}

describe('quality reports in a real browser', { timeout: TEST_MS }, () => {
  test('客服绩效: the agent’s row counts the conversation they answered and resolved; a name opens their dashboard', async () => {
    const liNa = await api<{ sub: string }>(e2e, await staffToken(e2e, 'agent@demo.kefu'), 'GET', '/staff/me');
    await answeredAndResolvedByLiNa('我的订单还没发货');

    const lead = await signedInConsole(e2e, 'lead@demo.kefu');
    await toChinese(lead);
    await lead.getByRole('link', { name: '报表' }).click();
    await lead.getByRole('heading', { name: '服务质量' }).waitFor();
    await lead.getByRole('navigation', { name: '报表视图' }).getByRole('link', { name: '客服绩效' }).click();
    const table = lead.locator('table.agents');
    const row = table.locator(`tr[data-agent="${liNa.sub}"]`);
    await row.waitFor();
    // columns: agent, handled, replies, resolved, open now, first response mean, median, average response, resolution rate, CSAT
    const cells = row.locator('td');
    expect(await row.locator('th').textContent()).toBe('Li Na');
    await poll(() => cells.nth(0).textContent()).toBe('1');
    expect(await cells.nth(1).textContent()).toBe('1');
    expect(await cells.nth(2).textContent()).toBe('1');
    expect(await cells.nth(4).textContent()).not.toBe('–');
    expect(await cells.nth(6).textContent()).not.toBe('–');
    expect(await cells.nth(7).textContent()).toBe('100%');
    // people who answered nothing have rows too, with no rates
    const others = table.locator(`tbody tr:not([data-agent="${liNa.sub}"])`);
    expect(await others.count()).toBeGreaterThan(0);
    expect(await others.first().locator('td').nth(7).textContent()).toBe('–');

    // sorting: by name ascending puts Alex Kim first, a second click reverses it
    const byName = table.getByRole('button', { name: '客服', exact: true });
    await byName.click();
    await poll(() => table.locator('tbody tr th').first().textContent()).toBe('Alex Kim');
    await byName.click();
    await poll(() => table.locator('tbody tr th').first().textContent()).toBe('Li Na');
    expect(await axeViolations(lead)).toEqual([]);

    // a name opens the dashboard scoped to that agent
    await row.getByRole('link', { name: 'Li Na' }).click();
    await lead
      .getByRole('navigation', { name: '报表视图' })
      .getByRole('link', { name: '概览', exact: true })
      .and(lead.locator('[aria-current="page"]'))
      .waitFor();
    expect(await lead.getByLabel('范围').inputValue()).toBe(`agent#${liNa.sub}`);
    await poll(() => lead.locator('.tile[data-kpi="frt"] .tile-note').textContent()).toContain('1');
    // an agent's resolution rate is the one of the table: what they handled, resolved now
    expect(await lead.locator('.tile[data-kpi="resolution"] .tile-value').textContent()).toBe('100%');
  });

  test('每日摘要: where the digest goes, the one the schedule wrote for the shop’s yesterday, a day without one', async () => {
    const lead = await signedInConsole(e2e, 'lead@demo.kefu');
    await toChinese(lead);
    await lead.getByRole('link', { name: '报表' }).click();
    await lead.getByRole('navigation', { name: '报表视图' }).getByRole('link', { name: '每日摘要' }).click();
    const view = lead.getByRole('region', { name: '每日摘要' });
    await view.getByRole('heading', { name: '发送到哪里' }).waitFor();
    expect(await view.textContent()).toContain('只在控制台这里查看');

    await e2e.stack.scheduler.runNow('quality-daily-digest'); // precondition: the hourly job after the shop's midnight
    await view.getByRole('button', { name: '刷新' }).click();
    const body = view.locator('.digest-body');
    await body.waitFor();
    const day = await body.getAttribute('data-day');
    expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await body.getByRole('heading', { name: `${day} 的摘要` }).waitFor();
    expect(await body.textContent()).toContain('新会话');
    expect(await body.locator('table.digest-figures tbody tr').count()).toBeGreaterThan(3);
    await body.getByText('当天没有 SLA 超时。').waitFor();
    expect(await axeViolations(lead)).toEqual([]);

    // the day before has no digest: the view says so
    await lead.getByRole('link', { name: '前一天' }).click();
    await view.getByText(/没有摘要/).waitFor();
  });
});
