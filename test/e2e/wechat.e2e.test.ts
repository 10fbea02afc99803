/**
 * WeChat customer service in real browsers: a person types on the local WeChat platform's phone
 * page (`/local-wechat/`, as a WeChat customer), the bot's answer appears there, "转人工" hands off,
 * the agent finds the conversation in the console inbox and replies, and the reply appears on the
 * phone. Past the 48-hour window the console shows why a reply was not sent.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, test } from 'vitest';
import { keys } from '#shared/store/keys.ts';
import { type E2E, poll, signedInConsole, TEST_MS, useE2E } from './helpers.ts';

let e2e: E2E;
useE2E((e) => (e2e = e));

describe('WeChat customer service through the simulated phone', { timeout: TEST_MS }, () => {
  const stamp = Date.now().toString(36);

  test('the shopper asks on the phone, the bot answers, 转人工 hands off, the agent’s console reply reaches the phone', async () => {
    expect(e2e.stack.urls.wechat).toBeDefined();
    const user = `wmE2E${stamp}`;
    const question = `你好，请问怎么退货？${stamp}`;
    const reply = `您好，我是客服，退货请在订单页申请，我们包邮取件。${stamp}`;

    const phone = await e2e.newPage('zh-CN', true);
    await phone.goto(`${e2e.stack.urls.wechat}?user=${user}`);
    const input = phone.getByLabel('消息');
    const send = phone.getByRole('button', { name: '发送' });
    await input.fill(question);
    await send.click();
    await phone.locator('.msg.customer', { hasText: question }).waitFor();
    // the bot answers first, on the phone
    await phone.locator('.msg.kf').first().waitFor();
    const botAnswers = await phone.locator('.msg.kf').count();

    await input.fill('转人工');
    await send.click();
    await poll(() => phone.locator('.msg.kf').count()).toBeGreaterThan(botAnswers);
    await phone.locator('.msg.kf', { hasText: '人工' }).last().waitFor();

    const agent = await signedInConsole(e2e, 'agent@demo.kefu');
    await agent.locator('a[data-view="open"]').click();
    const row = agent.locator('a.conv', { hasText: `微信客户 ${user.slice(-6)}` });
    await row.click();
    const conversationId = await row.getAttribute('data-conversation');
    expect(conversationId).toMatch(/^cnv_/);
    const thread = agent.locator('ol.thread');
    await thread.getByText(question).waitFor();
    await agent.getByLabel('Reply to the customer').fill(reply);
    await agent.getByLabel('Reply to the customer').press('Enter');
    await phone.locator('.msg.kf', { hasText: reply }).waitFor();
    await e2e.stack.quiesce();
    expect(await phone.locator('.msg.kf', { hasText: reply }).count()).toBe(1);

    // Two days later (the window moved back as a precondition), the console says why nothing was sent.
    await e2e.stack.db.send(
      new UpdateCommand({
        TableName: 'Kefu',
        Key: keys.wecomConversation(conversationId!),
        UpdateExpression: 'SET lastInboundAt = :t',
        ExpressionAttributeValues: { ':t': new Date(Date.now() - 49 * 3600 * 1000).toISOString() },
      }),
    );
    const late = `还在吗？${stamp}`;
    await agent.getByLabel('Reply to the customer').fill(late);
    await agent.getByLabel('Reply to the customer').press('Enter');
    await agent.getByRole('alert').filter({ hasText: 'WeChat allows replies only within 48 hours' }).waitFor();
    await e2e.stack.quiesce();
    expect(await phone.locator('.msg.kf', { hasText: late }).count()).toBe(0);
  });
});
