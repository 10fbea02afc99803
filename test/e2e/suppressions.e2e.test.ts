/**
 * Settings › 邮件发件箱 › 退信与投诉名单, used in Chinese as an admin uses it: an address a hard
 * bounce suppressed is listed with its reason and source, the admin lifts it (after a
 * confirmation) and adds another by hand with a note. The bounce is a precondition written
 * through the same function the inbound mail path uses; what the test checks is what the screen
 * did (the list it shows and the list the API answers afterwards).
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { suppressAddress } from '#shared/channels/suppressions.ts';
import { api, axeViolations, type E2E, poll, signedInConsole, staffToken, TEST_MS, useE2E } from './helpers.ts';

let e2e: E2E;
useE2E((started) => (e2e = started));

/** Switches a signed-in console to Chinese (the language button offers the other language). */
async function toChinese(page: Page): Promise<void> {
  await page.locator('.topbar button[lang="zh-CN"]').click();
  await page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached' });
}

type Row = { address: string; reason: string; note?: string };
const listed = async (token: string, q: string) => (await api<{ items: Row[] }>(e2e, token, 'GET', `/email/suppressions?q=${encodeURIComponent(q)}`)).items;

describe('Settings › 退信与投诉名单', { timeout: TEST_MS }, () => {
  const stamp = Date.now().toString(36);
  const bounced = `tuixin-${stamp}@example.com`;
  const manual = `shoudong-${stamp}@example.com`;

  test('an admin sees a bounced address, lifts it, and adds one by hand (in Chinese)', async () => {
    await suppressAddress({ address: bounced, reason: 'bounce', at: new Date().toISOString(), source: `<dsn-${stamp}@mx.example.com>` });
    const token = await staffToken(e2e, 'admin@demo.kefu');

    const page = await signedInConsole(e2e, 'admin@demo.kefu');
    await toChinese(page);
    await page.getByRole('link', { name: '设置' }).click();
    await page.getByRole('link', { name: '邮件发件箱' }).click();
    await page.getByRole('link', { name: '退信与投诉名单' }).click();
    await page.getByRole('heading', { name: '退信与投诉名单' }).waitFor();

    const row = page.locator(`tr[data-address="${bounced}"]`);
    await row.waitFor();
    expect(await row.getByRole('rowheader').innerText()).toBe(bounced);
    expect(await row.locator('td').first().innerText()).toBe('永久退信');
    expect(await row.innerText()).toContain(`<dsn-${stamp}@mx.example.com>`);
    expect(await axeViolations(page)).toEqual([]);

    // lift it: the first click asks, cancelling keeps it, confirming lifts it
    await row.getByRole('button', { name: `解除 ${bounced}` }).click();
    await row.getByText(`确定解除 ${bounced} 吗？解除后将重新向该地址发送邮件。`).waitFor();
    await row.getByRole('button', { name: '取消' }).click();
    await row.getByRole('button', { name: `解除 ${bounced}` }).click();
    await row.getByRole('button', { name: '确认解除' }).click();
    await page.getByText(`已解除：将重新向 ${bounced} 发送邮件。`).waitFor();
    await row.waitFor({ state: 'detached' });
    expect(await listed(token, bounced)).toEqual([]);

    // a wrong address is refused by the form before any request, in Chinese
    await page.getByLabel('邮箱地址').fill('不是邮箱');
    await page.getByRole('button', { name: '加入名单' }).click();
    await page.getByText('请输入有效的邮箱地址，例如 name@example.com。').waitFor();

    // add one by hand with a note: it heads the list, marked as added by an admin
    await page.getByLabel('邮箱地址').fill(manual.toUpperCase());
    await page.getByLabel('备注（可选）').fill('顾客来电要求不再接收邮件');
    await page.getByRole('button', { name: '加入名单' }).click();
    await page.getByText(`已添加：不再向 ${manual} 发送邮件。`).waitFor();
    const added = page.locator(`tr[data-address="${manual}"]`);
    await added.waitFor();
    expect(await added.innerText()).toContain('管理员添加');
    expect(await added.innerText()).toContain('顾客来电要求不再接收邮件');
    expect(await page.getByLabel('邮箱地址').inputValue()).toBe('');
    await poll(async () => (await listed(token, manual)).map((r) => [r.address, r.reason, r.note])).toEqual([[manual, 'manual', '顾客来电要求不再接收邮件']]);

    // the filter finds it by the start of the address
    await page.getByLabel('地址开头').fill(`shoudong-${stamp}`);
    await page.getByRole('button', { name: '筛选' }).click();
    await page.locator('tbody tr').first().waitFor();
    await poll(() => page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-address')))).toEqual([manual]);
  });
});
