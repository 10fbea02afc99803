/**
 * After-sales as shoppers and agents meet it: a signed-in shopper opens 申请售后 in the widget (in
 * Chinese), picks the delivered order, adds a photo and submits a return; the agent opens the
 * after-sales ticket in the console, sees the request with its photo and approves it; the shopper
 * sees the new state. Preconditions (the shop's order events) come from the API; what is checked
 * is what the screens show.
 */
import { describe, expect, test } from 'vitest';
import { api, axeViolations, type E2E, poll, shopCall, shopUser, signedInConsole, staffToken, TEST_MS, useE2E, visitorToken } from './helpers.ts';

let e2e: E2E;
useE2E((started) => (e2e = started));

const DAY = 86_400_000;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('after-sales', { timeout: TEST_MS }, () => {
  const stamp = Date.now().toString(36);

  test('a signed-in shopper starts a return with a photo in the widget; the agent approves it in the console', async () => {
    const user = await shopUser(`ase-${stamp}`, '韩梅梅');
    const orderId = `ASE-${stamp}`;
    const order = { orderId, customerId: user.id, amount: 259, quantity: 1 };
    const now = Date.now();
    expect(
      (await shopCall(e2e, '/shop/events', { eventId: `${stamp}-p`, type: 'order.paid', occurredAt: new Date(now - 3 * DAY).toISOString(), data: order }))
        .status,
    ).toBe(202);
    expect(
      (await shopCall(e2e, '/shop/events', { eventId: `${stamp}-d`, type: 'order.delivered', occurredAt: new Date(now - DAY).toISOString(), data: order }))
        .status,
    ).toBe(202);
    await e2e.stack.quiesce();

    // The shopper, signed in through Kefu.setUser, in Chinese.
    const page = await e2e.newPage('zh-CN');
    await page.goto(e2e.stack.urls.demo);
    await page.evaluate((u) => (window as unknown as { Kefu: { setUser: (x: unknown) => void } }).Kefu.setUser(u), user);
    await page.evaluate(() => (window as unknown as { Kefu: { open: () => void } }).Kefu.open());
    const dialog = page.getByRole('dialog', { name: '在线客服' });
    await dialog.getByRole('button', { name: '申请售后' }).click();
    const sheet = dialog.getByRole('region', { name: '申请售后' });
    const form = sheet.getByRole('form', { name: '新的申请' });
    await form.waitFor();
    expect(await form.getByLabel('订单').inputValue()).toBe(orderId);
    await form.getByLabel('售后类型').selectOption({ label: '退货退款' });
    await form.getByLabel('申请原因').selectOption({ label: '质量问题' });
    await form.getByLabel('照片（选填，最多 6 张）').setInputFiles({ name: 'crack.png', mimeType: 'image/png', buffer: PNG });
    await sheet.getByText('已添加 crack.png').waitFor();
    await form.getByLabel('补充说明（选填）').fill('杯口有裂纹');
    await form.getByRole('button', { name: '提交申请' }).click();
    await sheet.getByText('申请已提交，客服会尽快审核。').waitFor();
    const mine = sheet.locator('li.as-request', { hasText: orderId });
    await mine.waitFor();
    expect(await mine.locator('.as-state').textContent()).toBe('已申请');
    expect(await axeViolations(page)).toEqual([]);

    // The agent finds the after-sales ticket (its id read through the API) and works it on screen.
    const shopperToken = await visitorToken(e2e, user);
    const { requests } = await api<{ requests: { requestId: string }[] }>(e2e, shopperToken, 'GET', '/widget/aftersales');
    const staff = await staffToken(e2e, 'agent@demo.kefu');
    const { request } = await api<{ request: { ticketId: string } }>(e2e, staff, 'GET', `/aftersales/${requests[0]!.requestId}`);
    const agent = await signedInConsole(e2e, 'agent@demo.kefu');
    await agent.goto(`${e2e.stack.urls.console}#/tickets/mine/${encodeURIComponent(request.ticketId)}`);
    const panel = agent.getByRole('region', { name: 'After-sales request' });
    await panel.waitFor();
    expect(await panel.locator('.status-pill').textContent()).toBe('Requested');
    await panel.getByText('Quality problem').waitFor();
    await panel.getByText('杯口有裂纹').waitFor();
    const photo = panel.getByRole('img', { name: 'Photo from the shopper: crack.png' });
    await poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    await panel.getByRole('button', { name: 'Approve' }).click();
    await panel.getByText('Done: Awaiting return.').waitFor();
    await poll(() => panel.locator('.status-pill').textContent()).toBe('Awaiting return');
    await agent.getByText('After-sales: Approve (Requested → Awaiting return)').waitFor();
    await panel.getByLabel('Return address for the shopper').fill('上海市浦东新区张江路 1 号 售后组');
    await panel.getByRole('button', { name: 'Send return address' }).click();
    await panel.getByText('上海市浦东新区张江路 1 号 售后组').first().waitFor();
    expect(await axeViolations(agent)).toEqual([]);

    // The shopper sees the new state and where to send the parcel.
    await sheet.getByRole('button', { name: '关闭售后' }).click();
    await dialog.getByRole('button', { name: '申请售后' }).click();
    await poll(() => mine.locator('.as-state').textContent()).toBe('待寄回');
    expect(await mine.textContent()).toContain('请将商品寄回：上海市浦东新区张江路 1 号 售后组');
  });
});
