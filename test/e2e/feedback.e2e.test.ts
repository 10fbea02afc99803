import { readFile } from 'node:fs/promises';
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

describe('surveys, the quality dashboard and membership in a real browser', () => {
  const stamp = Date.now().toString(36);
  const comment = `The parcel arrived broken and nobody called me back ${stamp}`;
  let agent: Page;
  let widget: Page;

  test('resolving a conversation sends the CSAT survey to the widget; a low score with a comment opens a follow-up ticket', async () => {
    // surveys go out 5 minutes after a resolve by default; the supervisor setting makes it immediate here
    const lead = await staffToken(e2e, 'lead@demo.kefu');
    const { settings } = await api<{ settings: { version: number } }>(e2e, lead, 'GET', '/survey-config');
    await api(e2e, lead, 'PUT', '/survey-config/settings', { version: settings.version, delaySeconds: 0 });

    agent = await e2e.newPage();
    await signInToConsole(e2e, agent, 'agent@demo.kefu');
    widget = await e2e.newPage();
    await widget.goto(`${e2e.stack.urls.demo}?lang=en`);
    await widget.getByRole('button', { name: 'Chat with us' }).click();
    const dialog = widget.getByRole('dialog', { name: 'Customer service' });
    await dialog.getByRole('button', { name: 'Send us a message' }).click();
    const input = dialog.getByLabel('Your message');
    await input.fill(`Can I change the delivery address of my order? ${stamp}`);
    const created = widget.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/widget/conversations');
    await input.press('Enter');
    const { conversation } = (await (await created).json()) as { conversation: { conversationId: string } };
    await dialog.locator('.msg.bot').first().waitFor();

    await agent.goto(`${e2e.stack.urls.console}#/inbox/open/${conversation.conversationId}`);
    await agent.getByLabel('Reply to the customer').fill('Sorry to hear that. A replacement is on its way.');
    await agent.getByLabel('Reply to the customer').press('Enter');
    await dialog.locator('.msg.agent', { hasText: 'A replacement is on its way' }).waitFor();
    const resolvedAt = Date.now();
    await agent.getByRole('button', { name: 'Resolve' }).click();

    const survey = dialog.getByRole('region', { name: 'Service satisfaction' });
    await survey.waitFor({ timeout: 10_000 });
    console.log(`[e2e] CSAT survey shown in the widget ${since(resolvedAt)} ms after "Resolve"`);
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
    await expect
      .poll(async () => (await api<{ items: { conversationId?: string; followUpTicketId?: string }[] }>(e2e, token, 'GET', '/survey-follow-ups')).items.find((f) => f.conversationId === conversation.conversationId)?.followUpTicketId, { timeout: 10_000 })
      .toMatch(/^tkt_/);
  }, 40_000);

  test('the supervisor’s dashboard shows the response: CSAT tile, the detractor follow-up with its ticket, the drill-down and a CSV', async () => {
    const lead = await e2e.newPage();
    await signInToConsole(e2e, lead, 'lead@demo.kefu');
    await lead.getByRole('link', { name: 'Reports' }).click();
    await lead.getByRole('heading', { name: 'Service quality' }).waitFor();
    const csat = lead.locator('.tile[data-kpi="csat"]');
    await expect.poll(() => csat.locator('.tile-value').textContent()).toBe('1');
    expect(await csat.textContent()).toContain('1 responses');
    expect(await lead.locator('.tile[data-kpi="surveys"]').textContent()).toContain('1 detractors');
    expect(await lead.locator('.tile[data-kpi="resolution"] .tile-value').textContent()).not.toBe('–');
    await lead.locator('figure.chart').first().waitFor();
    expect(await lead.locator('figure.chart svg[role="img"] rect').count()).toBeGreaterThan(0);
    expect(await axeViolations(lead)).toEqual([]);

    const today = new Date().toISOString().slice(0, 10);
    await lead.getByRole('link', { name: `Survey answers ${today}` }).click();
    const drill = lead.getByRole('region', { name: `Survey answers on ${today}` });
    await drill.getByText(comment).waitFor();
    expect(await drill.textContent()).toContain('CSAT 1');

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
  }, 30_000);

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

    expect(await widget.getByRole('dialog', { name: 'Customer service' }).getByRole('region', { name: 'Your membership' }).count()).toBe(0);
  }, 20_000);
});
