import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startLocalStack, type LocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { getShop } from '#shared/store/shops.ts';
import { buildWeb } from '../../web/build.ts';

const CHROMIUM = '/usr/bin/chromium';
const AXE = join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js');

let stack: LocalStack;
let browser: Browser;
let webRoot: string;
const contexts: BrowserContext[] = [];

async function newPage(locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(5_000);
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
  return page;
}

async function signInToConsole(page: Page, email: string): Promise<void> {
  await page.goto(stack.urls.console);
  await page.locator('#login-email').fill(email);
  await page.locator('#login-password').fill('kefu-demo');
  await page.locator('form button[type=submit]').click();
  await page.locator('.views a[data-view="open"]').waitFor();
  await page.locator('.live.on').waitFor();
  if ((await page.evaluate(() => document.documentElement.lang)) === 'zh-CN') {
    await page.locator('.topbar button[lang="en"]').click();
    await page.getByRole('link', { name: 'Inbox' }).waitFor();
  }
}

/** Serious and critical axe-core violations on the page (open shadow roots included). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: await readFile(AXE, 'utf8') });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(', ')}`);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser tests need Debian's Chromium. Run: apt-get install -y chromium`);
  }
  webRoot = await mkdtemp(join(tmpdir(), 'kefu-web-'));
  await buildWeb({ outDir: webRoot });
  [stack, browser] = await Promise.all([
    startLocalStack({ port: 0, memory: true, quiet: true, webRoot }),
    chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    }),
  ]);
}, 30_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
  if (webRoot) await rm(webRoot, { recursive: true, force: true });
}, 20_000);

describe('live chat in a real browser', () => {
  let widget: Page;
  let agent: Page;
  const widgetFrames: string[] = [];
  const stamp = Date.now().toString(36);
  const question = `Does the 250 g tin ship today? ${stamp}`;
  const reply = `Yes, it ships within 24 hours. ${stamp}`;
  const note = `INTERNAL check stock in warehouse B ${stamp}`;
  const followUp = `Anything else I can help with? ${stamp}`;

  test('a shopper message reaches the console live, the reply comes back, internal notes stay internal, history survives a reload', async () => {
    agent = await newPage();
    await signInToConsole(agent, 'agent@demo.kefu');
    expect(await agent.evaluate(() => localStorage.getItem('kefu:console:locale'))).toBe('en');

    widget = await newPage();
    widget.on('websocket', (socket) => socket.on('framereceived', (frame) => widgetFrames.push(String(frame.payload))));
    await widget.goto(`${stack.urls.demo}?lang=en`);
    await widget.getByRole('button', { name: 'Chat with us' }).click();
    const dialog = widget.getByRole('dialog', { name: 'Customer service' });
    await dialog.waitFor();
    const input = dialog.getByLabel('Your message');
    await expect.poll(() => input.evaluate((node) => node === (node.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await widget.evaluate(() => {
      const w = window as unknown as { received: unknown[]; Kefu: { on: (e: string, fn: (p: unknown) => void) => void } };
      w.received = [];
      w.Kefu.on('message', (payload) => w.received.push(payload));
    });

    await input.fill(question);
    const created = widget.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/widget/conversations');
    const sentAt = Date.now();
    await input.press('Enter');
    const { conversation } = (await (await created).json()) as { conversation: { conversationId: string } };
    const rowSelector = `a.conv[data-conversation="${conversation.conversationId}"]`;
    const row = agent.locator(rowSelector);
    await row.waitFor({ timeout: 5_000 });
    const toConsoleMs = Date.now() - sentAt;
    console.log(`[e2e] shopper message visible in the console inbox after ${toConsoleMs} ms`);
    expect(toConsoleMs).toBeLessThan(1_000);
    await expect.poll(() => dialog.locator('.msg.mine').last().getAttribute('class')).not.toContain('pending');


    const lead = await newPage();
    await lead.goto(stack.urls.console);
    await lead.locator('#login-email').fill('lead@demo.kefu');
    await lead.locator('#login-password').fill('kefu-demo');
    const loginAt = Date.now();
    await lead.locator('form button[type=submit]').click();
    await lead.locator(rowSelector).waitFor({ timeout: 5_000 });
    const afterLoginMs = Date.now() - loginAt;
    console.log(`[e2e] conversation listed ${afterLoginMs} ms after a second agent pressed "sign in"`);
    expect(afterLoginMs).toBeLessThan(1_000);
    await lead.locator(rowSelector).click();
    await lead.locator('ol.thread').getByText(question).waitFor();

    await row.click();
    const thread = agent.locator('ol.thread');
    await thread.getByText(question).waitFor();
    await dialog.locator('.msg.mine .state', { hasText: 'Read' }).waitFor();
    await input.fill('one more thing');
    await agent.locator('.typing', { hasText: 'is typing…' }).waitFor();
    await input.fill('');
    await agent.getByLabel('Reply to the customer').fill(reply);
    await dialog.locator('.typing', { hasText: 'is typing…' }).waitFor();
    const repliedAt = Date.now();
    await agent.getByLabel('Reply to the customer').press('Enter');
    await dialog.locator('.msg.agent', { hasText: reply }).waitFor({ timeout: 5_000 });
    console.log(`[e2e] agent reply visible in the widget after ${Date.now() - repliedAt} ms`);
    await expect(dialog.locator('.msg.agent .author').last().textContent()).resolves.toBe('Li Na');
    await expect
      .poll(() => widget.evaluate(() => JSON.stringify((window as unknown as { received: unknown[] }).received)))
      .toContain(reply);

    await agent.getByRole('switch', { name: 'Internal note' }).check();
    await agent.getByLabel('Internal note for your team').fill(note);
    await agent.getByRole('button', { name: 'Add note' }).click();
    await thread.locator('.msg.internal', { hasText: note }).waitFor();
    expect(await thread.locator('.msg.internal .badge').first().textContent()).toBe('Internal note');
    await agent.getByRole('switch', { name: 'Internal note' }).uncheck();
    await agent.getByLabel('Reply to the customer').fill(followUp);
    await agent.getByLabel('Reply to the customer').press('Enter');
    await dialog.locator('.msg.agent', { hasText: followUp }).waitFor({ timeout: 5_000 });
    expect(await dialog.locator('.log').textContent()).not.toContain(note);
    expect(widgetFrames.some((f) => f.includes(followUp))).toBe(true);
    expect(widgetFrames.filter((f) => f.includes('INTERNAL') || f.includes(note))).toEqual([]);

    await widget.reload();
    await widget.getByRole('button', { name: 'Chat with us' }).click();
    await dialog.locator('.msg.mine', { hasText: question }).waitFor({ timeout: 5_000 });
    await dialog.locator('.msg.agent', { hasText: reply }).waitFor();
    await dialog.locator('.msg.agent', { hasText: followUp }).waitFor();
    expect(await dialog.locator('.log').textContent()).not.toContain(note);
    expect(widgetFrames.filter((f) => f.includes(note))).toEqual([]);
  }, 30_000);

  test('after the socket drops, the widget reconnects and fetches what it missed exactly once', async () => {
    const dialog = widget.getByRole('dialog', { name: 'Customer service' });
    const missed = `Sent while you were offline ${stamp}`;
    await widget.context().setOffline(true);
    for (const id of stack.ws.connectionIds()) await fetch(`${stack.urls.api}/@connections/${encodeURIComponent(id)}`, { method: 'DELETE' });
    await dialog.getByText('Connection lost. Reconnecting…').waitFor();
    await agent.getByLabel('Reply to the customer').fill(missed);
    await agent.getByLabel('Reply to the customer').press('Enter');
    await agent.locator('ol.thread .msg.agent', { hasText: missed }).and(agent.locator(':not(.pending)')).waitFor();
    await widget.context().setOffline(false);
    await dialog.locator('.msg.agent', { hasText: missed }).waitFor({ timeout: 10_000 });
    await expect.poll(() => dialog.getByText('Connection lost. Reconnecting…').isVisible()).toBe(false);
    expect(await dialog.locator('.msg.agent', { hasText: missed }).count()).toBe(1);
    expect(widgetFrames.filter((f) => f.includes(missed))).toEqual([]);
    expect(await dialog.locator('.msg.agent', { hasText: reply }).count()).toBe(1);
  }, 20_000);

  test('the open widget and the console inbox have no serious or critical axe violations', async () => {
    expect(await axeViolations(widget)).toEqual([]);
    expect(await axeViolations(agent)).toEqual([]);
  }, 15_000);

  test('on a zh-CN page the widget speaks Chinese, and calls queued before the loader ran are replayed', async () => {
    const page = await newPage('zh-CN');
    await page.addInitScript(() => {
      (window as unknown as { Kefu: { q: unknown[][] } }).Kefu = { q: [['open', []]] };
    });
    await page.goto(stack.urls.demo);
    const dialog = page.getByRole('dialog', { name: '在线客服' });
    await dialog.waitFor({ timeout: 5_000 });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await dialog.locator('.title').textContent()).toBe('在线客服');
    expect(await dialog.getByLabel('您的消息').getAttribute('placeholder')).toBe('请输入消息…');
    expect(await dialog.getByRole('button', { name: '发送' }).count()).toBe(1);
    await page.addStyleTag({ content: 'body * { font-size: 40px !important; color: red !important; } button { background: red !important; }' });
    expect(await dialog.locator('.title').evaluate((node) => getComputedStyle(node).fontSize)).toBe('16px');
    expect(await dialog.locator('.bubble, .note').first().evaluate((node) => getComputedStyle(node).color)).not.toBe('rgb(255, 0, 0)');
    expect(await dialog.locator('.composer .send').evaluate((node) => getComputedStyle(node).backgroundColor)).not.toBe('rgb(255, 0, 0)');
    expect(await page.locator('.launcher').getAttribute('aria-label')).toBe('关闭对话');
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
      expect(await page.evaluate(() => document.querySelector('[data-kefu]')?.shadowRoot?.activeElement?.closest('#kefu-panel') != null)).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await page.locator('.launcher').getAttribute('aria-label')).toBe('联系客服');
    expect(await page.evaluate(() => document.querySelector('[data-kefu]')?.shadowRoot?.activeElement?.className)).toBe('launcher');
  }, 15_000);

  test('Kefu.setUser with the HMAC from the shop backend makes a verified shopper the agent sees as verified', async () => {
    const shop = await getShop('demo');
    if (!shop) throw new Error('the demo shop was not seeded');
    const user = { id: 'shopper-1001', name: 'Wang Fang', email: 'wang.fang@example.com', hmac: hmacHex(shop.identitySecret, 'shopper-1001') };
    const page = await newPage();
    await page.goto(`${stack.urls.demo}?lang=en`);
    await page.evaluate((u) => (window as unknown as { Kefu: { setUser: (x: unknown) => void; open: () => void } }).Kefu.setUser(u), user);
    await page.evaluate(() => (window as unknown as { Kefu: { open: () => void } }).Kefu.open());
    const dialog = page.getByRole('dialog', { name: 'Customer service' });
    await dialog.getByText('Signed in as Wang Fang').waitFor();
    const input = dialog.getByLabel('Your message');
    await input.fill(`Verified question ${stamp}`);
    const created = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/widget/conversations');
    await input.press('Enter');
    const { conversation } = (await (await created).json()) as { conversation: { conversationId: string } };
    const row = agent.locator(`a.conv[data-conversation="${conversation.conversationId}"]`);
    await row.waitFor();
    expect(await row.locator('.conv-name').textContent()).toBe('Wang Fang');
    await row.click();
    const panel = agent.getByRole('complementary', { name: 'Customer' });
    await panel.getByText('wang.fang@example.com').waitFor();
    expect(await panel.locator('.badge.ok').textContent()).toBe('Verified');
  }, 15_000);

  test('with no agent online outside business hours the widget offers the offline form, and the message reaches the inbox', async () => {
    const page = await newPage();
    await page.route('**/widget/status', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ agentsOnline: 0, open: false }) }),
    );
    await page.goto(`${stack.urls.demo}?lang=en`);
    await page.getByRole('button', { name: 'Chat with us' }).click();
    const dialog = page.getByRole('dialog', { name: 'Customer service' });
    await dialog.getByRole('heading', { name: 'Leave us a message' }).waitFor();
    const offlineText = `Please call me back about a gift box ${stamp}`;
    await dialog.getByLabel('Email').fill('not-an-email');
    await dialog.getByLabel('Message', { exact: true }).fill(offlineText);
    await dialog.getByRole('button', { name: 'Send message' }).click();
    await dialog.getByText('Enter a valid email address.').waitFor();
    await dialog.getByLabel('Email').fill('shopper@example.com');
    const sent = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/widget/offline-message');
    await dialog.getByRole('button', { name: 'Send message' }).click();
    const { conversation } = (await (await sent).json()) as { conversation: { conversationId: string } };
    await dialog.getByText('We will reply to shopper@example.com').waitFor();
    await agent.locator(`a.conv[data-conversation="${conversation.conversationId}"]`).waitFor({ timeout: 5_000 });
  }, 15_000);
});
