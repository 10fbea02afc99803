/**
 * Settings › 会员 and Settings › 满意度调查, used in Chinese as an admin and a supervisor use them:
 * a tier's Chinese name, a new perk and its routing team saved and seen after a reload, a tier that
 * members hold refused with the reason, the points rules saved (and a concurrent change shown as a
 * conflict with the newer values loaded); the survey settings (a server field message next to its
 * field, then the delay, fatigue cap and a trigger) and a built-in survey's question edited, a choice
 * question added and moved. What the screens saved is checked through the API as well.
 */

import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { api, axeViolations, type E2E, poll, signedInConsole, staffToken, TEST_MS, useE2E } from './helpers.ts';

let e2e: E2E;
useE2E((started) => (e2e = started));

/** Switches a signed-in console to Chinese (the language button offers the other language; the choice is remembered). */
async function toChinese(page: Page): Promise<void> {
  await page.locator('.topbar button[lang="zh-CN"]').click();
  await page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached' });
}

/** Opens a settings tab from the navigation. */
async function openSettings(page: Page, tab: string): Promise<void> {
  await page.getByRole('link', { name: '设置', exact: true }).click();
  await page.getByRole('navigation', { name: '设置分区' }).getByRole('link', { name: tab, exact: true }).click();
}

interface Tier {
  tierId: string;
  name: { zh: string; en: string };
  benefits: { routingTeam?: string; perks: { zh: string; en: string }[] };
  version?: number;
}

describe('settings: membership and surveys', { timeout: TEST_MS }, () => {
  const stamp = Date.now().toString(36).slice(-4);

  test('会员: edit a tier (name, perk, team), a held tier is not deleted, points rules with a conflict', async () => {
    const page = await signedInConsole(e2e, 'admin@demo.kefu');
    await toChinese(page);
    await openSettings(page, '会员');
    const tiers = page.getByRole('table', { name: '会员等级' });
    await tiers.waitFor();
    // by rank, with the rules that reach them
    expect(await tiers.locator('tbody th a').allTextContents()).toEqual(['铜卡会员', '银卡会员', '金卡会员', '白金会员']);
    const goldRow = tiers.getByRole('row').filter({ hasText: '金卡会员' }).first();
    expect(await goldRow.textContent()).toContain('消费满 2,000 元，或获得 2,500 积分');
    expect(await goldRow.textContent()).toContain('免运费');

    await tiers.getByRole('link', { name: '金卡会员' }).click();
    await page.getByRole('heading', { name: '会员等级：金卡会员' }).waitFor();
    // the SLA policy is one of the ticket configuration's
    expect(await page.getByLabel('服务时效（SLA）策略').inputValue()).toBe('vip');
    const newName = `黄金会员${stamp}`;
    await page.getByLabel('名称（中文）').fill(newName);
    await page.getByRole('button', { name: '添加权益' }).click();
    // a perk in one language only is named before any request
    await page.getByLabel('权益 4（中文）').fill('生日双倍积分');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '部分字段需要修改' }).waitFor();
    expect(await page.getByLabel('权益 4（英文）').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('权益 4（英文）').fill('Double points on your birthday');
    await page.getByLabel('优先接待团队').selectOption('vip');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `已保存会员等级「${newName}」` })
      .waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // after a reload the editor shows what was stored
    await page.reload();
    await page.getByRole('heading', { name: `会员等级：${newName}` }).waitFor();
    expect(await page.getByLabel('权益 4（中文）').inputValue()).toBe('生日双倍积分');
    expect(await page.getByLabel('优先接待团队').inputValue()).toBe('vip');
    const admin = await staffToken(e2e, 'admin@demo.kefu');
    const stored = await api<{ tiers: Tier[]; defaults: boolean }>(e2e, admin, 'GET', '/tiers');
    const gold = stored.tiers.find((x) => x.tierId === 'gold');
    expect(stored.defaults).toBe(false);
    expect(gold).toMatchObject({ name: { zh: newName, en: 'Gold' }, benefits: { routingTeam: 'vip' }, version: 1 });
    expect(gold?.benefits.perks.at(-1)).toEqual({ zh: '生日双倍积分', en: 'Double points on your birthday' });

    // the demo shopper holds gold: deleting it is refused, and the screen says why and what to do
    await page.getByRole('button', { name: '删除等级' }).click();
    await page.getByRole('button', { name: '确定删除' }).click();
    const refused = page.getByRole('alert').filter({ hasText: `仍有会员处于「${newName}」` });
    await refused.waitFor();
    expect(await refused.textContent()).toContain('提高它的门槛');
    await page.getByRole('link', { name: '返回列表' }).click();
    await tiers.getByRole('link', { name: newName }).waitFor();

    // points rules: saved, shown after a reload, stored
    await page.getByLabel('积分有效期（月）').fill('18');
    await page.getByLabel('每消费 1 元获得积分').fill('2');
    await page.getByRole('button', { name: '保存积分规则' }).click();
    await page.getByRole('status').filter({ hasText: '积分规则已保存。' }).waitFor();
    await page.reload();
    await poll(() => page.getByLabel('积分有效期（月）').inputValue()).toBe('18');
    expect(await page.getByLabel('每消费 1 元获得积分').inputValue()).toBe('2');
    const afterSave = await api<{ settings: { pointsExpiryMonths: number; pointsPerUnit: number; version: number } }>(e2e, admin, 'GET', '/tiers');
    expect(afterSave.settings).toMatchObject({ pointsExpiryMonths: 18, pointsPerUnit: 2, version: 1 });

    // someone else changes the rules meanwhile: the save is a conflict, the newer values are loaded
    await api(e2e, admin, 'PUT', '/loyalty/settings', { graceDays: 45, version: 1 });
    await page.getByLabel('降级宽限期（天）').fill('20');
    await page.getByRole('button', { name: '保存积分规则' }).click();
    await page.getByRole('alert').filter({ hasText: '其他人刚刚保存了这里的设置' }).waitFor();
    await poll(() => page.getByLabel('降级宽限期（天）').inputValue()).toBe('45');
    await page.getByLabel('降级宽限期（天）').fill('20');
    await page.getByRole('button', { name: '保存积分规则' }).click();
    await page.getByRole('status').filter({ hasText: '积分规则已保存。' }).waitFor();
    const final = await api<{ settings: { graceDays: number; pointsExpiryMonths: number; version: number } }>(e2e, admin, 'GET', '/tiers');
    expect(final.settings).toMatchObject({ graceDays: 20, pointsExpiryMonths: 18, version: 3 });
  });

  test('满意度调查: settings with a server field message, then delay and fatigue cap; a built-in survey’s questions edited', async () => {
    const page = await signedInConsole(e2e, 'lead@demo.kefu');
    await toChinese(page);
    await openSettings(page, '满意度调查');
    await page.getByRole('heading', { name: '调查设置' }).waitFor();
    expect(await page.getByLabel('客服解决对话后').inputValue()).toBe('csat');

    // a value the server refuses: its message, in Chinese, next to the field
    const delay = page.getByLabel('延迟发送（秒）');
    await delay.fill('901');
    await page.getByRole('button', { name: '保存调查设置' }).click();
    await page.getByRole('alert').filter({ hasText: '部分字段需要修改' }).waitFor();
    expect(await delay.getAttribute('aria-invalid')).toBe('true');
    const message = (await page.locator('#survey-delaySeconds-error').textContent()) ?? '';
    expect(message).toMatch(/900/);
    expect(message).toMatch(/[\u4e00-\u9fff]/);

    await delay.fill('45');
    await page.getByLabel('打扰上限（天）').fill('21');
    await page.getByLabel('机器人解决对话后（顾客点“有帮助”）').selectOption('');
    await page.getByRole('button', { name: '保存调查设置' }).click();
    await page.getByRole('status').filter({ hasText: '调查设置已保存' }).waitFor();
    await page.reload();
    await poll(() => page.getByLabel('延迟发送（秒）').inputValue()).toBe('45');
    expect(await page.getByLabel('打扰上限（天）').inputValue()).toBe('21');
    expect(await page.getByLabel('机器人解决对话后（顾客点“有帮助”）').inputValue()).toBe('');
    const lead = await staffToken(e2e, 'lead@demo.kefu');
    const config = await api<{ settings: Record<string, unknown> }>(e2e, lead, 'GET', '/survey-config');
    expect(config.settings).toMatchObject({ delaySeconds: 45, fatigueDays: 21, triggers: { conversation_resolved: 'csat', bot_resolved: null }, version: 1 });

    // the built-in CSAT survey: a question's text, a new choice question moved above the comment
    await page.getByRole('table', { name: '调查问卷及其问题' }).getByRole('link', { name: '服务满意度' }).click();
    await page.getByRole('heading', { name: '问卷：服务满意度' }).waitFor();
    const text = `这次服务您满意吗？${stamp}`;
    await page.getByLabel('第 1 题（中文）').fill(text);
    await page.getByLabel('新问题的题型').selectOption('choice');
    await page.getByRole('button', { name: '添加问题' }).click();
    await page.getByLabel('第 4 题（中文）').fill('您是通过什么方式联系我们的？');
    await page.getByLabel('第 4 题（英文）').fill('How did you reach us?');
    await page.getByLabel('第 4 题选项 1（中文）').fill('在线聊天');
    await page.getByLabel('第 4 题选项 1（英文）').fill('Live chat');
    await page.getByLabel('第 4 题选项 2（中文）').fill('电子邮件');
    // one option text missing: named at the option before any request
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '部分字段需要修改' }).waitFor();
    expect(await page.getByLabel('第 4 题选项 2（英文）').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('第 4 题选项 2（英文）').fill('Email');
    await page.getByRole('button', { name: '将第 4 题上移' }).click();
    expect(await page.getByLabel('第 3 题（英文）').inputValue()).toBe('How did you reach us?');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '问卷「服务满意度」已保存为新版本。' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.reload();
    await poll(() => page.getByLabel('第 1 题（中文）').inputValue()).toBe(text);
    expect(await page.getByLabel('第 3 题（中文）').inputValue()).toBe('您是通过什么方式联系我们的？');
    const after = await api<{ definitions: { definitionId: string; version: number; questions: { id: string; kind: string; text: { 'zh-CN': string } }[] }[] }>(
      e2e,
      lead,
      'GET',
      '/survey-config',
    );
    const csat = after.definitions.find((d) => d.definitionId === 'csat');
    expect(csat?.version).toBe(2);
    expect(csat?.questions.map((q) => `${q.id}:${q.kind}`)).toEqual(['csat:csat', 'reasons:choice', 'q4:choice', 'comment:text']);
    expect(csat?.questions[0]?.text['zh-CN']).toBe(text);
  });
});
