/**
 * The admin settings screens, used as an admin uses them: Settings › 店铺 (in Chinese: saved and
 * still there after a reload), Settings › Webhooks (a URL pointing at a receiver this test runs,
 * a new signing secret shown once, a test event delivered through the outbox and the queue, seen
 * in the log, and signed with that secret), and the email outbox (emails the test caused, sent
 * to the local SMTP server or refused by it, the state filter, and the ticket's own "Emails"
 * section). Preconditions come from the API; what the test checks is what the screens did.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hmacHex } from '#shared/auth/hmac.ts';
import { keys } from '#shared/store/keys.ts';
import { api, axeViolations, type E2E, poll, signedInConsole, staffToken, TEST_MS, useE2E } from './helpers.ts';

/** A local receiver for the shop's webhooks: it records what arrives and answers 204. */
let receiver: Server;
let origin: string;
const received: { path: string; headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  // The local stage's test receivers (exact loopback origins); production checks every URL strictly.
  process.env.KEFU_WEBHOOK_TEST_RECEIVERS = origin;
});
afterAll(async () => {
  delete process.env.KEFU_WEBHOOK_TEST_RECEIVERS;
  await new Promise<void>((r) => receiver.close(() => r()));
});

let e2e: E2E;
useE2E((started) => (e2e = started));

async function toChinese(page: Page): Promise<void> {
  await page.locator('.topbar button[lang="zh-CN"]').click();
  await page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached' });
}

/** A signed call from the demo shop's backend, with the secret the table holds now (it is rotated in this file). */
async function shopPost(path: string, body: unknown): Promise<{ ticketId: string }> {
  const shop = await e2e.stack.db.send(new GetCommand({ TableName: 'Kefu', Key: keys.shop('demo'), ConsistentRead: true }));
  const raw = JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await fetch(`${e2e.stack.urls.api}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-kefu-shop': 'demo',
      'x-kefu-timestamp': ts,
      'x-kefu-signature': hmacHex(String(shop.Item?.webhookSecret), `${ts}.${raw}`),
    },
    body: raw,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { ticketId: string };
}

describe('admin settings: shop, webhooks, email outbox', { timeout: TEST_MS }, () => {
  const stamp = Date.now().toString(36);

  test('店铺: an admin changes the shop settings in Chinese and finds them after a reload', async () => {
    const page = await signedInConsole(e2e, 'admin@demo.kefu');
    await toChinese(page);
    await page.getByRole('link', { name: '设置' }).click();
    await page.getByRole('link', { name: '店铺', exact: true }).click();
    await page.getByRole('heading', { name: '店铺设置' }).waitFor();
    expect(await page.getByLabel('店铺名称').inputValue()).toBe('Demo Shop');
    expect(await page.getByLabel('新会话先由机器人接待').isChecked()).toBe(true);

    // refused before any request, next to the field
    await page.getByLabel('聊天记录保留天数').fill('0');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('请输入 1 到 3650 之间的整数天数，或留空。').waitFor();
    expect(await page.getByLabel('聊天记录保留天数').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('店铺名称').fill(`测试小店${stamp}`);
    await page.getByLabel('新会话先由机器人接待').uncheck();
    await page.getByLabel('聊天记录保留天数').fill('30');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('店铺设置已保存。').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.reload();
    await page.locator('#shop-name').waitFor();
    expect(await page.locator('#shop-name').inputValue()).toBe(`测试小店${stamp}`);
    expect(await page.locator('#shop-bot').isChecked()).toBe(false);
    expect(await page.locator('#shop-assign').isChecked()).toBe(true);
    expect(await page.locator('#shop-retention').inputValue()).toBe('30');
  });

  test('Webhooks: URL to a local receiver, a new secret shown once, a test event delivered and signed', async () => {
    const page = await signedInConsole(e2e, 'admin@demo.kefu');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(e2e.stack.urls.console).origin });
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 2 }).waitFor();
    await page.getByText('No webhook URL is set, so events are only logged.').waitFor();
    expect(await page.getByRole('button', { name: 'Send a test event' }).isDisabled()).toBe(true);

    // the server's policy, shown next to the field
    await page.getByLabel('Webhook URL').fill('https://10.0.0.8/hook');
    await page.getByRole('button', { name: 'Save URL' }).click();
    await page.locator('#webhook-webhookUrl-error', { hasText: 'webhooks go to public addresses only' }).waitFor();

    await page.getByLabel('Webhook URL').fill(`${origin}/hook`);
    await page.getByRole('button', { name: 'Save URL' }).click();
    await page.getByText('Webhook URL saved.').waitFor();

    await page.getByRole('button', { name: 'Generate a new secret…' }).click();
    await page.getByText('The current secret stops working at once').waitFor();
    await page.getByRole('button', { name: 'Generate the new secret' }).click();
    await page.getByText('Copy it now: it will not be shown again.').waitFor();
    const secret = await page.getByLabel('New signing secret').inputValue();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await page.getByText(`Current secret: ••••••••${secret.slice(-4)}`).waitFor();

    await page.getByRole('button', { name: 'Send a test event' }).click();
    await page.getByText('Test event queued.').waitFor();
    const row = page.locator('tr[data-state="delivered"]', { hasText: 'Test event' });
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual(expect.arrayContaining(['Delivered', '1', '204']));
    expect(await axeViolations(page)).toEqual([]);

    const eventId = (await row.getAttribute('data-delivery')) as string;
    const got = received.find((r) => r.path === '/hook' && (JSON.parse(r.body) as { id: string }).id === eventId);
    expect(got?.headers['x-kefu-event']).toBe('webhook.test');
    expect(got?.headers['x-kefu-signature']).toBe(hmacHex(secret, `${got?.headers['x-kefu-timestamp']}.${got?.body}`));

    // shown once: a reload has only the masked hint
    await page.reload();
    await page.getByText(`Current secret: ••••••••${secret.slice(-4)}`).waitFor();
    expect(await page.locator('#webhook-new-secret').count()).toBe(0);
    expect(await page.getByLabel('Webhook URL').inputValue()).toBe(`${origin}/hook`);
  });

  test('Email outbox: replies to email tickets are sent (or refused), filtered by state, and shown on their ticket', async () => {
    const agent = await staffToken(e2e, 'agent@demo.kefu');
    /** An email ticket from `customer`, answered by the agent (preconditions through the API). */
    const answered = async (customer: string, subject: string, id: string) => {
      const raw = [
        `From: ${customer}`,
        'To: support@demo.example',
        `Subject: ${subject}`,
        `Message-ID: <${id}@mail.example>`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'My parcel has not arrived.',
        '',
      ].join('\r\n');
      const { ticketId } = await shopPost('/email/inbound', { raw: Buffer.from(raw).toString('base64') });
      const { ticket } = await api<{ ticket: { conversationId: string } }>(e2e, agent, 'GET', `/tickets/${ticketId}`);
      await api(e2e, agent, 'POST', `/conversations/${ticket.conversationId}/messages`, { text: `Sorry! Your parcel ${stamp} ships today.` });
      return ticketId;
    };
    const subject = `Parcel ${stamp} missing`;
    const customer = `buyer.${stamp}@example.com`;
    const ticketId = await answered(customer, subject, stamp);
    // The local SMTP server refuses `bounce…` addresses for good (550), as a real one refuses an unknown mailbox.
    const bounced = `Parcel ${stamp} bounced`;
    await answered(`bounce.${stamp}@example.com`, bounced, `${stamp}-b`);
    // The sender runs every minute; run it now rather than wait.
    await e2e.stack.scheduler.runNow('email-sender');

    const page = await signedInConsole(e2e, 'admin@demo.kefu');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Email outbox' }).click();
    const row = page.locator('.email-outbox tbody tr', { hasText: `Re: ${subject}` });
    const failedRow = page.locator('.email-outbox tbody tr', { hasText: `Re: ${bounced}` });
    await row.waitFor();
    expect(await row.textContent()).toContain(customer);
    expect(await row.locator('.badge').textContent()).toBe('Sent');
    expect(await failedRow.locator('.badge').textContent()).toBe('Failed');
    expect(await failedRow.textContent()).toContain('smtp 550');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('Delivery state').selectOption('pending');
    await poll(() => row.count()).toBe(0);
    expect(await failedRow.count()).toBe(0);
    await page.getByLabel('Delivery state').selectOption('failed');
    await failedRow.waitFor();
    expect(await row.count()).toBe(0);
    await page.getByLabel('Delivery state').selectOption('sent');
    await row.waitFor();
    expect(await failedRow.count()).toBe(0);

    await row.getByRole('link', { name: ticketId }).click();
    await page.getByRole('heading', { name: subject }).waitFor();
    const section = page.locator('.ticket-emails');
    await section.getByRole('heading', { name: 'Emails' }).waitFor();
    await section.locator('tr', { hasText: `Re: ${subject}` }).waitFor();
    expect(await section.textContent()).toContain('Sent');
  });
});
