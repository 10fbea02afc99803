/**
 * The customer 360 beside a conversation, used as staff use it, in Chinese: the churn badge in the
 * conversation header and the risk's reasons in the panel, labels added and removed (and then
 * matched by a segment), a points adjustment with its reason appearing in the ledger with the
 * adjuster's name, and an export whose download link appears when it is done; an agent sees the
 * badge and the ledger but neither the adjustment form nor the privacy actions, and an erasure
 * needs the typed confirmation. Preconditions (a verified shopper's conversation, an old order
 * that makes the churn score high) come from the API; what is checked is what the screen did.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { api, axeViolations, botView, type E2E, poll, shopCall, shopUser, signedInConsole, staffToken, TEST_MS, useE2E, visitorToken } from './helpers.ts';

let e2e: E2E;
useE2E((started) => (e2e = started));

/** Switches a signed-in console to Chinese (the language button offers the other language). */
async function toChinese(page: Page): Promise<void> {
  await page.locator('.topbar button[lang="zh-CN"]').click();
  await page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached' });
}

/** Opens the conversation from the inbox's bot view (the bot alone has served it); resolves to the 360 panel. */
async function openConversation(page: Page, conversationId: string) {
  await botView(page);
  await page.locator(`a.conv[data-conversation="${conversationId}"]`).click();
  const panel = page.locator('section.c360');
  await panel.waitFor();
  return panel;
}

describe('customer 360 in a conversation', { timeout: TEST_MS }, () => {
  const stamp = Date.now().toString(36);
  const customerId = `c360e2e-${stamp}`;

  test('labels, points with a reason, churn risk and a data export from the panel; agents see less; erasure needs the typed phrase', async () => {
    // preconditions: a verified shopper asks something; one order ten months ago (a high churn risk)
    const visitor = await visitorToken(e2e, await shopUser(customerId, '王芳'));
    const { conversation } = await api<{ conversation: { conversationId: string } }>(e2e, visitor, 'POST', '/widget/conversations', {
      clientMessageId: `c360-${stamp}`,
      text: '我的积分怎么少了？',
    });
    const occurredAt = new Date(Date.now() - 300 * 86_400_000).toISOString();
    const paid = await shopCall(e2e, '/shop/events', {
      eventId: `ev-${stamp}`,
      type: 'order.paid',
      occurredAt,
      data: { orderId: `o-${stamp}`, customerId, amount: 260 },
    });
    expect(paid.status).toBe(202);
    const adminToken = await staffToken(e2e, 'admin@demo.kefu');
    const detail = await api<{ conversation: { contactId: string } }>(e2e, adminToken, 'GET', `/conversations/${conversation.conversationId}`);
    const contactId = detail.conversation.contactId;
    const contactPath = `/contacts/${contactId}`;
    await poll(async () => (await api<{ churn?: { level: string } }>(e2e, adminToken, 'GET', contactPath)).churn?.level).toBe('high');

    const admin = await signedInConsole(e2e, 'admin@demo.kefu');
    await toChinese(admin);
    const panel = await openConversation(admin, conversation.conversationId);

    // churn: a compact badge in the header, the level and its reasons in the panel
    await admin.locator('.conv-head .churn-badge', { hasText: '流失风险高' }).waitFor();
    const churn = panel.getByRole('group', { name: '流失风险' });
    await churn.getByText('流失风险高').waitFor();
    expect(await churn.getByRole('list', { name: '原因' }).getByRole('listitem').count()).toBeGreaterThan(0);
    expect(await churn.getByRole('list', { name: '原因' }).textContent()).toMatch(/[\u4e00-\u9fff]/);

    // labels: two at once (full-width letters and a Chinese comma), then one removed
    const labels = panel.getByRole('group', { name: '标签' });
    const label = `VIP${stamp}`;
    await labels.getByText('暂无标签。').waitFor();
    await labels.getByRole('button', { name: '添加', exact: true }).click();
    await labels.getByText('请先输入标签。').waitFor();
    expect(await labels.getByLabel('添加标签').getAttribute('aria-invalid')).toBe('true');
    await labels.getByLabel('添加标签').fill(`ＶＩＰ${stamp}，大客户`);
    await labels.getByRole('button', { name: '添加', exact: true }).click();
    await labels.getByText('标签已保存。').waitFor();
    await poll(() => labels.locator('.chip').allTextContents()).toEqual([`${label}×`, '大客户×']);
    expect(await labels.getByLabel('添加标签').inputValue()).toBe('');
    await labels.getByRole('button', { name: '移除标签“大客户”' }).click();
    await poll(() => labels.locator('.chip').allTextContents()).toEqual([`${label}×`]);
    const marketing = await staffToken(e2e, 'marketing@demo.kefu');
    const preview = await api<{ count: number }>(e2e, marketing, 'POST', '/segments/preview', { conditions: { labels: { any: [label] } } });
    expect(preview.count).toBe(1);

    // points: the form checks first, then the adjustment appears in the ledger with who and why
    const points = panel.getByRole('group', { name: '积分明细' });
    const form = points.getByRole('form', { name: '调整积分' });
    await form.getByLabel('积分', { exact: true }).fill('50');
    await form.getByRole('button', { name: '确认调整' }).click();
    await form.getByText('请填写原因，3 到 500 个字。').waitFor();
    expect(await form.getByLabel('原因').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('原因').fill('物流延误补偿');
    await form.getByRole('button', { name: '确认调整' }).click();
    await form.getByText(/^已调整 \+50 积分，当前余额 \d+。$/).waitFor();
    const line = points.locator('.ledger-line', { hasText: '物流延误补偿' });
    await line.waitFor();
    expect(await line.textContent()).toContain('人工调整');
    expect(await line.textContent()).toContain('+50');
    expect(await line.textContent()).toContain('操作人：Alex Kim');

    // export: progress, then the download link
    const privacy = panel.getByRole('group', { name: '隐私' });
    await privacy.getByRole('button', { name: '导出数据' }).click();
    const exportTask = privacy.locator('.c360-task[data-task="export"]');
    await exportTask.waitFor();
    const download = exportTask.getByRole('link', { name: '下载导出文件' });
    await download.waitFor();
    expect(await exportTask.getAttribute('data-state')).toBe('done');
    const bundle = (await (await fetch((await download.getAttribute('href'))!)).json()) as { contactId: string };
    expect(bundle.contactId).toBe(contactId);
    expect(await axeViolations(admin)).toEqual([]);

    // an agent: the badge, labels and the ledger, but no adjustment form and no privacy actions
    const agent = await signedInConsole(e2e, 'agent@demo.kefu');
    await toChinese(agent);
    const agentPanel = await openConversation(agent, conversation.conversationId);
    await agent.locator('.conv-head .churn-badge', { hasText: '流失风险高' }).waitFor();
    await agentPanel.locator('.ledger-line', { hasText: '物流延误补偿' }).waitFor();
    await agentPanel.getByRole('group', { name: '标签' }).locator('.chip', { hasText: label }).waitFor();
    expect(await agentPanel.getByRole('form', { name: '调整积分' }).count()).toBe(0);
    expect(await agentPanel.getByRole('button', { name: '导出数据' }).count()).toBe(0);
    expect(await agentPanel.getByRole('button', { name: '删除数据…' }).count()).toBe(0);
    await agent.context().close();

    // erasure: only after typing the phrase; then its steps as they finish
    await privacy.getByRole('button', { name: '删除数据…' }).click();
    const confirm = privacy.getByRole('button', { name: '永久删除' });
    expect(await confirm.isDisabled()).toBe(true);
    await privacy.getByLabel('请输入“永久删除”以确认').fill('删除');
    expect(await confirm.isDisabled()).toBe(true);
    await privacy.getByRole('button', { name: '取消' }).click();
    expect(await confirm.count()).toBe(0);
    await privacy.getByRole('button', { name: '删除数据…' }).click();
    await privacy.getByLabel('请输入“永久删除”以确认').fill('永久删除');
    await privacy.getByRole('button', { name: '永久删除' }).click();
    const eraseTask = privacy.locator('.c360-task[data-task="erase"]');
    await eraseTask.getByText('已完成 8/8 步').waitFor();
    await poll(() => eraseTask.getAttribute('data-state')).toBe('done');
    const erased = await api<{ profile: { name?: string }; labels: string[] }>(e2e, adminToken, 'GET', contactPath);
    expect(erased.labels).toEqual([]);
    expect(erased.profile.name).not.toBe('王芳');
  });
});
