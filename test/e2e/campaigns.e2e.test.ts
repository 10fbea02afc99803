import type { Page } from 'playwright-core';
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

/** Switches a signed-in console to Chinese (the language button offers the other language). */
async function toChinese(page: Page): Promise<void> {
  await page.locator('.topbar button[lang="zh-CN"]').click();
  await page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached' });
}

describe('churn warning, segments and a recall campaign with a holdout, in a real browser', { timeout: TEST_MS }, () => {
  const stamp = Date.now().toString(36);
  const members = Array.from({ length: 12 }, (_, i) => ({ id: `e2e-gold-${stamp}-${i}`, name: `Gold Member ${stamp} ${i}` }));
  const segmentId = `at-risk-gold-${stamp}`;
  const atRisk = async (token: string) =>
    (await api<AtRisk>(e2e, token, 'GET', '/churn/members?tier=gold&limit=100')).items.filter((r) => r.name?.includes(stamp) && r.level !== 'low').length;

  /** The campaign's message in a member's widget (what `GET /widget/campaign-messages` gives them), if any. */
  const messageOf = async (user: Awaited<ReturnType<typeof shopUser>>, campaignId: string) =>
    (
      await api<{ items: { campaignId: string; title: string; offer: { kind: string; code?: string } }[] }>(
        e2e,
        await visitorToken(e2e, user),
        'GET',
        '/widget/campaign-messages',
      )
    ).items.find((i) => i.campaignId === campaignId);

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
    // before launch: who of the audience the channel reaches (all 12 agreed to messages in the widget)
    await poll(() => marketing.locator('#launch-reach').textContent()).toBe(`${members.length} of ${members.length} members can receive this campaign.`);
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
    const messages = await Promise.all(users.map(async (u) => ((await messageOf(u, campaignId)) ? 1 : 0)));
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
  test('in Chinese: a campaign none of the audience agreed to warns before launch, its form speaks Chinese, and Launch is refused with the reason', async () => {
    // precondition through the API: a segment of the 12 gold members, who agreed to widget messages only
    const token = await staffToken(e2e, 'marketing@demo.kefu');
    const segment = `at-risk-gold-mail-${stamp}`;
    await api(e2e, token, 'PUT', `/segments/${segment}`, { name: `邮件召回 ${stamp}`, conditions: { tiers: ['gold'], churnLevels: ['high', 'medium'] } });

    const page = await signedInConsole(e2e, 'marketing@demo.kefu');
    await toChinese(page);
    await page.getByRole('link', { name: '营销', exact: true }).click();
    await page.getByRole('link', { name: '营销活动' }).click();
    await page.getByRole('link', { name: '新建活动' }).click();
    await page.getByLabel('目标人群').selectOption(segment);
    const reach = page.locator('#cmp-reach');
    // every member of the segment agreed to widget messages (the one who bought again in the test above is no longer at risk)
    await poll(() => reach.textContent()).toMatch(/^(\d+) 位会员中有 \1 位可以收到本活动。$/);
    const audience = Number((await reach.textContent())!.match(/^\d+/)![0]);
    expect(audience).toBeGreaterThanOrEqual(members.length - 1);
    await page.getByRole('checkbox', { name: '聊天挂件内' }).uncheck();
    await page.getByRole('checkbox', { name: '电子邮件' }).check();
    await poll(() => reach.getAttribute('data-reach')).toBe('none');
    expect(await reach.textContent()).toContain(`人群中的 ${audience} 位会员都会被跳过（${audience} 位未同意在这些渠道接收营销消息（或已退订））`);
    expect(await reach.getAttribute('role')).toBe('alert');

    // field messages in Chinese: the console's own check, then the server's (an unknown placeholder)
    await page.getByRole('button', { name: '保存草稿' }).click();
    await poll(() => page.locator('#cmp-name-error').textContent()).toBe('请填写此项。');
    expect(await page.locator('#cmp-variants_0_content_email_zh_subject-error').textContent()).toBe('请填写此项。');
    expect(await page.getByLabel('名称', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('名称', { exact: true }).fill(`邮件召回 ${stamp}`);
    await page.getByLabel('邮件主题（中文）').fill('我们想念您');
    await page.getByLabel('正文（中文）').fill('{{nmae}}，送您积分。');
    await page.getByLabel('邮件主题（英文）').fill('We miss you');
    await page.getByLabel('正文（英文）').fill('Hi {{name}}, here are some points.');
    await page.getByRole('button', { name: '保存草稿' }).click();
    const zhBody = page.locator('#cmp-variants_0_content_email_zh_body-error');
    await poll(() => zhBody.textContent()).toContain('未知的占位符 {{nmae}}');
    expect(await page.locator('#cmp-name-error').count()).toBe(0);
    await page.getByLabel('正文（中文）').fill('{{name}}，送您积分。');
    await page.getByRole('button', { name: '保存草稿' }).click();

    // the draft: the warning beside Launch, and Launch refused by the server with the reason
    await page.locator('.campaign-detail [data-status="draft"]').waitFor();
    const warning = page.locator('#launch-reach');
    await poll(() => warning.getAttribute('data-reach')).toBe('none');
    expect(await warning.textContent()).toContain('启动会被拒绝');
    const launch = page.getByRole('button', { name: '启动' });
    expect(await launch.getAttribute('aria-describedby')).toBe('launch-reach');
    await launch.click();
    const refusal = page.locator('.campaign-controls [role="alert"].error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(
      `无法启动：人群中的 ${audience} 位会员都无法接收这次活动（${audience} 位未同意在所选渠道接收营销消息（或已退订））。请改选会员已同意的渠道，或在人群条件的“已同意营销的渠道”中勾选这些渠道。`,
    );
    expect(await page.locator('.campaign-detail [data-status]').getAttribute('data-status')).toBe('draft');
    const campaignId = decodeURIComponent(page.url().split('/').pop()!);
    const stored = await api<{ status: string; queued: number }>(e2e, token, 'GET', `/campaigns/${encodeURIComponent(campaignId)}`);
    expect(stored).toMatchObject({ status: 'draft', queued: 0 });
    expect(await axeViolations(page)).toEqual([]);
  });

  test('in Chinese: a recall campaign offers a coupon picked from the form; a member sees the coupon card with its code in the widget and copies it; the shop’s redemption shows in the campaign report', async () => {
    // preconditions through the API: a pool of codes and a segment of the 12 gold members
    const token = await staffToken(e2e, 'marketing@demo.kefu');
    const segment = `at-risk-gold-coupon-${stamp}`;
    await api(e2e, token, 'PUT', `/segments/${segment}`, { name: `礼券召回 ${stamp}`, conditions: { tiers: ['gold'], churnLevels: ['high', 'medium'] } });
    const pool = await api<{ pool: { poolId: string } }>(e2e, token, 'POST', '/coupons/pools', {
      name: { zh: `回归券 ${stamp}`, en: `Welcome back ${stamp}` },
      value: 20,
      threshold: 199,
      expiresAt: new Date(Date.now() + 30 * DAY).toISOString(),
      generate: { count: 30, alphabet: 'ABCDEFGHJKMNPQRSTUVWXYZ23456789', length: 10 },
    });

    const page = await signedInConsole(e2e, 'marketing@demo.kefu');
    await toChinese(page);
    await page.getByRole('link', { name: '营销', exact: true }).click();
    await page.getByRole('link', { name: '营销活动' }).click();
    await page.getByRole('link', { name: '新建活动' }).click();
    await page.getByLabel('目标人群').selectOption(segment);
    await page.getByLabel('名称', { exact: true }).fill(`礼券召回 ${stamp}`);
    await page.locator('#cmp-holdout').fill('0');
    await page.locator('#cmp-widget-zh-a').fill(`送您一张回归券 ${stamp}`);
    await page.locator('#cmp-widget-zh-b').fill('{{name}}，{{couponTerms}}，券码 {{couponCode}}，{{couponExpires}} 前有效。');
    await page.locator('#cmp-widget-en-a').fill(`A coupon for you ${stamp}`);
    await page.locator('#cmp-widget-en-b').fill('Hi {{name}}, {{couponTerms}}: {{couponCode}}');
    await page.getByRole('radio', { name: '优惠券' }).check();
    // the pool must be chosen: the console says so at the field
    await page.getByRole('button', { name: '保存草稿' }).click();
    await poll(() => page.locator('#cmp-offer_poolId-error').textContent()).toBe('请选择随消息发放的优惠券。');
    const picker = page.getByLabel('选择券池');
    await poll(() => picker.locator('option', { hasText: `回归券 ${stamp}` }).textContent()).toBe(
      `回归券 ${stamp} · 满 199 减 20 · 剩余 30 张 · ${new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10)} 到期`,
    );
    await picker.selectOption(pool.pool.poolId);
    await page.locator('input[name="cmp-cap"]').nth(1).check();
    await page.locator('#cmp-cap-max').fill('20');
    await page.locator('#cmp-cap-window').fill('1');
    await page.locator('input[name="cmp-quiet"]').nth(1).check();
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.locator('.campaign-detail [data-status="draft"]').waitFor();
    await page.locator('.campaign-detail p', { hasText: `优惠券：回归券 ${stamp}` }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '启动' }).click();
    const campaignId = decodeURIComponent(page.url().split('/').pop()!);
    await page.getByText('已完成：启动。').waitFor();
    await until(
      async () => {
        const c = await api<{ status: string; fanoutDone?: boolean; progress: { sent: number } }>(
          e2e,
          token,
          'GET',
          `/campaigns/${encodeURIComponent(campaignId)}`,
        );
        return c.fanoutDone && c.progress.sent > 0 ? c : undefined;
      },
      { what: 'the coupon campaign’s sends' },
    );
    await e2e.stack.quiesce();

    // a member who got it opens the widget (a Chinese page): the offer card carries the coupon
    const users = await Promise.all(members.map((m) => shopUser(m.id, m.name)));
    const got = await Promise.all(users.map(async (u) => (await messageOf(u, campaignId))?.offer));
    const index = got.findIndex((o) => o?.kind === 'coupon');
    expect(index).toBeGreaterThanOrEqual(0);
    const codes = got.filter((o) => o?.kind === 'coupon').map((o) => o!.code);
    expect(new Set(codes).size).toBe(codes.length);
    const member = users[index]!;
    const widget = await e2e.newPage();
    await widget.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(e2e.stack.urls.demo).origin });
    await widget.goto(e2e.stack.urls.demo);
    await widget.evaluate((u) => (window as unknown as { Kefu: { setUser: (x: unknown) => void } }).Kefu.setUser(u), member);
    await widget.evaluate(() => (window as unknown as { Kefu: { open: () => void } }).Kefu.open());
    // the message is in the member's language (these members chose English); the card's own words follow the page (Chinese)
    const card = widget.locator('article.offer', { hasText: `A coupon for you ${stamp}` });
    await card.waitFor();
    const code = got[index]!.code!;
    expect(await card.locator('.coupon-terms').textContent()).toBe('满 199 减 20 元');
    expect(await card.locator('.coupon-code').textContent()).toBe(code);
    expect(await card.locator('.offer-body').textContent()).toBe(`Hi ${member.name}, 20 yuan off orders of 199 or more: ${code}`);
    await card.getByRole('button', { name: `复制券码 ${code}` }).click();
    await poll(() => card.locator('.coupon-status').textContent()).toMatch(/^(已复制|请选中券码手动复制)$/);
    expect(await axeViolations(widget)).toEqual([]);

    // precondition through the shop API: the member pays with the code, and the shop reports the redemption
    const redemption = await shopCall(e2e, '/shop/events', {
      eventId: `ev-redeem-${code}`,
      type: 'coupon.redeemed',
      occurredAt: new Date().toISOString(),
      data: { code, orderId: `CPN-${members[index]!.id}`, customerId: members[index]!.id, amount: 259 },
    });
    expect(redemption.status).toBe(202);
    // the marketer opens the campaign from the list and refreshes until the report counts it
    await page.getByRole('link', { name: '营销活动' }).click();
    await page.getByRole('link', { name: `礼券召回 ${stamp}` }).click();
    const redemptions = page.locator('[data-redemptions]');
    const rate = new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 1 }).format(1 / codes.length);
    await poll(
      async () => {
        await page.getByRole('button', { name: '刷新' }).click();
        return redemptions.textContent();
      },
      { interval: 1_000 },
    ).toBe(`已发券 ${codes.length} 张，已核销 1 张（核销率 ${rate}），核销订单金额 ¥259.00`);
    expect(await axeViolations(page)).toEqual([]);
    // the pool's row on 优惠券 counts the redeemed code
    await page.getByRole('link', { name: '优惠券', exact: true }).click();
    const row = page.getByRole('row', { name: new RegExp(`回归券 ${stamp}`) });
    await poll(() => row.locator('.cpn-redeemed').textContent()).toBe('1');
    expect(await page.getByRole('columnheader', { name: '已核销' }).count()).toBe(1);
  });

  test('in Chinese: marketing changes the churn thresholds from the early-warning tab, and the list shows the new levels', async () => {
    const token = await staffToken(e2e, 'marketing@demo.kefu');
    const before = await api<{ mediumAt: number; highAt: number; version: number }>(e2e, token, 'GET', '/churn/settings');
    try {
      const page = await signedInConsole(e2e, 'marketing@demo.kefu');
      await toChinese(page);
      await page.getByRole('link', { name: '营销', exact: true }).click();
      await page.getByRole('heading', { name: '流失预警', level: 2 }).waitFor();
      await page.getByRole('link', { name: '风险阈值' }).click();
      await page.getByRole('heading', { name: '流失风险阈值', level: 2 }).waitFor();
      const medium = page.getByLabel('中风险起点（%）');
      const high = page.getByLabel('高风险起点（%）');
      await poll(() => medium.inputValue()).toBe(String(Math.round(before.mediumAt * 1000) / 10));
      expect(await high.inputValue()).toBe(String(Math.round(before.highAt * 1000) / 10));

      await medium.fill('80');
      await high.fill('70');
      await page.getByRole('button', { name: '保存阈值' }).click();
      await poll(() => page.locator('#churn-mediumAt-error').textContent()).toBe('中风险的起点必须低于高风险的起点。');

      // above every gold member's risk: all of them become low risk
      await medium.fill('98');
      await high.fill('99');
      expect(await page.locator('.levels').textContent()).toContain('99% 及以上');
      await page.getByRole('button', { name: '保存阈值' }).click();
      await page.getByText(new RegExp(`^已保存为第 ${before.version + 1} 版。\\d+ 位会员的等级已调整`)).waitFor();
      await poll(() => page.locator('[data-apply]').getAttribute('data-apply')).toBe('done');
      const stored = await api<{ mediumAt: number; highAt: number; version: number; apply: { done: boolean } }>(e2e, token, 'GET', '/churn/settings');
      expect(stored).toMatchObject({ mediumAt: 0.98, highAt: 0.99, version: before.version + 1, apply: { done: true } });
      expect(await axeViolations(page)).toEqual([]);

      await page.getByRole('link', { name: '返回列表' }).click();
      await page.getByText('风险达到 99% 为高风险，达到 98% 为中风险。').waitFor();
      await page.locator('.kb-filters select').first().selectOption('low');
      const row = page.locator('table.churn tbody tr', { hasText: members[0]!.name });
      await row.waitFor();
      expect(await row.getAttribute('data-level')).toBe('low');
      expect(await row.locator('.risk').textContent()).toBe('低');
    } finally {
      // back to the thresholds the file started with (the list's levels follow at once)
      const now = await api<{ version: number }>(e2e, token, 'GET', '/churn/settings');
      await api(e2e, token, 'PUT', '/churn/settings', { mediumAt: before.mediumAt, highAt: before.highAt, version: now.version });
    }
  });
});
