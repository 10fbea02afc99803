import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { dayOf } from '#shared/quality/metrics.ts';
import { until } from '../support/until.ts';
import {
  api,
  axeViolations,
  chatDialog,
  type E2E,
  openComposer,
  openDemo,
  poll,
  signedInConsole,
  staffToken,
  startConversation,
  TEST_MS,
  useE2E,
  visitorToken,
} from './helpers.ts';

let e2e: E2E;
useE2E(
  (started) => (e2e = started),
  async (started) => {
    // surveys go out 5 minutes after a resolve by default; the supervisor setting makes it immediate here
    const lead = await staffToken(started, 'lead@demo.kefu');
    const { settings } = await api<{ settings: { version: number } }>(started, lead, 'GET', '/survey-config');
    await api(started, lead, 'PUT', '/survey-config/settings', { version: settings.version, delaySeconds: 0 });
  },
);

/**
 * Through the API: an anonymous shopper's conversation, answered and resolved by the agent, then
 * a CSAT 1 survey response with `comment`; resolves once its follow-up ticket exists and the stack is idle.
 */
async function detractorResponse(text: string, comment: string): Promise<void> {
  const visitor = await visitorToken(e2e);
  const agent = await staffToken(e2e, 'agent@demo.kefu');
  const lead = await staffToken(e2e, 'lead@demo.kefu');
  const { conversation } = await api<{ conversation: { conversationId: string } }>(e2e, visitor, 'POST', '/widget/conversations', {
    clientMessageId: `fb-${Date.now().toString(36)}`,
    text,
  });
  const id = conversation.conversationId;
  await api(e2e, agent, 'POST', `/conversations/${id}/messages`, { text: 'Sorry to hear that. A replacement is on its way.' });
  await api(e2e, agent, 'POST', `/conversations/${id}/status`, { status: 'resolved' });
  const surveyId = await until(
    async () =>
      (await api<{ items: { surveyId: string; conversationId?: string }[] }>(e2e, visitor, 'GET', '/widget/surveys')).items.find((s) => s.conversationId === id)
        ?.surveyId,
    { what: 'the survey' },
  );
  await api(e2e, visitor, 'POST', `/widget/surveys/${surveyId}/response`, { answers: { csat: 1, reasons: ['unresolved'], comment }, lang: 'en' });
  await until(
    async () =>
      (await api<{ items: { conversationId?: string; followUpTicketId?: string }[] }>(e2e, lead, 'GET', '/survey-follow-ups')).items.find(
        (f) => f.conversationId === id,
      )?.followUpTicketId,
    { what: 'the follow-up ticket' },
  );
  await e2e.stack.quiesce();
}

describe('surveys, the quality dashboard and membership in a real browser', { timeout: TEST_MS }, () => {
  const stamp = Date.now().toString(36);

  // first in the file: the only survey response the dashboard sees is the one it seeds
  test('the supervisor’s dashboard shows a response: CSAT tile, the detractor follow-up with its ticket, the drill-down and a CSV', async () => {
    const comment = `Nobody told me the refund was refused ${stamp}`;
    await detractorResponse(`Where is my refund? ${stamp}`, comment);
    const lead = await signedInConsole(e2e, 'lead@demo.kefu');
    await lead.getByRole('link', { name: 'Reports' }).click();
    await lead.getByRole('heading', { name: 'Service quality' }).waitFor();
    const csat = lead.locator('.tile[data-kpi="csat"]');
    await poll(() => csat.locator('.tile-value').textContent()).toBe('1');
    expect(await csat.textContent()).toContain('1 responses');
    expect(await lead.locator('.tile[data-kpi="surveys"]').textContent()).toContain('1 detractors');
    expect(await lead.locator('.tile[data-kpi="resolution"] .tile-value').textContent()).not.toBe('–');
    await lead.locator('figure.chart').first().waitFor();
    expect(await lead.locator('figure.chart svg[role="img"] rect').count()).toBeGreaterThan(0);
    expect(await axeViolations(lead)).toEqual([]);

    const today = dayOf(new Date().toISOString(), 'Asia/Shanghai');
    await lead.getByRole('link', { name: `Survey answers ${today}` }).click();
    const drill = lead.getByRole('region', { name: `Survey answers on ${today}` });
    await drill.getByText(comment).waitFor();
    expect(await drill.textContent()).toContain('CSAT 1');

    // what the classifier read can be corrected from the drill-down; the dashboard's topics follow
    await drill.getByRole('button', { name: 'Correct the tags' }).click();
    const tags = drill.getByRole('form', { name: 'Correct the tags' });
    await tags.getByLabel('Packaging').check();
    await tags.getByRole('button', { name: 'Save' }).click();
    await drill.getByText(/^Corrected: .*Packaging/).waitFor();
    const lead2 = await staffToken(e2e, 'lead@demo.kefu');
    const summary = await api<{ totals: { topics: { topic: string; count: number }[] } }>(e2e, lead2, 'GET', `/quality/summary?from=${today}&to=${today}`);
    expect(summary.totals.topics.map((x) => x.topic)).toContain('packaging');

    const download = lead.waitForEvent('download');
    await lead.getByRole('button', { name: 'Export CSV (days)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^kefu-quality-days-.*\.csv$/);
    const csv = await readFile((await file.path())!, 'utf8');
    expect(csv).toContain('日期 / Day');
    expect(csv).toContain(today);

    const followUps = lead.getByRole('region', { name: 'Detractor follow-ups' });
    const link = followUps.locator('a[data-followup-ticket]').first();
    await link.click();
    await lead.locator('.ticket-side .badge', { hasText: 'Feedback' }).waitFor();
    expect(await lead.locator('.ticket-side .prio').first().textContent()).toMatch(/High|Urgent/);
  });

  test('resolving a conversation sends the CSAT survey to the widget; a low score with a comment opens a follow-up ticket', async () => {
    const comment = `The parcel arrived broken and nobody called me back ${stamp}`;
    const agent = await signedInConsole(e2e, 'agent@demo.kefu');
    const widget = await openDemo(e2e);
    const dialog = await openComposer(widget);
    const conversationId = await startConversation(widget, `Can I change the delivery address of my order? ${stamp}`);
    await dialog.locator('.msg.bot').first().waitFor();

    await agent.goto(`${e2e.stack.urls.console}#/inbox/open/${conversationId}`);
    await agent.getByLabel('Reply to the customer').fill('Sorry to hear that. A replacement is on its way.');
    await agent.getByLabel('Reply to the customer').press('Enter');
    await dialog.locator('.msg.agent', { hasText: 'A replacement is on its way' }).waitFor();
    await agent.getByRole('button', { name: 'Resolve' }).click();

    const survey = dialog.getByRole('region', { name: 'Service satisfaction' });
    await survey.waitFor();
    expect(await survey.getByRole('radio').count()).toBe(5);
    expect(await survey.getByRole('checkbox').count()).toBe(0);
    expect(await axeViolations(widget)).toEqual([]);
    await survey.getByRole('radio', { name: '1', exact: true }).check({ force: true });
    await survey.getByRole('checkbox', { name: 'My problem was not solved' }).check({ force: true });
    await survey.getByLabel('Anything else you would like to tell us?').fill(comment);
    const answered = widget.waitForResponse((r) => r.request().method() === 'POST' && /\/widget\/surveys\/[^/]+\/response$/.test(new URL(r.url()).pathname));
    await survey.getByRole('button', { name: 'Send feedback' }).click();
    const response = await answered;
    expect(response.status()).toBe(201);
    expect(JSON.parse(response.request().postData()!)).toMatchObject({ answers: { csat: 1, reasons: ['unresolved'], comment }, lang: 'en' });
    await dialog.getByRole('heading', { name: 'Thank you!' }).waitFor();

    const token = await staffToken(e2e, 'lead@demo.kefu');
    await poll(
      async () =>
        (await api<{ items: { conversationId?: string; followUpTicketId?: string }[] }>(e2e, token, 'GET', '/survey-follow-ups')).items.find(
          (f) => f.conversationId === conversationId,
        )?.followUpTicketId,
    ).toMatch(/^tkt_/);
  });

  test('a verified shopper sees their tier, points and perks in the widget; an anonymous visitor sees none', async () => {
    const page = await e2e.newPage();
    await page.goto(`${e2e.stack.urls.demo}?lang=en`);
    const membership = page.waitForResponse((r) => new URL(r.url()).pathname === '/widget/membership');
    await page.getByRole('button', { name: 'Log in as demo shopper' }).click();
    await page.getByText('(verified shopper)').waitFor();
    await page.getByRole('button', { name: 'Chat with us' }).click();
    const dialog = page.getByRole('dialog', { name: 'Customer service' });
    const card = dialog.getByRole('region', { name: 'Your membership' });
    await card.waitFor();
    const body = (await (await membership).json()) as { tier: { name: { en: string } }; points: { balance: number } };
    expect(await card.locator('.member-tier').textContent()).toBe(`${body.tier.name.en} · ${body.points.balance.toLocaleString('en')} points`);
    expect(body.tier.name.en).toBe('Gold');
    expect(await card.locator('.perks li').count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);

    const anonymous = await e2e.newPage();
    const loaded = anonymous.waitForResponse((r) => new URL(r.url()).pathname === '/widget/surveys');
    await anonymous.goto(`${e2e.stack.urls.demo}?lang=en`);
    await anonymous.getByRole('button', { name: 'Chat with us' }).click();
    await chatDialog(anonymous).getByRole('heading', { name: 'Hi! How can we help you today?' }).waitFor();
    await loaded;
    expect(await chatDialog(anonymous).getByRole('region', { name: 'Your membership' }).count()).toBe(0);
  });
});
