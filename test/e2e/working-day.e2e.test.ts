/**
 * One conversation, one truth — a working day in one browser session, end to end: a shopper chats
 * after hours (Chinese widget), picks an article from the bot's menu → the bot hands off → an agent signs in later and gets it without
 * doing anything → replies → resolves → the ticket is solved too → the shopper rates 2 with a
 * comment → a follow-up ticket exists that the shopper cannot see → the dashboard's FCR, SLA and
 * per-agent figures count it in the shop's day.
 *
 * Precondition (through the API): today and tomorrow are holidays in the shop calendar, so "now" is
 * after hours whatever the clock says; surveys go out at once after a resolve.
 */
import { describe, expect, test } from 'vitest';
import { dayOf } from '#shared/quality/metrics.ts';
import { until } from '../support/until.ts';
import { api, type E2E, openDemo, poll, signedInConsole, staffToken, TEST_MS, useE2E } from './helpers.ts';

let e2e: E2E;
useE2E(
  (started) => (e2e = started),
  async (started) => {
    const lead = await staffToken(started, 'lead@demo.kefu');
    // after hours whatever the clock says: today and tomorrow (shop time) are holidays
    const now = Date.now();
    const holidays = [now, now + 86_400_000].map((t) => dayOf(new Date(t).toISOString(), 'Asia/Shanghai'));
    const days = Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, ['09:00', '18:00']]));
    await api(started, lead, 'PUT', '/ticket-config/calendars/shop', { timeZone: 'Asia/Shanghai', days, holidays });
    const { settings } = await api<{ settings: { version: number } }>(started, lead, 'GET', '/survey-config');
    await api(started, lead, 'PUT', '/survey-config/settings', { version: settings.version, delaySeconds: 0 });
  },
);

describe('a working day in a real browser', { timeout: TEST_MS }, () => {
  test('after-hours chat → hand-off → assigned on sign-in → reply → resolve → ticket solved → CSAT 2 → hidden follow-up → dashboard counts it', async () => {
    const question = '你好，我买的茶叶罐子压坏了，能给我换一个吗';
    const reply = '亲，非常抱歉，已经为您安排补发新的茶叶罐，明天发出。';
    const comment = '罐子是坏的，等了一晚上才有人回复';

    // 1. After hours, the shopper chats with the bot (the header says so) and asks for a person.
    const widget = await openDemo(e2e, 'zh-CN');
    const session = widget.waitForResponse((r) => new URL(r.url()).pathname === '/widget/session' && r.status() === 200);
    await widget.getByRole('button', { name: '联系客服' }).click();
    const dialog = widget.getByRole('dialog');
    await dialog.getByText('智能助手在线，人工客服将在营业时间回复').waitFor();
    await dialog.getByRole('button', { name: '给我们发消息' }).click();
    const input = dialog.getByLabel('您的消息');
    await input.fill(question);
    const created = widget.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/widget/conversations');
    await input.press('Enter');
    const conversationId = ((await (await created).json()) as { conversation: { conversationId: string } }).conversation.conversationId;
    const visitor = ((await (await session).json()) as { token: string }).token;
    // The bot offers a menu of articles; picking one teaches it (POST …/kb-pick), then back to the chat.
    const menu = dialog.locator('.msg.bot').first();
    const chip = menu.locator('button.chip').first();
    const picked = widget.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/kb-pick'));
    await chip.click();
    expect(JSON.parse((await picked).request().postData()!)).toMatchObject({ articleId: expect.any(String), messageId: expect.any(String) });
    expect((await picked).status()).toBe(200);
    await dialog.getByRole('button', { name: '返回' }).click();
    const botMessages = await dialog.locator('.msg.bot').count();
    await dialog.getByRole('button', { name: '转人工' }).click();
    await poll(() => dialog.locator('.msg.bot').count()).toBe(botMessages + 1);
    await e2e.stack.quiesce();

    // 2. Later an agent signs in and finds it assigned to them, without doing anything; the bot's
    //    hand-off summary is written in the agent's language as sentences.
    const agent = await signedInConsole(e2e, 'agent@demo.kefu');
    await agent.locator('a[data-view="mine"]').click();
    const row = agent.locator(`a.conv[data-conversation="${conversationId}"]`);
    await row.click();
    await agent.locator('ol.thread').getByText(question).waitFor();
    expect(await agent.locator('details.handoff pre.summary').textContent()).toMatch(/^The shopper asked to talk to a person\./);

    // 3. The agent replies once and resolves.
    await agent.getByLabel('Reply to the customer').fill(reply);
    await agent.getByLabel('Reply to the customer').press('Enter');
    await dialog.locator('.msg.agent', { hasText: reply }).waitFor();
    await agent.getByRole('button', { name: 'Resolve' }).click();

    // 4. The ticket made at the hand-off is solved too: one status for chat and ticket.
    const lead = await staffToken(e2e, 'lead@demo.kefu');
    const { conversation } = await api<{ conversation: { ticketId?: string } }>(e2e, lead, 'GET', `/conversations/${conversationId}`);
    expect(conversation.ticketId).toMatch(/^tkt_/);
    await poll(async () => (await api<{ ticket: { status: string } }>(e2e, lead, 'GET', `/tickets/${conversation.ticketId}`)).ticket.status).toBe('solved');

    // 5. The shopper rates 2 with a comment in the survey card the widget brings into view.
    const survey = dialog.getByRole('region', { name: '服务满意度' });
    await survey.waitFor();
    await poll(() =>
      survey.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const log = el.closest('ol, ul')?.getBoundingClientRect();
        return !!log && box.top >= log.top - 1 && box.top < log.bottom;
      }),
    ).toBe(true);
    await survey.getByRole('radio', { name: '2', exact: true }).check({ force: true });
    await survey.getByRole('textbox').fill(comment);
    await survey.getByRole('button', { name: '提交评价' }).click();
    await dialog.getByRole('heading', { name: '感谢您的评价！' }).waitFor();

    // 6. A follow-up ticket exists for the team; the shopper sees neither it nor its note.
    const followUpTicketId = await until(
      async () =>
        (await api<{ items: { conversationId?: string; followUpTicketId?: string }[] }>(e2e, lead, 'GET', '/survey-follow-ups')).items.find(
          (f) => f.conversationId === conversationId,
        )?.followUpTicketId,
      { what: 'the follow-up ticket' },
    );
    const { ticket: followUpTicket } = await api<{ ticket: { conversationId: string } }>(e2e, lead, 'GET', `/tickets/${followUpTicketId}`);
    const mine = await api<{ items: { conversationId: string }[] }>(e2e, visitor, 'GET', '/widget/conversations');
    expect(mine.items.map((c) => c.conversationId)).toEqual([conversationId]);
    expect(mine.items.map((c) => c.conversationId)).not.toContain(followUpTicket.conversationId);
    // …and after a reload the widget lists the shopper's own conversation only, with no internal text.
    const listed = widget.waitForResponse((r) => r.request().method() === 'GET' && new URL(r.url()).pathname === '/widget/conversations');
    await widget.reload();
    await widget.getByRole('button', { name: '联系客服' }).click();
    const items = ((await (await listed).json()) as { items: { conversationId: string }[] }).items;
    expect(items.map((c) => c.conversationId)).toEqual([conversationId]);
    expect(
      await widget
        .getByRole('dialog')
        .getByText(/svy_|调查 /)
        .count(),
    ).toBe(0);

    // 7. The supervisor's dashboard counts it in the shop's day: FCR, SLA met, and Li Na's row.
    await e2e.stack.quiesce();
    const supervisor = await signedInConsole(e2e, 'lead@demo.kefu');
    await supervisor.getByRole('link', { name: 'Reports' }).click();
    await poll(() => supervisor.locator('.tile[data-kpi="fcr"]').textContent()).toContain('100%');
    const sla = supervisor.locator('.tile[data-kpi="sla"]');
    await poll(() => sla.textContent()).toContain('100%');
    const me = await api<{ sub: string }>(e2e, await staffToken(e2e, 'agent@demo.kefu'), 'GET', '/staff/me');
    await supervisor.getByRole('navigation', { name: 'Report views' }).getByRole('link', { name: 'Agent performance' }).click();
    const cells = supervisor.locator(`table.agents tr[data-agent="${me.sub}"] td`);
    await poll(() => cells.nth(0).textContent()).toBe('1');
    expect(await cells.nth(2).textContent()).toBe('1');
  });
});
