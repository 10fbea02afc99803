import { beforeAll, describe, expect, test } from 'vitest';
import { until } from '../support/until.ts';
import {
  api,
  axeViolations,
  type E2E,
  poll,
  START_TIMEOUT_MS,
  shopCall,
  shopUser,
  signedInConsole,
  staffToken,
  TEST_MS,
  useE2E,
  visitorToken,
} from './helpers.ts';

let e2e: E2E;
useE2E((started) => (e2e = started));

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

type AtRisk = { items: { name?: string; tierId?: string; level: string }[] };

describe('churn warning, segments and a recall campaign with a holdout, in a real browser', { timeout: TEST_MS }, () => {
  const stamp = Date.now().toString(36);
  const members = Array.from({ length: 12 }, (_, i) => ({ id: `e2e-gold-${stamp}-${i}`, name: `Gold Member ${stamp} ${i}` }));
  const segmentId = `at-risk-gold-${stamp}`;
  const atRisk = async (token: string) =>
    (await api<AtRisk>(e2e, token, 'GET', '/churn/members?tier=gold&limit=100')).items.filter((r) => r.name?.includes(stamp) && r.level !== 'low').length;

  // precondition through the shop API: 12 gold members who bought big once, long ago, scored and consented
  beforeAll(async () => {
    for (const m of members) {
      const upsert = await shopCall(e2e, '/shop/events', {
        eventId: `ev-m-${m.id}`,
        type: 'member.upserted',
        occurredAt: ago(300),
        data: { customerId: m.id, name: m.name, email: `${m.id}@example.com`, locale: 'en' },
      });
      expect(upsert.status).toBe(202);
      const order = await shopCall(e2e, '/shop/events', {
        eventId: `ev-o-${m.id}`,
        type: 'order.paid',
        occurredAt: ago(200),
        data: { orderId: `O-${m.id}`, customerId: m.id, amount: 2600, currency: 'CNY', quantity: 1 },
      });
      expect(order.status).toBe(202);
    }
    const token = await staffToken(e2e, 'marketing@demo.kefu');
    await until(async () => (await atRisk(token)) === members.length, { what: 'the members to be scored at risk' });
    for (const m of members) {
      const consent = await shopCall(e2e, '/shop/consent', { customerId: m.id, channel: 'widget', granted: true, at: new Date().toISOString() });
      expect(consent.status).toBe(200);
    }
    await e2e.stack.quiesce();
  }, START_TIMEOUT_MS);

  test('members who bought big once, long ago, show up as gold members at risk in the early-warning list', async () => {
    expect(await atRisk(await staffToken(e2e, 'marketing@demo.kefu'))).toBe(members.length);
    const marketing = await signedInConsole(e2e, 'marketing@demo.kefu');
    expect(await marketing.getByRole('link', { name: 'Tickets' }).count()).toBe(0);
    await marketing.getByRole('link', { name: 'Marketing' }).click();
    await marketing.getByRole('heading', { name: 'Churn early warning', level: 2 }).waitFor();
    const row = marketing.locator('table.churn tbody tr', { hasText: members[0]!.name });
    await row.waitFor();
    expect(await row.textContent()).toContain('Gold');
    expect(await row.locator('.reasons li').count()).toBeGreaterThan(0);
  });

  test('marketing builds the segment with a live count and launches a campaign with a 10% holdout', async () => {
    const marketing = await signedInConsole(e2e, 'marketing@demo.kefu');
    await marketing.getByRole('link', { name: 'Marketing' }).click();
    await marketing.getByRole('link', { name: 'Segments' }).click();
    await marketing.getByRole('link', { name: 'New segment' }).click();
    await marketing.getByLabel('Id', { exact: true }).fill(segmentId);
    await marketing.getByLabel('Name', { exact: true }).fill(`At-risk gold ${stamp}`);
    const count = marketing.locator('.preview-count .big');
    await marketing.getByRole('checkbox', { name: 'Gold' }).check();
    await marketing.getByRole('checkbox', { name: 'High', exact: true }).check();
    await marketing.getByRole('checkbox', { name: 'Medium', exact: true }).check();
    await poll(() => count.textContent()).toBe(`${members.length} members`);
    await marketing.getByRole('button', { name: 'Save' }).click();
    await marketing.getByText('Saved as version 1.').waitFor();
    expect(await axeViolations(marketing)).toEqual([]);

    await marketing.getByRole('link', { name: 'New campaign for this segment' }).click();
    await marketing.getByRole('heading', { name: 'New campaign' }).waitFor();
    await poll(() => marketing.getByLabel('Audience (segment)').inputValue()).toBe(segmentId);
    await marketing.getByLabel('Name', { exact: true }).fill(`Win back gold ${stamp}`);
    expect(await marketing.getByLabel('Holdout (%)').inputValue()).toBe('10');
    await marketing.getByLabel('Title (Chinese)').fill('我们想念您');
    await marketing.getByLabel('Text (Chinese)').fill('{{name}}，送您 {{bonusPoints}} 积分。退订：{{unsubscribeUrl}}');
    await marketing.getByLabel('Title (English)').fill(`We miss you ${stamp}`);
    await marketing.getByLabel('Text (English)').fill('Hi {{name}}, here are {{bonusPoints}} bonus points. Unsubscribe: {{unsubscribeUrl}}');
    await marketing.getByRole('radio', { name: 'Bonus points' }).check();
    await marketing.getByLabel('Points per member').fill('50');
    await marketing.getByRole('radio', { name: 'None', exact: true }).check();
    await marketing.getByRole('button', { name: 'Save draft' }).click();
    await marketing.locator('.campaign-detail [data-status="draft"]').waitFor();
    await marketing.getByRole('button', { name: 'Launch' }).click();
    await marketing.getByText('Done: Launch.').waitFor();
    const processed = async () => {
      const sent = Number(await marketing.locator('.tile[data-kpi="sent"] .tile-value').textContent());
      const held = Number(await marketing.locator('.tile[data-kpi="holdout"] .tile-value').textContent());
      return sent + held;
    };
    await poll(processed, { interval: 500 }).toBe(members.length);
    expect(Number(await marketing.locator('.tile[data-kpi="holdout"] .tile-value').textContent())).toBeLessThan(members.length);
  });

  test('a targeted member sees the message in the widget and unsubscribes through its link; the report counts their order', async () => {
    // precondition through the API: a launched campaign of its own (a loose cap, so an earlier campaign does not hold it back)
    const token = await staffToken(e2e, 'marketing@demo.kefu');
    const segment = `at-risk-gold-api-${stamp}`;
    const title = `Welcome back ${stamp}`;
    await api(e2e, token, 'PUT', `/segments/${segment}`, {
      name: `At-risk gold (API) ${stamp}`,
      conditions: { tiers: ['gold'], churnLevels: ['high', 'medium'] },
    });
    const text = (t: string, body: string) => ({ title: t, body });
    const { campaignId } = await api<{ campaignId: string }>(e2e, token, 'POST', '/campaigns', {
      name: `Recall gold ${stamp}`,
      segmentId: segment,
      channels: ['widget'],
      variants: [
        {
          variantId: 'a',
          weight: 1,
          content: {
            widget: {
              zh: text('欢迎回来', '{{name}}，送您 {{bonusPoints}} 积分。退订：{{unsubscribeUrl}}'),
              en: text(title, 'Hi {{name}}, here are {{bonusPoints}} bonus points. Unsubscribe: {{unsubscribeUrl}}'),
            },
          },
        },
      ],
      offer: { kind: 'points', points: 50 },
      holdoutRatio: 0.1,
      frequencyCap: { max: 20, windowHours: 1 },
      quietHours: null,
    });
    await api(e2e, token, 'POST', `/campaigns/${campaignId}/status`, { action: 'launch', version: 1 });
    await until(
      async () => {
        const c = await api<{ fanoutDone?: boolean; progress: { sent: number; holdout: number } }>(e2e, token, 'GET', `/campaigns/${campaignId}`);
        return c.fanoutDone && c.progress.sent + c.progress.holdout === members.length;
      },
      { what: 'the campaign fan-out' },
    );
    await e2e.stack.quiesce();

    const users = await Promise.all(members.map((m) => shopUser(m.id, m.name)));
    const messages = await Promise.all(
      users.map(
        async (u) =>
          (await api<{ items: { campaignId: string; title: string }[] }>(e2e, await visitorToken(e2e, u), 'GET', '/widget/campaign-messages')).items.filter(
            (i) => i.campaignId === campaignId,
          ).length,
      ),
    );
    const treated = users[messages.findIndex((n) => n > 0)]!;
    expect(treated).toBeDefined();

    const page = await e2e.newPage();
    await page.goto(`${e2e.stack.urls.demo}?lang=en`);
    await page.evaluate((u) => (window as unknown as { Kefu: { setUser: (x: unknown) => void; open: () => void } }).Kefu.setUser(u), treated);
    await page.evaluate(() => (window as unknown as { Kefu: { open: () => void } }).Kefu.open());
    const dialog = page.getByRole('dialog', { name: 'Customer service' });
    const offers = dialog.getByRole('region', { name: 'For you' });
    const card = offers.locator('article.offer', { hasText: title });
    await card.waitFor();
    expect(await card.textContent()).toContain(`Hi ${treated.name}, here are 50 bonus points.`);
    expect(await card.locator('.offer-points').textContent()).toBe('+50 bonus points added to your account');
    expect(await axeViolations(page)).toEqual([]);

    const link = card.getByRole('link');
    expect(await link.getAttribute('href')).toMatch(/\/unsubscribe\?t=.+&lang=en$/);
    const popup = page.waitForEvent('popup');
    await link.click();
    const confirm = await popup;
    await confirm.getByRole('heading', { name: 'Unsubscribe from marketing messages' }).waitFor();
    await confirm.getByRole('button', { name: /Unsubscribe/ }).click();
    await confirm.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    const consent = await api<{ channels: { widget: { state: string } } }>(e2e, await visitorToken(e2e, treated), 'GET', '/widget/marketing-consent');
    expect(consent.channels.widget.state).toBe('revoked');
    // "you can opt in again from the chat widget": the member card's switch
    await page.reload();
    await page.evaluate((u) => (window as unknown as { Kefu: { setUser: (x: unknown) => void; open: () => void } }).Kefu.setUser(u), treated);
    await page.evaluate(() => (window as unknown as { Kefu: { open: () => void } }).Kefu.open());
    const optIn = dialog.getByRole('checkbox', { name: 'Show me offers and member news in this chat' });
    await poll(() => optIn.isChecked()).toBe(false);
    await optIn.check();
    await poll(
      async () =>
        (await api<{ channels: { widget: { state: string } } }>(e2e, await visitorToken(e2e, treated), 'GET', '/widget/marketing-consent')).channels.widget
          .state,
    ).toBe('granted');

    const order = await shopCall(e2e, '/shop/events', {
      eventId: `ev-back-${treated.id}`,
      type: 'order.paid',
      occurredAt: new Date().toISOString(),
      data: { orderId: `BACK-${treated.id}`, customerId: treated.id, amount: 399, currency: 'CNY', quantity: 1 },
    });
    expect(order.status).toBe(202);
    const marketing = await signedInConsole(e2e, 'marketing@demo.kefu');
    await marketing.goto(`${e2e.stack.urls.console}#/campaigns/campaigns/${encodeURIComponent(campaignId)}`);
    const converters = marketing.locator('.report-table tr[data-arm="treated"] td').nth(1);
    await poll(
      async () => {
        await marketing.getByRole('button', { name: 'Refresh' }).click();
        return converters.textContent();
      },
      { interval: 1_000 },
    ).toBe('1');
    expect(await marketing.locator('[data-uplift]').textContent()).toMatch(/pp|Needs members/);
    expect(await marketing.locator('.report-table tr[data-arm="holdout"] td').first().textContent()).toMatch(/^\d+$/);
  });
});
