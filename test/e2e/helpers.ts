/**
 * Shared set-up of the browser tests: a local stack on a free port with freshly built web apps,
 * Debian's Chromium through playwright-core, console sign-in, a widget conversation, axe-core,
 * and signed shop calls. Each test builds the state it needs with these (through the screen, or
 * through the API where it is only a precondition) and its pages are closed after it, so one
 * failing test never breaks the next. Deadlines (HANG_MS) only catch hangs; nothing measures time.
 * Missing Chromium fails the suite (it never skips).
 */
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { type LocalStack, startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { getShop } from '#shared/store/shops.ts';
import { buildWeb } from '../../web/build.ts';
import { until } from '../support/until.ts';

/** Debian's Chromium, the browser the tests drive. */
export const CHROMIUM = '/usr/bin/chromium';
const AXE = join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js');

/**
 * One browser-test file at a time: vitest runs two files at once, and a browser plus a local stack
 * per file would fight over a small machine's cores. Each file holds this lock (an atomically
 * created directory with the holder's pid; a dead holder's lock is taken over) from its start to its end.
 */
const LOCK = join(
  tmpdir(),
  `kefu-e2e-${createHash('sha256')
    .update(import.meta.dirname)
    .digest('hex')
    .slice(0, 12)}.lock`,
);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes the browser-test lock (waiting while another file holds it); resolves to its release. */
export async function acquireBrowserLock(): Promise<() => Promise<void>> {
  await until(
    async () => {
      try {
        await mkdir(LOCK);
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = Number(await readFile(join(LOCK, 'pid'), 'utf8').catch(() => ''));
        if (holder && holder !== process.pid && !alive(holder)) await rm(LOCK, { recursive: true, force: true });
        return false;
      }
    },
    { timeoutMs: START_TIMEOUT_MS, everyMs: 250, what: 'the browser-test lock' },
  );
  await writeFile(join(LOCK, 'pid'), String(process.pid));
  const onExit = () => rmSync(LOCK, { recursive: true, force: true });
  process.once('exit', onExit);
  return async () => {
    process.off('exit', onExit);
    await rm(LOCK, { recursive: true, force: true });
  };
}

/** How long a file may wait for the lock and start its stack (another file may be running). */
export const START_TIMEOUT_MS = 180_000;

/**
 * The one deadline of the browser tests: the page default timeout, `poll` and `until`. It only
 * catches hangs (never a measure of speed), so a busy 2-core machine still passes.
 */
export const HANG_MS = 60_000;

/** Each browser test's own timeout (`describe(…, { timeout: TEST_MS })`): well above any one hang. */
export const TEST_MS = 300_000;

/** `expect.poll` with the hang deadline (vitest's default is one second). */
export const poll = <T>(probe: () => T | Promise<T>, opts: { interval?: number } = {}) => expect.poll(probe, { timeout: HANG_MS, ...opts });

/** One file's browser and local stack. */
export interface E2E {
  stack: LocalStack;
  browser: Browser;
  /** A page in a fresh browser context (own storage, own visitor), closed by `closePages`; `phone`: a touch screen 390 px wide. */
  newPage(locale?: string, phone?: boolean): Promise<Page>;
  /** Closes every page opened since the last call (run it after each test). */
  closePages(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The lifecycle of one browser-test file: the browser and stack start before its tests (then
 * `setup` runs, e.g. settings the whole file needs), every page a test opened is closed after it,
 * and everything stops at the end. `use` receives the running E2E.
 */
export function useE2E(use: (e2e: E2E) => void, setup?: (e2e: E2E) => Promise<void>): void {
  let e2e: E2E | undefined;
  beforeAll(async () => {
    e2e = await startE2E();
    use(e2e);
    await setup?.(e2e);
  }, START_TIMEOUT_MS);
  afterEach(async () => {
    await e2e?.closePages();
  });
  afterAll(async () => {
    await e2e?.close();
  }, START_TIMEOUT_MS);
}

/** Starts Chromium and a local stack with freshly built web apps (holding the browser-test lock). */
export async function startE2E(): Promise<E2E> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser tests need Debian's Chromium. Run: apt-get install -y chromium`);
  }
  const release = await acquireBrowserLock();
  const webRoot = await mkdtemp(join(tmpdir(), 'kefu-web-'));
  let stack: LocalStack;
  let browser: Browser;
  try {
    await buildWeb({ outDir: webRoot });
    [stack, browser] = await Promise.all([
      startLocalStack({ port: 0, memory: true, quiet: true, webRoot }),
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
      }),
    ]);
  } catch (err) {
    await rm(webRoot, { recursive: true, force: true });
    await release();
    throw err;
  }
  let contexts: BrowserContext[] = [];
  const closePages = async () => {
    const open = contexts;
    contexts = [];
    for (const context of open) await context.close().catch(() => undefined);
  };
  return {
    stack,
    browser,
    async newPage(locale = 'en-US', phone = false) {
      const screen = phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 800 } };
      const context = await browser.newContext({ locale, ...screen, acceptDownloads: true });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(HANG_MS);
      page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
      return page;
    },
    closePages,
    async close() {
      await closePages();
      await browser.close();
      await stack.stop();
      await rm(webRoot, { recursive: true, force: true });
      await release();
    },
  };
}

/**
 * A new page signed in to the console through its login form, switched to English, with the live
 * connection up when the role has an inbox (an agent online from then on).
 */
export async function signedInConsole(e2e: E2E, email: string, init?: () => void): Promise<Page> {
  const page = await e2e.newPage();
  // a script run in the page before the console (test doubles of browser APIs)
  if (init) await page.addInitScript(init);
  await page.goto(e2e.stack.urls.console);
  await page.locator('#login-email').fill(email);
  await page.locator('#login-password').fill('kefu-demo');
  await page.locator('form button[type=submit]').click();
  await page.locator('.topbar nav').waitFor();
  if (await page.locator('.topbar .presence').count()) await page.locator('.live.on').waitFor();
  // the language button offers the other language: rendered with the shell, so no race with the profile's locale
  const toEnglish = page.locator('.topbar button[lang="en"]');
  if (await toEnglish.count()) await toEnglish.click();
  await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
  return page;
}

/**
 * Opens the inbox's bot view (机器人接待中 / With the bot): a conversation the bot alone serves is
 * listed there, not in the agents' open views, until a hand-off or an agent's reply.
 */
export async function botView(console: Page): Promise<void> {
  await console.locator('a[data-view="bot"]').click();
  await console.locator('a[data-view="bot"][aria-current="page"]').waitFor();
}

/** A new page on the demo shop: English (`?lang=en`) for an `en` locale, else the browser's language. */
export async function openDemo(e2e: E2E, locale = 'en-US'): Promise<Page> {
  const page = await e2e.newPage(locale);
  await page.goto(locale.startsWith('en') ? `${e2e.stack.urls.demo}?lang=en` : e2e.stack.urls.demo);
  return page;
}

/** The English chat dialog of a demo page. */
export const chatDialog = (page: Page) => page.getByRole('dialog', { name: 'Customer service' });

/** Opens the English chat and its message composer; returns the dialog. */
export async function openComposer(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Chat with us' }).click();
  const dialog = chatDialog(page);
  await dialog.getByRole('button', { name: 'Send us a message' }).click();
  return dialog;
}

/** Sends the first message from the open English composer; resolves to the new conversation's id. */
export async function startConversation(page: Page, text: string): Promise<string> {
  const input = chatDialog(page).getByLabel('Your message');
  await input.fill(text);
  const created = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/widget/conversations');
  await input.press('Enter');
  const { conversation } = (await (await created).json()) as { conversation: { conversationId: string } };
  return conversation.conversationId;
}

/** Every WebSocket frame the page receives from now on (attach before the page connects). */
export function recordFrames(page: Page): string[] {
  const frames: string[] = [];
  page.on('websocket', (socket) => socket.on('framereceived', (frame) => frames.push(String(frame.payload))));
  return frames;
}

/** Sends a frame to every open WebSocket through the @connections management API (as the back end's pushes do). */
export async function pushToAllSockets(e2e: E2E, frame: unknown): Promise<void> {
  for (const id of e2e.stack.ws.connectionIds()) {
    await fetch(`${e2e.stack.urls.api}/@connections/${encodeURIComponent(id)}`, { method: 'POST', body: JSON.stringify(frame) });
  }
}

/** Serious and critical axe-core violations on the page (open shadow roots included). */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the pages' CSP (script-src 'self') blocks an injected inline <script>.
  await page.evaluate(await readFile(AXE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: unknown }[] }[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(', ')}`);
}

/** A staff id token for a demo account (password login through the API). */
export async function staffToken(e2e: E2E, email: string): Promise<string> {
  const res = await fetch(`${e2e.stack.urls.api}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'kefu-demo' }),
  });
  return ((await res.json()) as { idToken: string }).idToken;
}

/** A JSON call to the API with a bearer token; fails the test on an unexpected status. */
export async function api<T>(e2e: E2E, token: string, method: string, path: string, body?: unknown, expected = [200, 201, 202, 204]): Promise<T> {
  const res = await fetch(`${e2e.stack.urls.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  expect(expected, `${method} ${path} → ${res.status} ${text}`).toContain(res.status);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A widget visitor session on the demo shop (a shop user's when `user` carries its HMAC). */
export async function visitorToken(e2e: E2E, user?: { id: string; name?: string; hmac: string }): Promise<string> {
  const res = await fetch(`${e2e.stack.urls.api}/widget/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ shopId: 'demo', ...(user ? { user } : {}) }),
  });
  return ((await res.json()) as { token: string }).token;
}

/** A signed call from the demo shop's backend (HMAC of `timestamp.body` with its webhook secret). */
export async function shopCall(e2e: E2E, path: string, body: unknown): Promise<Response> {
  const shop = await getShop('demo');
  if (!shop) throw new Error('the demo shop was not seeded');
  const raw = JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  return fetch(`${e2e.stack.urls.api}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-kefu-shop': 'demo',
      'x-kefu-timestamp': ts,
      'x-kefu-signature': hmacHex(shop.webhookSecret, `${ts}.${raw}`),
    },
    body: raw,
  });
}

/** What `Kefu.setUser` takes for a shop user: the HMAC the shop's backend computes. */
export async function shopUser(id: string, name: string, email?: string): Promise<{ id: string; name: string; email?: string; hmac: string }> {
  const shop = await getShop('demo');
  if (!shop) throw new Error('the demo shop was not seeded');
  return { id, name, ...(email ? { email } : {}), hmac: hmacHex(shop.identitySecret, id) };
}
