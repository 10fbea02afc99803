import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { START_TIMEOUT_MS, api, axeViolations, signInToConsole, since, staffToken, startE2E, type E2E } from './helpers.ts';

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
}, START_TIMEOUT_MS);

afterAll(async () => {
  await e2e?.close();
}, 20_000);

/** The value shown by an SLA badge (its accessible name carries the metric and the countdown). */
const badgeLabel = (page: Page, scope: string, metric: string) => page.locator(`${scope} [role="timer"][data-metric="${metric}"]`).first().getAttribute('aria-label');

describe('tickets and live SLA in a real browser', () => {
  const stamp = Date.now().toString(36);
  let agent: Page;
  let ticketId: string;

  test('a supervisor saves an SLA policy: server validation shows next to the field, then a new version (24×7 clock)', async () => {
    const lead = await e2e.newPage();
    await signInToConsole(e2e, lead, 'lead@demo.kefu');
    await lead.getByRole('link', { name: 'Settings' }).click();
    await lead.getByRole('link', { name: 'Default service levels' }).click();
    await lead.getByRole('heading', { name: 'SLA policy: Default service levels' }).waitFor();
    await lead.getByLabel('Warn at (% of target)').fill('150');
    await lead.getByLabel('Calendar').selectOption('24x7');
    await lead.getByRole('button', { name: 'Save as a new version' }).click();
    await lead.getByText('Some fields need attention').waitFor();
    const warn = lead.getByLabel('Warn at (% of target)');
    expect(await warn.getAttribute('aria-invalid')).toBe('true');
    expect(await lead.locator(`#${await warn.getAttribute('aria-describedby')}`).textContent()).toMatch(/99/);
    await warn.fill('80');
    await lead.getByRole('button', { name: 'Save as a new version' }).click();
    await lead.getByText('Saved as version 2.').waitFor();
    expect(await axeViolations(lead)).toEqual([]);

    await lead.getByRole('link', { name: 'Teams' }).click();
    await lead.getByRole('link', { name: 'Delivery and logistics' }).click();
    await lead.getByRole('heading', { name: 'Team: Delivery and logistics' }).waitFor();
    expect(await lead.getByLabel('Li Na is a member').isChecked()).toBe(true);
    await lead.getByRole('link', { name: 'Routing rules' }).click();
    await lead.getByRole('button', { name: 'Delivery, address, orders → logistics', exact: true }).click();
    await lead.getByLabel('Id').first().waitFor();
    expect(await lead.locator('.rule').count()).toBeGreaterThanOrEqual(2);
    // the supervisor is in the logistics team too: leave so the hand-off goes to the agent who is online
    await lead.context().close();
    const token = await staffToken(e2e, 'agent@demo.kefu');
    await expect
      .poll(async () => (await api<{ items: { email: string; presence: string }[] }>(e2e, token, 'GET', '/staff')).items.find((s) => s.email === 'lead@demo.kefu')?.presence)
      .toBe('offline');
  }, 30_000);

  test('a delivery question handed off from the widget becomes a logistics ticket, auto-assigned, with a live countdown; the first reply meets it', async () => {
    agent = await e2e.newPage();
    await signInToConsole(e2e, agent, 'agent@demo.kefu');
    await agent.getByRole('link', { name: 'Tickets' }).click();
    await agent.locator('.views a[data-view="mine"][aria-current="page"]').waitFor();

    const widget = await e2e.newPage();
    await widget.goto(`${e2e.stack.urls.demo}?lang=en`);
    await widget.getByRole('button', { name: 'Chat with us' }).click();
    const dialog = widget.getByRole('dialog', { name: 'Customer service' });
    await dialog.getByRole('button', { name: 'Send us a message' }).click();
    const input = dialog.getByLabel('Your message');
    await input.fill(`How long does delivery take? My parcel is late ${stamp}`);
    await input.press('Enter');
    await dialog.locator('.msg.bot').first().waitFor();
    const handedOff = Date.now();
    await dialog.getByRole('button', { name: 'Talk to a human' }).click();
    await dialog.locator('.msg.bot', { hasText: "I'm connecting you with our team" }).waitFor();

    const row = agent.locator('a.ticket-row', { hasText: stamp });
    await row.waitFor({ timeout: 5_000 });
    console.log(`[e2e] hand-off listed in the agent's "My tickets" ${since(handedOff)} ms after "Talk to a human"`);
    ticketId = (await row.getAttribute('data-ticket'))!;
    const first = await badgeLabel(agent, `a[data-ticket="${ticketId}"]`, 'first_response');
    expect(first).toMatch(/^First response: (\d+:)?\d+:\d\d left$/);
    await expect.poll(() => badgeLabel(agent, `a[data-ticket="${ticketId}"]`, 'first_response'), { timeout: 4_000 }).not.toBe(first);

    await row.click();
    const side = agent.locator('.ticket-side');
    await side.getByRole('heading', { level: 2 }).waitFor();
    expect(await agent.getByLabel('Team').inputValue()).toBe('logistics');
    expect(await agent.getByLabel('Assignee').locator('option:checked').textContent()).toContain('Li Na');
    await side.locator('.audit li', { hasText: 'Assigned to Li Na' }).waitFor();
    const clock = side.locator('.clocks [data-metric="first_response"]');
    expect(await clock.getAttribute('data-tone')).toBe('ok');
    const thread = agent.locator('.ticket-thread ol.thread');
    await thread.getByText(stamp).first().waitFor();
    await agent.locator('details.handoff').waitFor();

    const replied = Date.now();
    await agent.getByLabel('Reply to the customer').fill(`We are on it: your parcel is with the courier ${stamp}`);
    await agent.getByLabel('Reply to the customer').press('Enter');
    await expect.poll(() => clock.getAttribute('data-tone'), { timeout: 5_000 }).toBe('met');
    console.log(`[e2e] first-response badge showed "met" ${since(replied)} ms after the agent's reply`);
    expect(await clock.getAttribute('aria-label')).toBe('First response: met');
    await dialog.locator('.msg.agent', { hasText: 'your parcel is with the courier' }).waitFor();
    expect(await side.locator('.clocks [data-metric="resolution"]').getAttribute('data-tone')).toBe('ok');
    expect(await axeViolations(agent)).toEqual([]);

    // an SLA warning pushed over the staff socket (as the SLA timer sends it): notice + amber badge, no reload
    const me = await api<{ sub: string }>(e2e, await staffToken(e2e, 'agent@demo.kefu'), 'GET', '/staff/me');
    const frame = {
      type: 'sla',
      kind: 'warn',
      ticketId,
      metric: 'resolution',
      dueAt: new Date(Date.now() + 3_600_000).toISOString(),
      subject: `Parcel ${stamp}`,
      assignee: me.sub,
      text: { 'zh-CN': '解决时限即将到期', en: 'Resolution is due soon' },
    };
    for (const id of e2e.stack.ws.connectionIds()) await fetch(`${e2e.stack.urls.api}/@connections/${encodeURIComponent(id)}`, { method: 'POST', body: JSON.stringify(frame) });
    const alert = agent.locator('.alerts .alert.warn');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('SLA warning: Resolution is due soon');
    await expect.poll(() => agent.locator(`a[data-ticket="${ticketId}"] [data-metric="resolution"]`).getAttribute('data-tone')).toBe('warn');
  }, 30_000);

  test('a change made elsewhere meanwhile: saving says so and shows the newer state', async () => {
    const token = await staffToken(e2e, 'admin@demo.kefu');
    const before = await agent.getByLabel('Priority').inputValue();
    const other = before === 'urgent' ? 'high' : 'urgent';
    await agent.getByLabel('Priority').selectOption(other);
    const current = await api<{ ticket: { version: number } }>(e2e, token, 'GET', `/tickets/${ticketId}`);
    await api(e2e, token, 'PATCH', `/tickets/${ticketId}`, { version: current.ticket.version, tags: ['vip-callback'] });
    await agent.getByRole('button', { name: 'Save' }).click();
    await agent.getByText('This ticket was changed by someone else.').waitFor();
    expect(await agent.getByLabel('Tags').inputValue()).toBe('vip-callback');
    expect(await agent.getByLabel('Priority').inputValue()).toBe(before);
    await agent.getByLabel('Priority').selectOption(other);
    await agent.getByRole('button', { name: 'Save' }).click();
    await agent.getByText('Saved.').waitFor();
    await agent.locator('.ticket-side .audit li', { hasText: 'priority' }).first().waitFor();
  }, 20_000);

  test('a phone ticket logged from the form, then merged into the first one', async () => {
    await agent.getByRole('link', { name: 'New ticket' }).click();
    await agent.getByRole('heading', { name: 'Log a phone call or an email' }).waitFor();
    await agent.getByRole('button', { name: 'Create ticket' }).click();
    await agent.getByText('Write a subject.').waitFor();
    await agent.getByLabel('Caller or sender name').fill('Zhang San');
    const email = agent.getByRole('textbox', { name: 'Email' });
    await email.fill('not-an-email');
    await agent.getByLabel('Subject').fill(`Called again about the late parcel ${stamp}`);
    await agent.getByLabel('What the customer said').fill('The parcel has still not arrived, please check with the courier.');
    await agent.getByRole('button', { name: 'Create ticket' }).click();
    const emailError = agent.locator('#nt-requester-error');
    await emailError.waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    await email.fill('zhang.san@example.com');
    await agent.getByRole('button', { name: 'Create ticket' }).click();
    await agent.locator('.ticket-side h2', { hasText: 'Called again about the late parcel' }).waitFor();
    const phoneTicket = decodeURIComponent((await agent.evaluate(() => location.hash)).split('/').pop()!);
    expect(phoneTicket).toMatch(/^tkt_/);
    await agent.locator('.ticket-side .badge', { hasText: 'Delivery' }).or(agent.locator('.ticket-side .badge', { hasText: 'Order' })).first().waitFor();

    await agent.getByText('Merge into another ticket').click();
    await agent.getByLabel('Ticket id to merge into').fill(ticketId);
    await agent.getByRole('button', { name: 'Merge', exact: true }).click();
    await agent.getByText('Merged. This ticket is closed').waitFor();
    await agent.locator('.ticket-side .status-pill', { hasText: 'Closed' }).waitFor();
  }, 20_000);

  test('"Convert to ticket" in a conversation opens the new ticket', async () => {
    const widget = await e2e.newPage();
    await widget.goto(`${e2e.stack.urls.demo}?lang=en`);
    await widget.getByRole('button', { name: 'Chat with us' }).click();
    const dialog = widget.getByRole('dialog', { name: 'Customer service' });
    await dialog.getByRole('button', { name: 'Send us a message' }).click();
    await dialog.getByLabel('Your message').fill(`I was charged twice for my order ${stamp}`);
    const created = widget.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/widget/conversations');
    await dialog.getByLabel('Your message').press('Enter');
    const { conversation } = (await (await created).json()) as { conversation: { conversationId: string } };
    await agent.goto(`${e2e.stack.urls.console}#/inbox/open/${conversation.conversationId}`);
    await agent.getByRole('button', { name: 'Convert to ticket' }).click();
    await agent.locator('.ticket-side h2').waitFor();
    expect(await agent.evaluate(() => location.hash)).toMatch(/^#\/tickets\/mine\/tkt_/);
    await agent.locator('.ticket-thread ol.thread').getByText(stamp).waitFor();
  }, 20_000);
});
