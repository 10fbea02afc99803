/**
 * Privacy protection as staff meet it, in Chinese: an agent sees the shopper's phone and email
 * masked in the customer 360 (and the phone masked in the thread) with no way to reveal them; a
 * supervisor reveals the full details only after giving a reason; an admin finds that reveal, with
 * its reason, under Settings › 访问日志. Preconditions (a verified shopper with a phone number and a
 * conversation) come from the API; what is checked is what the screens did.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { api, axeViolations, botView, type E2E, poll, shopCall, shopUser, signedInConsole, staffToken, TEST_MS, useE2E, visitorToken } from './helpers.ts';

let e2e: E2E;
useE2E((started) => (e2e = started));

async function toChinese(page: Page): Promise<void> {
  await page.locator('.topbar button[lang="zh-CN"]').click();
  await page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached' });
}

/** Opens the conversation from the inbox's bot view; resolves to its 联系方式 group in the 360 panel. */
async function openContact(page: Page, conversationId: string) {
  await botView(page);
  await page.locator(`a.conv[data-conversation="${conversationId}"]`).click();
  const contact = page.locator('section.c360').getByRole('group', { name: '联系方式' });
  await contact.waitFor();
  return contact;
}

describe('privacy protection in the console', { timeout: TEST_MS }, () => {
  const stamp = Date.now().toString(36);
  const customerId = `prv-e2e-${stamp}`;
  const phone = '13912345678';
  const email = `zhao.min.${stamp}@example.com`;

  test('an agent sees masked data, a supervisor reveals one phone number with a reason, the admin finds the reveal in the access log', async () => {
    // preconditions: a verified shopper with a phone number and email asks something
    const visitor = await visitorToken(e2e, await shopUser(customerId, '赵敏'));
    const { conversation } = await api<{ conversation: { conversationId: string } }>(e2e, visitor, 'POST', '/widget/conversations', {
      clientMessageId: `prv-${stamp}`,
      text: `请打我手机 ${phone} 联系我`,
    });
    const upserted = await shopCall(e2e, '/shop/events', {
      eventId: `prv-ev-${stamp}`,
      type: 'member.upserted',
      occurredAt: new Date().toISOString(),
      data: { customerId, name: '赵敏', email, phone },
    });
    expect(upserted.status).toBe(202);
    const adminToken = await staffToken(e2e, 'admin@demo.kefu');
    const { contactId } = (await api<{ conversation: { contactId: string } }>(e2e, adminToken, 'GET', `/conversations/${conversation.conversationId}`))
      .conversation;
    await poll(async () => (await api<{ profile: { phone?: string } }>(e2e, adminToken, 'GET', `/contacts/${contactId}`)).profile.phone).toBe('139****5678');

    // an agent: masked in the panel and in the thread, nothing to reveal, the full number nowhere on the page
    const agent = await signedInConsole(e2e, 'agent@demo.kefu');
    await toChinese(agent);
    const agentContact = await openContact(agent, conversation.conversationId);
    await agentContact.locator('[data-field="phone"]', { hasText: '139****5678' }).waitFor();
    expect(await agentContact.locator('[data-field="email"]').textContent()).toBe(`z***@example.com`);
    await agentContact.getByText('为保护客户隐私，部分信息已隐藏。').waitFor();
    await agent.locator('.thread', { hasText: '请打我手机 139****5678 联系我' }).waitFor();
    expect(await agentContact.getByRole('button', { name: '显示完整信息' }).count()).toBe(0);
    expect(await agent.content()).not.toContain(phone);
    expect(await agent.content()).not.toContain(email);

    // a supervisor: masked too until they give a reason; then the full number
    const lead = await signedInConsole(e2e, 'lead@demo.kefu');
    await toChinese(lead);
    const leadContact = await openContact(lead, conversation.conversationId);
    await leadContact.locator('[data-field="phone"]', { hasText: '139****5678' }).waitFor();
    await leadContact.getByRole('button', { name: '显示完整信息' }).click();
    await leadContact.getByRole('button', { name: '显示', exact: true }).click();
    await leadContact.getByText('请填写原因，2 到 500 个字。').waitFor();
    expect(await leadContact.getByLabel('查看完整信息的原因').getAttribute('aria-invalid')).toBe('true');
    expect(await leadContact.locator('[data-field="phone"]').textContent()).toBe('139****5678');
    const reason = `客户来电要求核对手机号 ${stamp}`;
    await leadContact.getByLabel('查看完整信息的原因').fill(reason);
    await leadContact.getByRole('button', { name: '显示', exact: true }).click();
    await leadContact.getByText('已显示完整信息，此次查看已记入访问日志。').waitFor();
    await leadContact.locator('[data-field="phone"]', { hasText: phone }).waitFor();
    await leadContact.getByRole('button', { name: '隐藏完整信息' }).click();
    await leadContact.locator('[data-field="phone"]', { hasText: '139****5678' }).waitFor();

    // the admin: Settings › 访问日志, searched by the supervisor, shows the reveal with its reason
    const admin = await signedInConsole(e2e, 'admin@demo.kefu');
    await toChinese(admin);
    await admin.locator('.topbar nav').getByRole('link', { name: '设置' }).click();
    await admin.getByRole('navigation', { name: '设置分区' }).getByRole('link', { name: '访问日志' }).click();
    await admin.getByRole('heading', { name: '个人信息访问日志' }).waitFor();
    await admin.getByLabel('员工').selectOption({ label: 'Chen Wei' });
    await admin.getByRole('button', { name: '搜索' }).click();
    const row = admin.locator('tr[data-action="reveal"]', { hasText: reason });
    await row.waitFor();
    expect(await row.getByRole('rowheader').textContent()).toBe('Chen Wei');
    expect(await row.textContent()).toContain('显示完整信息');
    expect(await row.textContent()).toContain('手机');
    expect(await row.textContent()).toContain(contactId);
    // every row is the supervisor's: the agent's masked look is not among them
    expect(await admin.locator('tbody tr').evaluateAll((rows) => rows.every((r) => r.querySelector('th')?.textContent === 'Chen Wei'))).toBe(true);

    // by customer: the agent's masked view is there too
    await admin.getByLabel('员工').selectOption({ label: '全部员工' });
    await admin.getByLabel('客户编号').fill(contactId);
    await admin.getByRole('button', { name: '搜索' }).click();
    await admin.locator('tr[data-action="view_360"]', { hasText: 'Li Na' }).getByText('已打码').waitFor();
    await admin.locator('tr[data-action="reveal"]', { hasText: reason }).waitFor();
    expect(await axeViolations(admin)).toEqual([]);
  });
});
