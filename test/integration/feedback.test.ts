import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLocalStack } from '#infra/local/stack.ts';
import { hmacHex } from '#shared/auth/hmac.ts';
import { feedbackPorts } from '#shared/feedback/adapters.ts';
import type { SurveyRequest } from '#shared/feedback/ports.ts';
import { deliverSurvey, submitResponse } from '#shared/feedback/service.ts';
import { surveyIdFor } from '#shared/feedback/trigger.ts';
import { dayOf } from '#shared/quality/metrics.ts';
import { keys } from '#shared/store/keys.ts';
import { apiClient } from '../support/api.ts';
import { until } from '../support/until.ts';

type Stack = Awaited<ReturnType<typeof startLocalStack>>;
let stack: Stack;
let api: ReturnType<typeof apiClient>;
let call: ReturnType<typeof apiClient>['call'];
let lead: string;
let agent: string;
let settingsVersion = 0;

async function visitor(shopUserId?: string) {
  let user: { id: string; hmac: string } | undefined;
  if (shopUserId) {
    const shop = (await stack.db.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: keys.shop('demo') }))).Item!;
    user = { id: shopUserId, hmac: hmacHex(shop.identitySecret as string, shopUserId) };
  }
  return api.visitor(user);
}

async function settings(patch: Record<string, unknown>) {
  const res = await call('PUT', '/survey-config/settings', { token: lead, body: { ...patch, version: settingsVersion } });
  expect(res.status).toBe(200);
  settingsVersion = res.json.settings.version;
}

/** A conversation with an agent reply, then resolved by the agent (`times` status calls). */
async function resolvedConversation(v: { token: string }, text: string, times = 1) {
  const started = await call('POST', '/widget/conversations', {
    token: v.token,
    body: { clientMessageId: `fb-${Math.random().toString(36).slice(2, 12)}`, text },
  });
  expect(started.status).toBe(201);
  const id = started.json.conversation.conversationId as string;
  expect((await call('POST', `/conversations/${id}/messages`, { token: agent, body: { text: '您好，已为您处理 / Done for you' } })).status).toBe(201);
  const results = await Promise.all(
    Array.from({ length: times }, () => call('POST', `/conversations/${id}/status`, { token: agent, body: { status: 'resolved' } })),
  );
  for (const r of results) expect(r.status).toBe(200);
  return id;
}

async function contactSurveys(contactId: string) {
  const res = await stack.db.send(
    new QueryCommand({
      TableName: process.env.TABLE_NAME,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': keys.contactSurveysPartition(contactId).gsi1pk },
    }),
  );
  return res.Items ?? [];
}

function request(contactId: string, sourceId: string, over: Partial<SurveyRequest> = {}): SurveyRequest {
  return {
    surveyId: surveyIdFor('manual', sourceId),
    requestId: `req-${Math.random()}`,
    trigger: 'manual',
    definitionId: 'csat',
    contactId,
    channel: 'chat',
    ...over,
  };
}

/** Today in the demo shop's time zone (Asia/Shanghai): the day its counters are cut on. */
const today = () => dayOf(new Date().toISOString(), 'Asia/Shanghai');

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, failedRetryDelaySeconds: 0 });
  api = apiClient(stack.urls.api);
  call = api.call;
  lead = await api.staff('lead@demo.kefu');
  agent = await api.staff('agent@demo.kefu');
  await settings({ delaySeconds: 0, fatigueDays: 14, editWindowMinutes: 30, pointsPerResponse: 10, pointsMaxPerMonth: 3 });
});
afterAll(async () => {
  await stack?.stop();
});

describe('feedback and quality over the local stack', () => {
  it('a survey is sent once per resolved conversation even if the trigger arrives twice', async () => {
    const v = await visitor();
    const frames: Record<string, unknown>[] = [];
    const ws = new WebSocket(`${stack.urls.ws}?token=${v.token}`);
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const id = await resolvedConversation(v, 'my parcel is late', 2);
    await call('POST', `/conversations/${id}/status`, { token: agent, body: { status: 'resolved' } });
    const pending = await until(async () => {
      const res = await call('GET', '/widget/surveys', { token: v.token });
      return res.json.items.length > 0 ? res.json.items : undefined;
    });
    await stack.quiesce(); // a second delivery (redelivery, duplicate trigger) would have landed by now
    expect(pending).toHaveLength(1);
    expect((await call('GET', '/widget/surveys', { token: v.token })).json.items).toHaveLength(1);
    expect(pending[0].surveyId).toBe(surveyIdFor('conversation_resolved', id));
    expect(pending[0].questions[0].text).toEqual({ 'zh-CN': '您对本次服务满意吗？', en: 'How satisfied are you with the help you received?' });
    expect(await contactSurveys(v.contactId)).toHaveLength(1);
    expect(frames.filter((f) => f.type === 'survey')).toHaveLength(1);
    ws.close();

    const w = await visitor();
    const racing = await Promise.all(
      [0, 1, 2].map(() =>
        deliverSurvey(
          feedbackPorts(),
          request(w.contactId, 'race-x', { trigger: 'conversation_resolved', surveyId: surveyIdFor('conversation_resolved', `race-${w.contactId}`) }),
        ),
      ),
    );
    expect(racing.map((r) => r.status).sort()).toEqual(['duplicate', 'duplicate', 'sent']);
    expect(await contactSurveys(w.contactId)).toHaveLength(1);
  });

  it('solving a ticket requests the after-solve survey for its requester, once', async () => {
    const v = await visitor();
    const started = await call('POST', '/widget/conversations', {
      token: v.token,
      body: { clientMessageId: `tk-${Math.random().toString(36).slice(2, 12)}`, text: 'the zipper broke after one day' },
    });
    const id = started.json.conversation.conversationId as string;
    const converted = await call('POST', `/conversations/${id}/ticket`, { token: agent, body: {} });
    expect(converted.status).toBe(201);
    const ticket = converted.json.ticket as { ticketId: string; version: number };
    const solved = await call('PATCH', `/tickets/${ticket.ticketId}`, { token: agent, body: { version: ticket.version, status: 'solved' } });
    expect(solved.status).toBe(200);
    const surveys = await until(async () => {
      const items = await contactSurveys(v.contactId);
      return items.some((i) => i.surveyId === surveyIdFor('ticket_solved', ticket.ticketId)) ? items : undefined;
    });
    expect(surveys.filter((i) => i.surveyId === surveyIdFor('ticket_solved', ticket.ticketId))).toHaveLength(1);
  });

  it('the fatigue cap holds across surveys, also when two are delivered at once; an opt-out holds', async () => {
    const v = await visitor();
    const first = await resolvedConversation(v, 'question one');
    await until(async () => ((await call('GET', '/widget/surveys', { token: v.token })).json.items.length === 1 ? true : undefined));
    const second = await resolvedConversation(v, 'question two');
    const suppressed = await until(async () => {
      const s = (await stack.db.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: keys.survey(surveyIdFor('conversation_resolved', second)) })))
        .Item;
      return s ?? undefined;
    });
    expect(suppressed).toMatchObject({ status: 'suppressed', suppressedReason: 'fatigue' });
    expect((await call('GET', '/widget/surveys', { token: v.token })).json.items.map((s: { conversationId: string }) => s.conversationId)).toEqual([first]);

    const fresh = await visitor();
    const both = await Promise.all([
      deliverSurvey(feedbackPorts(), request(fresh.contactId, 'cap-a')),
      deliverSurvey(feedbackPorts(), request(fresh.contactId, 'cap-b')),
    ]);
    expect(both.map((r) => (r.status === 'suppressed' ? r.reason : r.status)).sort()).toEqual(['fatigue', 'sent']);

    const quiet = await visitor();
    expect((await call('POST', '/widget/surveys/opt-out', { token: quiet.token })).status).toBe(200);
    await settings({ fatigueDays: 0 });
    try {
      const out = await deliverSurvey(feedbackPorts(), request(quiet.contactId, 'optout-1'));
      expect(out).toEqual({ status: 'suppressed', reason: 'opt_out' });
    } finally {
      await settings({ fatigueDays: 14 });
    }
  });

  it('a detractor opens exactly one follow-up; sentiment and topics are stored; tags can be corrected', async () => {
    const v = await visitor();
    const id = await resolvedConversation(v, '退款还没到账');
    const surveyId = surveyIdFor('conversation_resolved', id);
    await until(async () => ((await call('GET', '/widget/surveys', { token: v.token })).json.items.length ? true : undefined));
    const body = { answers: { csat: 1, reasons: ['slow', 'unresolved'], comment: '退款太慢了，客服态度也很差' } };
    const answers = await Promise.all([0, 1, 2].map(() => call('POST', `/widget/surveys/${surveyId}/response`, { token: v.token, body })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    const edit = await call('POST', `/widget/surveys/${surveyId}/response`, {
      token: v.token,
      body: { answers: { csat: 2, reasons: ['slow'], comment: 'still unhappy: refund is slow' } },
    });
    expect(edit.status).toBe(200);
    const other = await visitor();
    expect((await call('POST', `/widget/surveys/${surveyId}/response`, { token: other.token, body })).status).toBe(404);

    const open = await call('GET', '/survey-follow-ups', { token: lead });
    expect(open.json.items.filter((f: { surveyId: string }) => f.surveyId === surveyId)).toHaveLength(1);
    const staff = await call('GET', `/surveys/${surveyId}`, { token: agent });
    expect(staff.json.response).toMatchObject({ scores: { csat: 2 }, sentiment: 'negative', detractor: true, followUpOpened: true, version: 2 });
    expect(staff.json.response.topics).toContain('refund_process');
    expect(staff.json.followUp.reasons).toEqual(expect.arrayContaining(['low_csat', 'negative_comment']));
    const tickets = await stack.db.send(
      new QueryCommand({
        TableName: process.env.TABLE_NAME,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': keys.contactTicketsPartition(v.contactId).gsi1pk },
      }),
    );
    const followUpTickets = (tickets.Items ?? []).filter((t) => (t.tags as string[]).includes('detractor'));
    expect(followUpTickets).toHaveLength(1);
    expect(followUpTickets[0]).toMatchObject({ ticketId: staff.json.followUp.followUpTicketId, category: 'FEEDBACK', priority: 'high' });
    expect(staff.json.link).toMatch(/^\/survey-links\/svy_[0-9a-z]{26}\?t=\d{10}\.[A-Za-z0-9_-]{43}$/);

    // The follow-up is the team's own: the shopper's widget neither lists its thread nor reads its note…
    const threadId = followUpTickets[0]!.conversationId as string;
    const listed = async () =>
      (await call('GET', '/widget/conversations', { token: v.token })).json.items.map((c: { conversationId: string }) => c.conversationId);
    expect(await listed()).toContain(id);
    expect(await listed()).not.toContain(threadId);
    expect((await call('GET', `/widget/conversations/${threadId}/messages`, { token: v.token })).status).toBe(404);
    const note = await call('GET', `/conversations/${threadId}/messages`, { token: agent });
    expect(note.json.items).toHaveLength(1);
    expect(note.json.items[0]).toMatchObject({ internal: true, author: { kind: 'system' } });
    expect(note.json.items[0].text).toMatch(new RegExp(`(调查|survey) ${surveyId}`));
    // …until an agent writes to them there: then they see that reply, and only that.
    const reply = '您好，关于退款的问题由我来跟进。';
    expect((await call('POST', `/conversations/${threadId}/messages`, { token: agent, body: { text: reply } })).status).toBe(201);
    expect(await listed()).toContain(threadId);
    const seen = await call('GET', `/widget/conversations/${threadId}/messages`, { token: v.token });
    expect(seen.json.items.map((m: { text: string }) => m.text)).toEqual([reply]);

    const corrected = await call('PUT', `/surveys/${surveyId}/tags`, { token: agent, body: { topics: ['refund_process', 'agent_attitude'], version: 2 } });
    expect(corrected.status).toBe(200);
    expect(corrected.json.response.corrections).toHaveLength(1);
    expect(corrected.json.response.corrections[0]).toMatchObject({ to: { topics: ['refund_process', 'agent_attitude'] } });
    expect((await call('PUT', `/surveys/${surveyId}/tags`, { token: agent, body: { topics: ['price'], version: 2 } })).status).toBe(409);

    const f = open.json.items.find((x: { surveyId: string }) => x.surveyId === surveyId);
    expect((await call('POST', `/survey-follow-ups/${surveyId}/close`, { token: lead, body: { version: f.version, note: 'called back' } })).status).toBe(200);
  });

  it('points for answering are credited once per survey, whatever the score, and capped per month', async () => {
    await settings({ pointsMaxPerMonth: 2, fatigueDays: 0 });
    try {
      const v = await visitor(`survey-member-${Date.now()}`);
      expect(v.verified).toBe(true);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const out = await deliverSurvey(feedbackPorts(), request(v.contactId, `points-${v.contactId}-${i}`));
        expect(out.status).toBe('sent');
        ids.push(surveyIdFor('manual', `points-${v.contactId}-${i}`));
      }
      const r1 = await call('POST', `/widget/surveys/${ids[0]}/response`, { token: v.token, body: { answers: { csat: 1 } } });
      const r1again = await call('POST', `/widget/surveys/${ids[0]}/response`, { token: v.token, body: { answers: { csat: 1 } } });
      const r2 = await call('POST', `/widget/surveys/${ids[1]}/response`, { token: v.token, body: { answers: { csat: 5 } } });
      const r3 = await call('POST', `/widget/surveys/${ids[2]}/response`, { token: v.token, body: { answers: { csat: 4 } } });
      expect([r1.json.response.reward, r1again.json.response.reward, r2.json.response.reward, r3.json.response.reward]).toEqual([
        'applied',
        'duplicate',
        'applied',
        'capped',
      ]);
      const ledger = await call('GET', `/contacts/${v.contactId}/points`, { token: agent });
      expect(ledger.status).toBe(200);
      const entries = ledger.json.items as { sourceId: string; points: number }[];
      expect(entries.filter((e) => e.sourceId === `survey#${ids[0]}`)).toHaveLength(1);
      expect(entries.filter((e) => e.sourceId.startsWith('survey#')).map((e) => e.points)).toEqual([10, 10]);

      const anonymous = await visitor();
      const out = await deliverSurvey(feedbackPorts(), request(anonymous.contactId, `points-anon-${anonymous.contactId}`));
      expect(out.status).toBe('sent');
      if (out.status !== 'sent') return;
      expect((await submitResponse(feedbackPorts(), out.survey, { csat: 5 })).reward).toBe('not_member');
    } finally {
      await settings({ pointsMaxPerMonth: 3, fatigueDays: 14 });
    }
  });

  it('the signed link renders a zh/en form, takes an answer, and refuses a forged token', async () => {
    const v = await visitor();
    const started = await call('POST', '/widget/conversations', { token: v.token, body: { clientMessageId: 'fb-link-0001', text: 'hello' } });
    const sent = await call('POST', '/surveys', { token: agent, body: { conversationId: started.json.conversation.conversationId, definitionId: 'nps' } });
    expect(sent.status).toBe(200);
    expect(sent.json.status).toBe('sent');
    const link = sent.json.link as string;
    const page = await call('GET', link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.json).toContain('您有多大可能把我们推荐给朋友？');
    expect((await call('GET', `${link}&lang=en`)).json).toContain('How likely are you to recommend us');
    const answered = await call('POST', link, { body: { answers: { nps: 3, comment: '=HYPERLINK("http://evil.example","click")' } } });
    expect(answered.status).toBe(201);
    const forged = link.replace(/\.[A-Za-z0-9_-]{43}$/, `.${'A'.repeat(43)}`);
    expect((await call('GET', forged)).status).toBe(404);
    expect((await call('POST', forged, { body: { answers: { nps: 9 } } })).status).toBe(404);

    const csv = await call('GET', `/quality/export.csv?from=${today()}&to=${today()}&kind=comments`, { token: lead });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.json).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv.json).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('the summary route returns the responses, first response and resolution figures of the period', async () => {
    const res = await call('GET', `/quality/summary?from=${today()}&to=${today()}&scope=all`, { token: lead });
    expect(res.status).toBe(200);
    const t = res.json.totals;
    expect(t.csat.responses).toBeGreaterThanOrEqual(4);
    expect(t.nps.responses).toBeGreaterThanOrEqual(1);
    expect(t.surveys.detractors).toBeGreaterThanOrEqual(2);
    expect(t.conversations.created).toBeGreaterThanOrEqual(5);
    expect(t.conversations.resolved).toBeGreaterThanOrEqual(4);
    expect(t.firstResponse.count).toBeGreaterThanOrEqual(4);
    expect(t.firstResponse.medianSeconds).not.toBeNull();
    expect(t.resolutionTime.p90Seconds).not.toBeNull();
    expect(t.topics.find((x: { topic: string }) => x.topic === 'refund_process')).toBeTruthy();
    expect(res.json.series).toHaveLength(1);
    expect(res.json.cost.requests).toBeLessThanOrEqual(3);
    expect(res.json.labels.csatAverage).toEqual({ 'zh-CN': '满意度均分', en: 'CSAT average' });

    const agentScope = await call('GET', `/quality/summary?from=${today()}&to=${today()}&scope=${encodeURIComponent('channel#chat')}`, { token: lead });
    expect(agentScope.json.totals.conversations.resolved).toBeGreaterThanOrEqual(4);
    expect((await call('GET', `/quality/summary?from=${today()}&to=${today()}`, { token: agent })).status).toBe(403);
    expect((await call('GET', `/quality/summary?from=${today()}&to=2020-01-01`, { token: lead })).status).toBe(400);

    const drill = await call('GET', `/quality/drilldown?day=${today()}&metric=detractor`, { token: lead });
    expect(drill.json.items.length).toBeGreaterThanOrEqual(2);
    const days = await call('GET', `/quality/export.csv?from=${today()}&to=${today()}`, { token: lead });
    expect(days.json.split('\r\n')[0]).toContain('首次响应中位数(秒) / First response median (s)');
  });

  it('the summary route returns first-contact resolution and SLA attainment per target', async () => {
    const summary = async () => (await call('GET', `/quality/summary?from=${today()}&to=${today()}&scope=all`, { token: lead })).json.totals;
    const before = await summary();
    expect(before.conversations).toHaveProperty('fcrRate');
    expect(Object.keys(before.sla).sort()).toEqual(['first_response', 'next_response', 'resolution']);

    // one reply then resolved: first-contact
    await resolvedConversation(await visitor(), 'fcr: where is my order');
    // two replies then resolved: not first-contact
    const started = await call('POST', '/widget/conversations', {
      token: (await visitor()).token,
      body: { clientMessageId: `fcr-${Math.random().toString(36).slice(2, 12)}`, text: 'fcr: two replies' },
    });
    const twice = started.json.conversation.conversationId as string;
    for (const text of ['first', 'second']) expect((await call('POST', `/conversations/${twice}/messages`, { token: agent, body: { text } })).status).toBe(201);
    expect((await call('POST', `/conversations/${twice}/status`, { token: agent, body: { status: 'resolved' } })).status).toBe(200);
    // one reply, resolved, then reopened: counted, then taken back
    const reopened = await resolvedConversation(await visitor(), 'fcr: reopened later');
    expect((await call('POST', `/conversations/${reopened}/status`, { token: agent, body: { status: 'open' } })).status).toBe(200);
    // a ticket answered before conversion (first response met at creation), then solved in time (resolution met)
    const v = await visitor();
    const thread = await call('POST', '/widget/conversations', {
      token: v.token,
      body: { clientMessageId: `sla-${Math.random().toString(36).slice(2, 12)}`, text: 'sla: the sole came off' },
    });
    const threadId = thread.json.conversation.conversationId as string;
    expect((await call('POST', `/conversations/${threadId}/messages`, { token: agent, body: { text: 'looking into it' } })).status).toBe(201);
    const converted = await call('POST', `/conversations/${threadId}/ticket`, { token: agent, body: {} });
    expect(converted.status).toBe(201);
    const ticket = converted.json.ticket as { ticketId: string; version: number };
    expect((await call('PATCH', `/tickets/${ticket.ticketId}`, { token: agent, body: { version: ticket.version, status: 'solved' } })).status).toBe(200);

    const after = await until(async () => {
      const t = await summary();
      return t.sla.resolution.met > before.sla.resolution.met ? t : undefined;
    });
    // Solving the ticket resolves its thread too (one conversation, one truth): 4 resolved, and the
    // ticket's thread, answered once, is a first-contact resolution like the first conversation.
    expect(after.conversations.resolved - before.conversations.resolved).toBe(4);
    expect(after.conversations.firstContactResolutions - before.conversations.firstContactResolutions).toBe(2);
    expect(after.conversations.fcrRate).toBe(Math.round((after.conversations.firstContactResolutions / after.conversations.resolved) * 10_000) / 10_000);
    expect(after.sla.first_response.met - before.sla.first_response.met).toBe(1);
    expect(after.sla.resolution.met - before.sla.resolution.met).toBe(1);
    expect(after.sla.first_response.breached).toBe(before.sla.first_response.breached);
    expect(after.sla.resolution.attainment).toBe(1);
    expect(after.sla.next_response).toEqual({ met: 0, breached: 0, attainment: null });
  });

  it('the daily digest lists detractors and worst topics in both languages', async () => {
    const { writeDailyDigest } = await import('#shared/quality/jobs.ts');
    const digest = await writeDailyDigest(today(), new Date());
    expect(digest.detractors.length).toBeGreaterThanOrEqual(2);
    expect(digest.headlines[0]).toHaveProperty('zh-CN');
    const res = await call('GET', `/quality/digest?day=${today()}`, { token: lead });
    expect(res.status).toBe(200);
    expect(res.json.digest.figures.csat.responses).toBeGreaterThanOrEqual(4);
  });
});
