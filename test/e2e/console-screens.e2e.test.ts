/**
 * The console screens of the kit issue, used as a person uses them: macros (快捷短语) kept in
 * Settings › Macros, used from the reply box with `/` (keyboard only, IME-safe, placeholders
 * filled, on a ticket with its status and tag change in one go), and the ticket search with
 * saved filters. Preconditions (a shopper's conversation, tickets, a shared macro) come from the
 * API; what the test checks is what the screen did.
 */

import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { api, axeViolations, botView, type E2E, poll, shopUser, signedInConsole, staffToken, TEST_MS, useE2E, visitorToken } from './helpers.ts';

let e2e: E2E;
useE2E((started) => (e2e = started));

interface MacroInput {
  name: { 'zh-CN': string; en: string };
  text: { 'zh-CN': string; en: string };
  actions?: Record<string, unknown>;
}

/** A shared macro saved by the demo supervisor (a precondition). */
async function sharedMacro(input: MacroInput): Promise<string> {
  const lead = await staffToken(e2e, 'lead@demo.kefu');
  const { macro } = await api<{ macro: { macroId: string } }>(e2e, lead, 'POST', '/macros', { scope: 'shared', actions: {}, ...input });
  return macro.macroId;
}

/** A ticket assigned to the demo agent (a precondition). */
async function agentTicket(body: {
  subject: string;
  text: string;
  requester: Record<string, string>;
  tags?: string[];
}): Promise<{ ticketId: string; version: number }> {
  const token = await staffToken(e2e, 'agent@demo.kefu');
  const me = await api<{ sub: string }>(e2e, token, 'GET', '/staff/me');
  const { ticket } = await api<{ ticket: { ticketId: string; version: number } }>(e2e, token, 'POST', '/tickets', {
    channel: 'api',
    priority: 'normal',
    team: 'logistics',
    assignee: me.sub,
    ...body,
  });
  return ticket;
}

/** Switches a signed-in console to Chinese (the language button offers the other language). */
async function toChinese(page: Page): Promise<void> {
  await page.locator('.topbar button[lang="zh-CN"]').click();
  await page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached' });
}

describe('console screens: macros and ticket search', { timeout: TEST_MS }, () => {
  const stamp = Date.now().toString(36);

  test('Settings › Macros: a supervisor shares a macro, an agent reads it, keeps personal ones (create, new version, delete)', async () => {
    const lead = await signedInConsole(e2e, 'lead@demo.kefu');
    await lead.getByRole('link', { name: 'Settings' }).click();
    await lead.getByRole('link', { name: 'Macros' }).click();
    await lead.getByRole('link', { name: 'New macro' }).click();
    await lead.getByRole('heading', { name: 'New macro' }).waitFor();
    expect(await lead.getByLabel('Shared with the whole team').isChecked()).toBe(true);
    await lead.getByLabel('Name (Chinese)').fill(`退货地址${stamp}`);
    await lead.getByLabel('Name (English)').fill(`Return address ${stamp}`);
    // placeholders go in with the buttons, at the caret
    await lead.getByLabel('Reply in Chinese').fill('您好，');
    await lead.getByRole('button', { name: /^customer name\s*: insert \{\{customer\.name\}\} into the Chinese reply$/ }).click();
    await lead.getByLabel('Reply in Chinese').press('End');
    await lead.getByLabel('Reply in Chinese').pressSequentially('，请寄回上海市浦东新区。');
    expect(await lead.getByLabel('Reply in Chinese').inputValue()).toBe('您好，{{customer.name}}，请寄回上海市浦东新区。');
    await lead.getByLabel('Reply in English').fill('Hi {{customer.name}}, please send it to Pudong, Shanghai.');
    await lead.getByLabel('Set status', { exact: true }).selectOption('pending');
    await lead.getByLabel('Add tags').fill('return');
    await lead.getByRole('button', { name: 'Save', exact: true }).click();
    await lead.getByText('Macro created.').waitFor();
    await lead.getByRole('heading', { name: `Macro: Return address ${stamp}` }).waitFor();
    expect(await axeViolations(lead)).toEqual([]);
    await lead.context().close();

    const agent = await signedInConsole(e2e, 'agent@demo.kefu');
    await agent.getByRole('link', { name: 'Settings' }).click();
    await agent.getByRole('heading', { name: 'Macros', level: 2 }).waitFor();
    // an agent's settings hold their macros only
    expect(await agent.getByRole('link', { name: 'SLA policies' }).count()).toBe(0);
    const shared = agent.locator('.kb-table tr', { hasText: `Return address ${stamp}` });
    await shared.waitFor();
    expect(await shared.locator('.badge').textContent()).toBe('Shared');
    expect(await shared.textContent()).toContain('[customer name]');
    expect(await shared.textContent()).toContain('status → Pending · add tags return');
    await shared.getByRole('link').click();
    await agent.getByText('Shared macros are kept by supervisors and admins').waitFor();
    expect(await agent.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);

    await agent.getByRole('link', { name: '← Back to the list' }).click();
    await agent.getByRole('link', { name: 'New macro' }).click();
    expect(await agent.getByLabel('Shared with the whole team').isDisabled()).toBe(true);
    expect(await agent.getByLabel('Personal (only me)').isChecked()).toBe(true);
    // the server's check, shown next to the field: an empty text is refused before any request
    await agent.getByLabel('Name (Chinese)').fill(`我的问候${stamp}`);
    await agent.getByLabel('Name (English)').fill(`My greeting ${stamp}`);
    await agent.getByLabel('Reply in Chinese').fill('您好 {{customer.nickname}}');
    await agent.getByRole('button', { name: 'Save', exact: true }).click();
    await agent.getByText('Some fields need attention').waitFor();
    expect(await agent.getByLabel('Reply in Chinese').getAttribute('aria-invalid')).toBe('true');
    expect(await agent.locator('#mc-text_zh-CN-error').textContent()).toContain('{{customer.nickname}}');
    await agent.getByLabel('Reply in Chinese').fill('您好，我是您的专属客服。');
    await agent.getByLabel('Reply in English').fill('Hello, I am your personal agent.');
    await agent.getByRole('button', { name: 'Save', exact: true }).click();
    await agent.getByText('Macro created.').waitFor();
    await agent.getByLabel('Reply in English').fill('Hello, I will look after your order.');
    await agent.getByRole('button', { name: 'Save', exact: true }).click();
    await agent.getByText('Saved (version 2).').waitFor();
    expect(await agent.getByLabel('Reply in English').inputValue()).toBe('Hello, I will look after your order.');
    expect(await axeViolations(agent)).toEqual([]);

    await agent.getByRole('button', { name: 'Delete' }).click();
    await agent.getByRole('button', { name: 'Yes, delete' }).click();
    await agent.getByText(`Macro “My greeting ${stamp}” deleted.`).waitFor();
    await agent.locator('.kb-table tr', { hasText: `Return address ${stamp}` }).waitFor();
    expect(await agent.locator('.kb-table tr', { hasText: `My greeting ${stamp}` }).count()).toBe(0);
  });

  test('快捷短语 in the reply box, in Chinese: / and a keyword, arrows, Esc, never on Enter while composing, name filled, the customer gets it', async () => {
    const key = `q${stamp}`;
    await sharedMacro({
      name: { 'zh-CN': `退款进度${key}`, en: `Refund status ${key}` },
      text: { 'zh-CN': `{{customer.name}}您好，您的退款已受理（${key}）。`, en: `Hi {{customer.name}}, your refund is on its way (${key}).` },
    });
    await sharedMacro({
      name: { 'zh-CN': `催发货${key}`, en: `Chase dispatch ${key}` },
      text: { 'zh-CN': `亲，已为您催促仓库今天发货（${key}）。`, en: `We asked the warehouse to ship today (${key}).` },
    });
    const visitor = await visitorToken(e2e, await shopUser(`shopper-${stamp}`, '张伟'));
    const { conversation } = await api<{ conversation: { conversationId: string } }>(e2e, visitor, 'POST', '/widget/conversations', {
      clientMessageId: `cs-${stamp}`,
      text: '你好，我的退款什么时候到账？',
    });

    const agent = await signedInConsole(e2e, 'agent@demo.kefu');
    await toChinese(agent);
    await botView(agent);
    await agent.locator(`a.conv[data-conversation="${conversation.conversationId}"]`).click();
    await agent.locator('ol.thread').getByText('你好，我的退款什么时候到账？').waitFor();
    const box = agent.getByLabel('回复客户');
    const options = agent.getByRole('listbox', { name: '快捷短语' }).getByRole('option');

    await box.pressSequentially(`/${key}`);
    await poll(() => options.count()).toBe(2);
    const selected = () => agent.locator('[role="option"][aria-selected="true"]').getAttribute('id');
    const first = await selected();
    expect(await box.getAttribute('aria-activedescendant')).toBe(first);
    await box.press('ArrowDown');
    await poll(selected).not.toBe(first);
    await box.press('ArrowDown');
    await poll(selected).toBe(first);
    await box.press('Escape');
    await poll(() => options.count()).toBe(0);
    expect(await box.inputValue()).toBe(`/${key}`);

    await box.fill('');
    await box.pressSequentially('/');
    await agent.keyboard.insertText(`退款进度${key}`);
    await poll(() => options.count()).toBe(1);
    expect(await options.first().textContent()).toContain('张伟您好');
    // an input method's Enter (picking a candidate) never chooses or sends
    await box.evaluate((el) => el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true })));
    expect(await box.inputValue()).toBe(`/退款进度${key}`);
    expect(await options.count()).toBe(1);
    expect(await axeViolations(agent)).toEqual([]);
    await box.press('Enter');
    await poll(() => box.inputValue()).toBe(`张伟您好，您的退款已受理（${key}）。`);
    await box.press('Enter');
    await agent.locator('ol.thread .msg.agent', { hasText: `张伟您好，您的退款已受理（${key}）。` }).waitFor();
    await poll(async () => {
      const page = await api<{ items: { text: string; author: { kind: string } }[] }>(
        e2e,
        visitor,
        'GET',
        `/widget/conversations/${conversation.conversationId}/messages`,
      );
      return page.items.filter((m) => m.author.kind === 'agent').map((m) => m.text);
    }).toContain(`张伟您好，您的退款已受理（${key}）。`);

    // a Chinese input method: the / key gives 、 in punctuation mode, pinyin is composed, then committed
    const cdp = await agent.context().newCDPSession(agent);
    await box.focus();
    await cdp.send('Input.insertText', { text: '、' });
    await poll(() => options.count()).toBeGreaterThan(1);
    await cdp.send('Input.imeSetComposition', { text: 'cuifa', selectionStart: 5, selectionEnd: 5 });
    await poll(() => box.inputValue()).toBe('、cuifa');
    expect(await options.count()).toBeGreaterThan(1);
    await cdp.send('Input.insertText', { text: `催发货${key}` });
    await poll(() => box.inputValue()).toBe(`、催发货${key}`);
    await poll(() => options.count()).toBe(1);
    await box.press('Enter');
    await poll(() => box.inputValue()).toBe(`亲，已为您催促仓库今天发货（${key}）。`);
    // the caret sits after the inserted text as soon as the text shows (so clearing the box clears it all)
    const caret = await box.evaluate((el: HTMLTextAreaElement) => [el.selectionStart, el.selectionEnd, el.value.length]);
    expect(caret).toEqual([caret[2], caret[2], caret[2]]);
    await box.fill('');
    expect(await box.inputValue()).toBe('');

    // the Macros button: the same list with a search field, English text on request
    await agent.getByRole('button', { name: /^快捷短语/ }).click();
    const search = agent.getByRole('searchbox', { name: '搜索快捷短语' });
    await poll(() => search.evaluate((el) => el === document.activeElement)).toBe(true);
    await search.pressSequentially(`催发货${key}`);
    await poll(() => options.count()).toBe(1);
    await agent.getByRole('button', { name: 'English', exact: true }).click();
    await search.press('Enter');
    await poll(() => box.inputValue()).toBe(`We asked the warehouse to ship today (${key}).`);
    await poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  test('a macro on a ticket’s conversation sends the reply and sets status and tag in one go', async () => {
    const tag = `photos${stamp}`;
    await sharedMacro({
      name: { 'zh-CN': `请补充照片${stamp}`, en: `Ask for photos ${stamp}` },
      text: {
        'zh-CN': '{{customer.name}}您好，请上传商品破损的照片，工单号 {{ticket.id}}。',
        en: 'Hi {{customer.name}}, please upload photos of the damage (ticket {{ticket.id}}).',
      },
      actions: { status: 'pending', addTags: [tag] },
    });
    await sharedMacro({
      name: { 'zh-CN': `已解决${stamp}`, en: `Solve with thanks ${stamp}` },
      text: { 'zh-CN': '{{customer.name}}您好，问题已解决，感谢您的耐心。', en: 'Hi {{customer.name}}, this is solved. Thank you for your patience.' },
      actions: { status: 'solved' },
    });
    const { ticketId } = await agentTicket({
      subject: `包裹破损 ${stamp}`,
      text: '我的包裹到了，但是外箱破损，里面的杯子碎了。',
      requester: { name: '李娜', email: `li.na.${stamp}@example.com` },
    });

    const agent = await signedInConsole(e2e, 'agent@demo.kefu');
    await agent.goto(`${e2e.stack.urls.console}#/tickets/mine/${ticketId}`);
    await agent.getByRole('heading', { name: `包裹破损 ${stamp}` }).waitFor();
    const box = agent.locator('.ticket-thread').getByLabel('Reply to the customer');
    await agent.locator('.ticket-thread ol.thread').getByText('外箱破损').waitFor();
    await box.pressSequentially('/photos');
    await agent.getByRole('option', { name: new RegExp(`Ask for photos ${stamp}`) }).waitFor();
    await box.press('Enter');
    const expected = `李娜您好，请上传商品破损的照片，工单号 ${ticketId}。`;
    await poll(() => box.inputValue()).toBe(expected);
    await agent.getByText(`Sending also applies “Ask for photos ${stamp}” to the ticket: status → Pending · add tags ${tag}.`).waitFor();
    const applied = agent.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname.startsWith(`/tickets/${ticketId}/macros/`) && r.url().endsWith('/apply'),
    );
    await box.press('Enter');
    expect((await applied).status()).toBe(200);
    await agent.locator('.ticket-thread ol.thread .msg.agent', { hasText: expected }).waitFor();
    await poll(() => agent.locator('.ticket-pills .status-pill').textContent()).toBe('Pending');
    await poll(() => agent.getByLabel('Tags', { exact: true }).inputValue()).toContain(tag);
    expect(await agent.locator('.ticket-thread ol.thread .msg.agent', { hasText: expected }).count()).toBe(1);

    // an edited macro text goes out as typed; the macro's ticket change follows
    await box.pressSequentially('/solved');
    await agent.getByRole('option', { name: new RegExp(`Solve with thanks ${stamp}`) }).waitFor();
    await box.press('Enter');
    await poll(() => box.inputValue()).toBe('李娜您好，问题已解决，感谢您的耐心。');
    await box.press('End');
    await box.pressSequentially('祝您生活愉快！');
    await box.press('Enter');
    await agent.locator('.ticket-thread ol.thread .msg.agent', { hasText: '感谢您的耐心。祝您生活愉快！' }).waitFor();
    await poll(() => agent.locator('.ticket-pills .status-pill').textContent()).toBe('Solved');
  });

  test('ticket search: words, requester, tag and status narrow the matches; a saved filter runs again after a reload', async () => {
    const tag = `kitchen${stamp}`;
    const a = await agentTicket({
      subject: `Blender arrived broken ${stamp}`,
      text: 'The jar is cracked.',
      requester: { name: 'Anna', email: `anna.${stamp}@example.com` },
      tags: [tag],
    });
    const b = await agentTicket({
      subject: `Blender lid missing ${stamp}`,
      text: 'No lid in the box.',
      requester: { name: 'Ben', email: `ben.${stamp}@example.com` },
      tags: [tag],
    });
    await agentTicket({
      subject: `Invoice copy ${stamp}`,
      text: 'Please send the invoice again.',
      requester: { name: 'Cleo', email: `cleo.${stamp}@example.com` },
    });
    const token = await staffToken(e2e, 'agent@demo.kefu');
    await api(e2e, token, 'PATCH', `/tickets/${b.ticketId}`, { version: b.version, status: 'solved' });

    const agent = await signedInConsole(e2e, 'agent@demo.kefu');
    await agent.getByRole('link', { name: 'Tickets' }).click();
    await agent.getByRole('link', { name: 'Search' }).click();
    await agent.getByRole('heading', { name: 'Search tickets' }).waitFor();
    // nothing to search for: said next to the field
    await agent.getByRole('button', { name: 'Search', exact: true }).click();
    await agent.getByText('Fill in words, an email, a tag or a ticket number').waitFor();
    expect(await agent.getByLabel('Words in the subject').getAttribute('aria-invalid')).toBe('true');

    const rows = agent.locator('.search-results tbody tr');
    await agent.getByLabel('Words in the subject').fill(`blender ${stamp}`);
    await agent.getByRole('button', { name: 'Search', exact: true }).click();
    await agent.getByText('Tickets found: 2').waitFor();
    expect((await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ticket')))).sort()).toEqual([a.ticketId, b.ticketId].sort());

    await agent.getByLabel('Status', { exact: true }).selectOption('solved');
    await agent.getByRole('button', { name: 'Search', exact: true }).click();
    await agent.getByText('Tickets found: 1').waitFor();
    expect(await rows.first().getAttribute('data-ticket')).toBe(b.ticketId);

    await agent.getByLabel('Status', { exact: true }).selectOption('');
    await agent.getByLabel('Words in the subject').fill('');
    await agent.getByLabel('Requester email').fill(`anna.${stamp}@example.com`);
    await agent.getByLabel('Tag', { exact: true }).fill(tag);
    await agent.getByRole('button', { name: 'Search', exact: true }).click();
    // The previous search also found one ticket: wait for this search's row, not the count.
    await agent.locator(`.search-results tbody tr[data-ticket="${a.ticketId}"]`).waitFor();
    await agent.getByText('Tickets found: 1').waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ticket')))).toEqual([a.ticketId]);
    expect(await axeViolations(agent)).toEqual([]);

    await agent.getByLabel('Name for this filter').fill(`Anna's blenders ${stamp}`);
    await agent.getByRole('button', { name: 'Save filter' }).click();
    await agent.getByText(`Filter “Anna's blenders ${stamp}” saved.`).waitFor();

    await agent.reload();
    await agent.getByRole('heading', { name: 'Search tickets' }).waitFor();
    await agent.getByRole('button', { name: 'Clear' }).click();
    await agent.getByRole('button', { name: `Run saved filter Anna's blenders ${stamp}` }).click();
    await agent.locator(`.search-results tbody tr[data-ticket="${a.ticketId}"]`).waitFor();
    await agent.getByText('Tickets found: 1').waitFor();
    expect(await agent.getByLabel('Tag', { exact: true }).inputValue()).toBe(tag);
    expect(await rows.first().getAttribute('data-ticket')).toBe(a.ticketId);

    await rows.first().getByRole('link').click();
    await agent.getByRole('heading', { name: `Blender arrived broken ${stamp}` }).waitFor();
    expect(await agent.locator('.inbox-list a.conv[aria-current="true"]').getAttribute('data-ticket')).toBe(a.ticketId);
    await agent.locator('.inbox-list').getByRole('link', { name: '← Back to the search results' }).click();
    await agent.getByText('Tickets found: 1').waitFor();

    await agent.getByRole('button', { name: `Delete saved filter Anna's blenders ${stamp}` }).click();
    await poll(() => agent.getByRole('button', { name: `Run saved filter Anna's blenders ${stamp}` }).count()).toBe(0);
  });

  test('a new message is noticed without looking: the tab title counts it, a chime plays and a desktop notification opens it', async () => {
    const visitor = await visitorToken(e2e, await shopUser(`notify-${stamp}`, '赵敏'));
    const { conversation } = await api<{ conversation: { conversationId: string } }>(e2e, visitor, 'POST', '/widget/conversations', {
      clientMessageId: `nt-${stamp}`,
      text: '你好，我想问一下发票怎么开？',
    });
    const id = conversation.conversationId;
    const agentToken = await staffToken(e2e, 'agent@demo.kefu');
    await e2e.stack.quiesce();
    // precondition: the agent answered once, so the conversation is theirs (assign on reply)
    await api(e2e, agentToken, 'POST', `/conversations/${id}/messages`, { text: '您好，请稍等。' });

    // the console is in a background window: audio and notifications are recorded by test doubles
    const agent = await signedInConsole(e2e, 'agent@demo.kefu', () => {
      const w = window as unknown as { chimes: number; notes: { title: string; body?: string; tag?: string }[] };
      w.chimes = 0;
      w.notes = [];
      class FakeAudio {
        currentTime = 0;
        destination = {};
        createOscillator() {
          return { frequency: { value: 0 }, connect: (n: unknown) => n, start: () => w.chimes++, stop: () => undefined };
        }
        createGain() {
          return { gain: { setValueAtTime: () => undefined, exponentialRampToValueAtTime: () => undefined }, connect: (n: unknown) => n };
        }
      }
      class FakeNotification {
        static permission = 'granted';
        static requestPermission = async () => 'granted';
        onclick: (() => void) | null = null;
        constructor(title: string, options: { body?: string; tag?: string }) {
          w.notes.push({ title, ...options });
        }
        close() {}
      }
      Object.assign(window, { AudioContext: FakeAudio, Notification: FakeNotification });
      document.hasFocus = () => false;
    });
    await agent.locator('a[data-view="mine"]').click();
    await agent.locator(`a.conv[data-conversation="${id}"]`).waitFor();
    // the title counts conversations waiting for this agent (earlier tests may have left some)
    const waiting = async () => {
      const title = await agent.title();
      expect(title).toMatch(/^(\(\d+\) )?Kefu console$/);
      return Number(/^\((\d+)\)/.exec(title)?.[1] ?? 0);
    };
    const before = await waiting();

    await api(e2e, visitor, 'POST', `/widget/conversations/${id}/messages`, { clientMessageId: `nt2-${stamp}`, text: '需要开增值税专用发票' });
    // (a queued ticket handed to the agent at sign-in may arrive too: this conversation is told by its tag)
    await poll(waiting).toBeGreaterThan(before);
    type Note = { title: string; body?: string; tag?: string };
    const notesOf = () => agent.evaluate((tag) => (window as unknown as { notes: Note[] }).notes.filter((n) => n.tag === tag), id);
    await poll(async () => (await notesOf()).length).toBe(1);
    expect((await notesOf())[0]).toMatchObject({ title: 'New message from 赵敏', body: '需要开增值税专用发票', tag: id });
    expect(await agent.evaluate(() => (window as unknown as { chimes: number }).chimes)).toBeGreaterThan(0);

    // muted: the next message counts in the title but plays nothing
    await agent.getByRole('button', { name: /Sound for new messages: on/ }).click();
    const chimes = await agent.evaluate(() => (window as unknown as { chimes: number }).chimes);
    await api(e2e, visitor, 'POST', `/widget/conversations/${id}/messages`, { clientMessageId: `nt3-${stamp}`, text: '抬头是公司名称' });
    await poll(async () => (await notesOf()).length).toBe(2);
    expect(await agent.evaluate(() => (window as unknown as { chimes: number }).chimes)).toBe(chimes);
    expect(await waiting()).toBeGreaterThan(before);
  });
});
