import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { until } from '../support/until.ts';
import {
  api,
  axeViolations,
  type E2E,
  openComposer,
  openDemo,
  poll,
  pushToAllSockets,
  signedInConsole,
  staffToken,
  startConversation,
  TEST_MS,
  useE2E,
} from './helpers.ts';

let e2e: E2E;
useE2E((started) => (e2e = started));

/** The value shown by an SLA badge (its accessible name carries the metric and the countdown). */
const badgeLabel = (page: Page, scope: string, metric: string) =>
  page.locator(`${scope} [role="timer"][data-metric="${metric}"]`).first().getAttribute('aria-label');

interface SlaPolicy {
  policyId: string;
  name: unknown;
  calendarId: string;
  targets: unknown;
  tierTargets?: unknown;
  warnAtPercent: number;
  breachActions: string[];
  escalateTo?: string;
}

/** A ticket assigned to the demo agent in the logistics team, made through the API (a precondition). */
async function agentTicket(subject: string): Promise<string> {
  const token = await staffToken(e2e, 'agent@demo.kefu');
  const me = await api<{ sub: string }>(e2e, token, 'GET', '/staff/me');
  const { ticket } = await api<{ ticket: { ticketId: string } }>(e2e, token, 'POST', '/tickets', {
    channel: 'api',
    subject,
    text: 'My parcel is late, please check with the courier.',
    requester: { name: 'Zhang Wei', email: 'zhang.wei@example.com' },
    priority: 'normal',
    team: 'logistics',
    assignee: me.sub,
  });
  return ticket.ticketId;
}

describe('tickets and live SLA in a real browser', { timeout: TEST_MS }, () => {
  const stamp = Date.now().toString(36);

  test('a supervisor saves an SLA policy: server validation shows next to the field, then a new version (24×7 clock)', async () => {
    const lead = await signedInConsole(e2e, 'lead@demo.kefu');
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
    await poll(
      async () =>
        (await api<{ items: { email: string; presence: string }[] }>(e2e, token, 'GET', '/staff')).items.find((s) => s.email === 'lead@demo.kefu')?.presence,
    ).toBe('offline');
  });

  test('a delivery question handed off from the widget becomes a logistics ticket, auto-assigned, with a live countdown; the first reply meets it', async () => {
    // preconditions through the API: a 24×7 clock (the countdown runs at any hour) and no supervisor
    // online (the hand-off goes to the agent)
    const lead = await staffToken(e2e, 'lead@demo.kefu');
    const config = await api<{ policies: SlaPolicy[]; defaultPolicy: string }>(e2e, lead, 'GET', '/ticket-config');
    const { policyId, name, targets, tierTargets, warnAtPercent, breachActions, escalateTo } = config.policies.find(
      (p) => p.policyId === config.defaultPolicy,
    )!;
    await api(e2e, lead, 'PUT', `/ticket-config/sla-policies/${policyId}`, {
      name,
      calendarId: '24x7',
      targets,
      tierTargets,
      warnAtPercent,
      breachActions,
      escalateTo,
    });
    await until(
      async () =>
        (await api<{ items: { email: string; presence: string }[] }>(e2e, lead, 'GET', '/staff')).items.find((s) => s.email === 'lead@demo.kefu')?.presence !==
        'online',
      { what: 'the supervisor to be offline' },
    );

    const agent = await signedInConsole(e2e, 'agent@demo.kefu');
    await agent.getByRole('link', { name: 'Tickets' }).click();
    await agent.locator('.views a[data-view="mine"][aria-current="page"]').waitFor();

    const widget = await openDemo(e2e);
    const dialog = await openComposer(widget);
    await startConversation(widget, `How long does delivery take? My parcel is late ${stamp}`);
    await dialog.locator('.msg.bot').first().waitFor();
    await dialog.getByRole('button', { name: 'Talk to a human' }).click();
    await dialog.locator('.msg.bot', { hasText: "I'm connecting you with our team" }).waitFor();

    const row = agent.locator('a.ticket-row', { hasText: stamp });
    await row.waitFor();
    const ticketId = (await row.getAttribute('data-ticket'))!;
    const first = await badgeLabel(agent, `a[data-ticket="${ticketId}"]`, 'first_response');
    expect(first).toMatch(/^First response: (\d+:)?\d+:\d\d left$/);
    await poll(() => badgeLabel(agent, `a[data-ticket="${ticketId}"]`, 'first_response')).not.toBe(first);

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

    await agent.getByLabel('Reply to the customer').fill(`We are on it: your parcel is with the courier ${stamp}`);
    await agent.getByLabel('Reply to the customer').press('Enter');
    await poll(() => clock.getAttribute('data-tone')).toBe('met');
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
    await pushToAllSockets(e2e, frame);
    const alert = agent.locator('.alerts .alert.warn');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('SLA warning: Resolution is due soon');
    await poll(() => agent.locator(`a[data-ticket="${ticketId}"] [data-metric="resolution"]`).getAttribute('data-tone')).toBe('warn');
  });

  test('a change made elsewhere meanwhile: saving says so and shows the newer state', async () => {
    const ticketId = await agentTicket(`Parcel stuck at the depot ${stamp}`);
    const agent = await signedInConsole(e2e, 'agent@demo.kefu');
    await agent.goto(`${e2e.stack.urls.console}#/tickets/mine/${ticketId}`);
    await agent.locator('.ticket-side h2', { hasText: 'Parcel stuck at the depot' }).waitFor();
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
  });

  test('a phone ticket logged from the form, then merged into an earlier one', async () => {
    const ticketId = await agentTicket(`Parcel late, first call ${stamp}`);
    const agent = await signedInConsole(e2e, 'agent@demo.kefu');
    await agent.getByRole('link', { name: 'Tickets' }).click();
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
    await agent
      .locator('.ticket-side .badge', { hasText: 'Delivery' })
      .or(agent.locator('.ticket-side .badge', { hasText: 'Order' }))
      .first()
      .waitFor();

    await agent.getByText('Merge into another ticket').click();
    await agent.getByLabel('Ticket id to merge into').fill(ticketId);
    await agent.getByRole('button', { name: 'Merge', exact: true }).click();
    await agent.getByText('Merged. This ticket is closed').waitFor();
    await agent.locator('.ticket-side .status-pill', { hasText: 'Closed' }).waitFor();
  });

  test('"Convert to ticket" in a conversation opens the new ticket', async () => {
    const agent = await signedInConsole(e2e, 'agent@demo.kefu');
    const widget = await openDemo(e2e);
    await openComposer(widget);
    const conversationId = await startConversation(widget, `I was charged twice for my order ${stamp}`);
    await agent.goto(`${e2e.stack.urls.console}#/inbox/open/${conversationId}`);
    await agent.getByRole('button', { name: 'Convert to ticket' }).click();
    await agent.locator('.ticket-side h2').waitFor();
    expect(await agent.evaluate(() => location.hash)).toMatch(/^#\/tickets\/mine\/tkt_/);
    await agent.locator('.ticket-thread ol.thread').getByText(stamp).waitFor();
  });
});
