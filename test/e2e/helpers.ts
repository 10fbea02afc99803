/**
 * Shared set-up of the browser tests: a local stack on a free port with freshly built web apps,
 * Debian's Chromium through playwright-core, console sign-in, axe-core, and signed shop calls.
 * Missing Chromium fails the suite (it never skips).
 */
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startLocalStack, type LocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { getShop } from '#shared/store/shops.ts';
import { buildWeb } from '../../web/build.ts';

export const CHROMIUM = '/usr/bin/chromium';
const AXE = join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js');

/**
 * One browser-test file at a time: vitest runs two files at once, and these files measure
 * real-time latencies (message → console under a second, a live countdown ticking) that only hold
 * on a quiet machine. Each file holds this lock (an atomically created directory with the holder's
 * pid; a dead holder's lock is taken over) from its start to its end.
 */
const LOCK = join(tmpdir(), `kefu-e2e-${createHash('sha256').update(import.meta.dirname).digest('hex').slice(0, 12)}.lock`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function acquireBrowserLock(): Promise<() => Promise<void>> {
  for (;;) {
    try {
      await mkdir(LOCK);
      await writeFile(join(LOCK, 'pid'), String(process.pid));
      const onExit = () => rmSync(LOCK, { recursive: true, force: true });
      process.once('exit', onExit);
      return async () => {
        process.off('exit', onExit);
        await rm(LOCK, { recursive: true, force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(await readFile(join(LOCK, 'pid'), 'utf8').catch(() => ''));
      if (holder && holder !== process.pid && !alive(holder)) await rm(LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** How long a file may wait for the lock and start its stack (another file may be running). */
export const START_TIMEOUT_MS = 180_000;

export interface E2E {
  stack: LocalStack;
  browser: Browser;
  newPage(locale?: string): Promise<Page>;
  close(): Promise<void>;
}

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
  const contexts: BrowserContext[] = [];
  return {
    stack,
    browser,
    async newPage(locale = 'en-US') {
      const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 }, acceptDownloads: true });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(5_000);
      page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await stack.stop();
      await rm(webRoot, { recursive: true, force: true });
      await release();
    },
  };
}

/** Signs a demo account in to the console (English) and waits for the live connection. */
export async function signInToConsole(e2e: E2E, page: Page, email: string): Promise<void> {
  await page.goto(e2e.stack.urls.console);
  await page.evaluate(() => localStorage.setItem('kefu:console:locale', 'en'));
  await page.locator('#login-email').fill(email);
  await page.locator('#login-password').fill('kefu-demo');
  await page.locator('form button[type=submit]').click();
  await page.locator('.topbar nav').waitFor();
}

/** Serious and critical axe-core violations on the page (open shadow roots included). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: await readFile(AXE, 'utf8') });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(', ')}`);
}

export async function staffToken(e2e: E2E, email: string): Promise<string> {
  const res = await fetch(`${e2e.stack.urls.api}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'kefu-demo' }) });
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

/** A signed call from the demo shop's backend (HMAC of `timestamp.body` with its webhook secret). */
export async function shopCall(e2e: E2E, path: string, body: unknown): Promise<Response> {
  const shop = await getShop('demo');
  if (!shop) throw new Error('the demo shop was not seeded');
  const raw = JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  return fetch(`${e2e.stack.urls.api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kefu-shop': 'demo', 'x-kefu-timestamp': ts, 'x-kefu-signature': hmacHex(shop.webhookSecret, `${ts}.${raw}`) },
    body: raw,
  });
}

/** What `Kefu.setUser` takes for a shop user: the HMAC the shop's backend computes. */
export async function shopUser(id: string, name: string, email?: string): Promise<{ id: string; name: string; email?: string; hmac: string }> {
  const shop = await getShop('demo');
  if (!shop) throw new Error('the demo shop was not seeded');
  return { id, name, ...(email ? { email } : {}), hmac: hmacHex(shop.identitySecret, id) };
}

/** Milliseconds since `start`, for the timings the tests print. */
export const since = (start: number) => Date.now() - start;
