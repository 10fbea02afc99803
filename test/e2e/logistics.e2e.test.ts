/**
 * Logistics as shoppers and staff meet it: a signed-in shopper asks the widget "我的快递到哪了" and
 * reads the carrier, tracking number and latest step (no courier phone number); a parcel that went
 * quiet gives them one care message however often the 催单 run goes; the agent sees the trace in the
 * customer 360; an admin sets the 催单 thresholds on the shop settings screen. Preconditions
 * (shipment events, consent) come from the API; what is checked is what the screens show.
 */
import { describe, expect, test } from 'vitest';
import { runLogisticsNudges } from '#shared/logistics/nudge.ts';
import { openStallTicket } from '../../functions/schedule/logistics-nudge.ts';
import {
  api,
  axeViolations,
  botView,
  chatDialog,
  type E2E,
  poll,
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

const HOUR = 3_600_000;

describe('logistics', { timeout: TEST_MS }, () => {
  const stamp = Date.now().toString(36);

  test('a signed-in shopper asks where the parcel is, gets one care message for a quiet parcel, and the agent sees the trace', async () => {
    const user = await shopUser(`lgs-${stamp}`, '李雷');
    const orderId = `LGE-${stamp}`;
    const tracking = `SF${Date.now()}`;
    const parcel = { orderId, customerId: user.id, trackingNumber: tracking };
    const last = Date.now() - 50 * HOUR;
    for (const event of [
      { eventId: `${stamp}-1`, type: 'shipment.created', occurredAt: new Date(last - 5 * HOUR).toISOString(), data: { ...parcel, carrier: '顺丰速运' } },
      {
        eventId: `${stamp}-2`,
        type: 'shipment.updated',
        occurredAt: new Date(last).toISOString(),
        data: { ...parcel, status: 'arrived', location: '北京朝阳', description: '快件已到达北京朝阳营业点，快递员：王强 电话 13900001111' },
      },
    ]) {
      expect((await shopCall(e2e, '/shop/events', event)).status).toBe(202);
    }
    await e2e.stack.quiesce();
    await api(e2e, await visitorToken(e2e, user), 'PUT', '/widget/marketing-consent', { channel: 'widget', granted: true });

    // the shopper, signed in through Kefu.setUser, asks in the widget
    const page = await e2e.newPage();
    await page.goto(`${e2e.stack.urls.demo}?lang=en`);
    await page.evaluate((u) => (window as unknown as { Kefu: { setUser: (x: unknown) => void } }).Kefu.setUser(u), user);
    await page.evaluate(() => (window as unknown as { Kefu: { open: () => void } }).Kefu.open());
    const dialog = chatDialog(page);
    await dialog.getByText('Signed in as 李雷').waitFor();
    await dialog.getByRole('button', { name: 'Send us a message' }).click();
    const input = dialog.getByLabel('Your message');
    await input.fill('我的快递到哪了');
    const created = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/widget/conversations');
    await input.press('Enter');
    const { conversation } = (await (await created).json()) as { conversation: { conversationId: string } };
    const answer = dialog.locator('.msg.bot', { hasText: tracking });
    await answer.waitFor();
    const text = (await answer.textContent()) ?? '';
    expect(text).toContain('顺丰速运');
    expect(text).toContain('【北京朝阳】快件已到达北京朝阳营业点，快递员：***');
    expect(text).not.toMatch(/13900001111|王强/);

    // the 催单 run twice: one care message in the widget's "For you"
    const run = () => runLogisticsNudges({ openTicket: openStallTicket }, new Date(), () => 60_000, null);
    expect((await run()).stall_care_sent).toBe(1);
    expect((await run()).stall_care_sent ?? 0).toBe(0);
    await page.reload();
    await page.evaluate((u) => (window as unknown as { Kefu: { setUser: (x: unknown) => void } }).Kefu.setUser(u), user);
    await page.evaluate(() => (window as unknown as { Kefu: { open: () => void } }).Kefu.open());
    const care = chatDialog(page).getByRole('region', { name: 'For you' }).locator('article.offer', { hasText: orderId });
    await care.waitFor();
    expect(await care.count()).toBe(1);
    expect(await care.textContent()).toContain('顺丰速运');

    // the agent: the trace in the customer 360, newest first, redacted
    const agent = await signedInConsole(e2e, 'agent@demo.kefu');
    await botView(agent);
    await agent.locator(`a.conv[data-conversation="${conversation.conversationId}"]`).click();
    const parcels = agent.getByRole('group', { name: 'Parcels' });
    const shipment = parcels.locator(`li.shipment[data-tracking="${tracking}"]`);
    await shipment.waitFor();
    expect(await shipment.locator('.shipment-status').textContent()).toBe('Arrived at a depot');
    const trace = shipment.getByRole('list', { name: `Tracking of ${tracking}` }).getByRole('listitem');
    await poll(() => trace.count()).toBe(2);
    expect(await trace.first().textContent()).toContain('快件已到达北京朝阳营业点');
    expect(await trace.last().getAttribute('data-status')).toBe('created');
    expect(await parcels.textContent()).not.toContain('13900001111');
    expect(await axeViolations(agent)).toEqual([]);
  });

  test('an admin sets the 催单 thresholds on the shop settings screen, with the screen’s checks first', async () => {
    const admin = await signedInConsole(e2e, 'admin@demo.kefu');
    await admin.goto(`${e2e.stack.urls.console}#/settings/shop`);
    const form = admin.getByRole('form', { name: 'Chasing late parcels' });
    await form.waitFor();
    await form.getByLabel('Open a ticket after (hours without an update)').fill('24');
    await form.getByRole('button', { name: 'Add a carrier' }).click();
    await form.getByLabel('Carrier name').fill('EMS');
    await form.getByRole('button', { name: 'Save chasing settings' }).click();
    await form.getByText('The ticket must come later than the message to the shopper.').first().waitFor();
    expect(await form.getByLabel('Open a ticket after (hours without an update)').first().getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Open a ticket after (hours without an update)').first().fill('96');
    const row = form.getByRole('group', { name: 'Carrier 1' });
    await row.getByLabel('Message the shopper after (hours without an update)').fill('72');
    await row.getByLabel('Open a ticket after (hours without an update)').fill('120');
    await form.getByRole('button', { name: 'Save chasing settings' }).click();
    await form.getByText('Chasing settings saved.').waitFor();
    const token = await staffToken(e2e, 'admin@demo.kefu');
    const saved = await api<{ ticketHours: number; carriers: { carrier: string; stallHours: number }[] }>(e2e, token, 'GET', '/logistics/settings');
    expect(saved).toMatchObject({ ticketHours: 96, carriers: [{ carrier: 'EMS', stallHours: 72, ticketHours: 120 }] });
    expect(await axeViolations(admin)).toEqual([]);
  });

  test('a marketer creates a coupon pool with generated codes and imports the shop’s CSV; the stock follows', async () => {
    const page = await signedInConsole(e2e, 'marketing@demo.kefu');
    await page.goto(`${e2e.stack.urls.console}#/campaigns/coupons`);
    const create = page.getByRole('form', { name: 'New coupon pool' });
    await create.getByLabel('Name (Chinese)').fill('满99减10');
    await create.getByLabel('Name (English)').fill(`10 off 99 ${stamp}`);
    await create.getByLabel('Value (yuan off)').fill('10');
    await create.getByLabel('Minimum order (yuan)').fill('5');
    await create.getByRole('button', { name: 'Create pool' }).click();
    await create.getByText('The minimum order cannot be lower than the coupon value.').waitFor();
    await create.getByText('Choose a day in the future.').waitFor();
    await create.getByLabel('Minimum order (yuan)').fill('99');
    await create.getByLabel('Expires at the end of').fill(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
    await create.getByLabel('How many codes').fill('5');
    await create.getByRole('button', { name: 'Create pool' }).click();
    await create.getByText('Coupon pool created. 5 codes added.').waitFor();
    const row = page.getByRole('row', { name: new RegExp(`10 off 99 ${stamp}`) });
    await row.waitFor();
    expect(await row.locator('.cpn-stock').textContent()).toBe('5 of 5 left (0 given out)');

    await row.getByRole('button', { name: 'Import codes' }).click();
    const importForm = page.getByRole('form', { name: `Import codes into “10 off 99 ${stamp}”` });
    await importForm.getByLabel('Codes').fill(`code\nSHOP-${stamp}-1\nSHOP-${stamp}-2\nnot a code!\nSHOP-${stamp}-1\n`);
    await importForm.getByRole('button', { name: 'Import' }).click();
    await importForm.getByText('2 codes added. 1 already in the pool or listed twice, skipped. Lines that are not codes: 4.').waitFor();
    await poll(() => row.locator('.cpn-stock').textContent()).toBe('7 of 7 left (0 given out)');
    expect(await axeViolations(page)).toEqual([]);
  });
});
