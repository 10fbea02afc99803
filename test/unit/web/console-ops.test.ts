import { describe, expect, test } from 'vitest';
import { CATEGORIES as SERVER_CATEGORIES } from '#shared/ai/classifier.ts';
import { CampaignBody, SegmentBody } from '#shared/campaigns/model.ts';
import { DEFAULT_POLICY, SlaPolicyInputSchema } from '#shared/sla/policy.ts';
import { TeamInputSchema } from '#shared/tickets/assignment.ts';
import { CalendarSchema } from '#shared/tickets/config-store.ts';
import { RoutingRuleSchema } from '#shared/tickets/routing.ts';
import {
  actionsFor,
  campaignBody,
  campaignFormOf,
  conditionsOf,
  emptyCampaign,
  emptySegment,
  segmentBody,
  segmentForm,
} from '../../../web/console/marketing-state.ts';
import { daysOf, fillSeries, formatDuration, formatPercent, niceMax, presetPeriod, scopeQuery } from '../../../web/console/quality-state.ts';
import {
  calendarBody,
  calendarForm,
  emptyRule,
  move,
  policyBody,
  policyForm,
  ruleBody,
  ruleForm,
  teamBody,
  teamForm,
  toggle,
} from '../../../web/console/settings-state.ts';
import {
  CATEGORIES,
  draftOfTicket,
  emptyTicketForm,
  inTicketView,
  messagesFor,
  newTicketBody,
  parseTagList,
  sortTickets,
  ticketChanges,
  ticketFormProblems,
  unclaimed,
} from '../../../web/console/tickets-state.ts';
import type { Ticket } from '../../../web/lib/types.ts';

const ticket = (id: string, patch: Partial<Ticket> = {}): Ticket => ({
  ticketId: id,
  shopId: 'demo',
  subject: 'Parcel late',
  status: 'open',
  priority: 'normal',
  category: 'DELIVERY',
  tags: ['late'],
  team: 'logistics',
  waiting: false,
  customFields: {},
  requester: { contactId: 'con_1' },
  channel: 'chat',
  conversationId: 'cnv_1',
  sla: { policyId: 'default', policyVersion: 1, calendarId: 'shop', breached: [] },
  createdBy: { kind: 'system' },
  createdAt: '2026-03-01T00:00:00Z',
  updatedAt: '2026-03-01T00:00:00Z',
  version: 3,
  ...patch,
});

describe('ticket views', () => {
  const me = 'me';
  const mine = ticket('a', { assignee: { sub: me, name: 'Me' } });
  const solved = ticket('b', { assignee: { sub: me, name: 'Me' }, status: 'solved' });
  const free = ticket('c');
  const waiting = ticket('d', { waiting: true });
  const otherTeam = ticket('e', { waiting: true, team: 'billing' });

  test('follow the server’s rules: active tickets only; the team queue is the team’s waiting tickets', () => {
    const ids = (view: 'mine' | 'unassigned' | 'team', team?: string) =>
      [mine, solved, free, waiting, otherTeam].filter((t) => inTicketView(view, t, me, team)).map((t) => t.ticketId);
    expect(ids('mine')).toEqual(['a']);
    expect(ids('unassigned')).toEqual(['c', 'd', 'e']);
    expect(ids('team', 'logistics')).toEqual(['d']);
    expect(ids('team', undefined)).toEqual([]);
  });

  test('lists put breached first, then the soonest deadline; the queue by priority then age', () => {
    const soon = ticket('soon', { sla: { ...free.sla, nextDueAt: '2026-03-01T01:00:00Z' } });
    const later = ticket('later', { sla: { ...free.sla, nextDueAt: '2026-03-01T05:00:00Z' } });
    const breached = ticket('late', { sla: { ...free.sla, breached: ['first_response'] } });
    expect(sortTickets('mine', [later, soon, breached]).map((t) => t.ticketId)).toEqual(['late', 'soon', 'later']);
    const urgentNew = ticket('u', { priority: 'urgent', createdAt: '2026-03-02T00:00:00Z' });
    const lowOld = ticket('l', { priority: 'low', createdAt: '2026-02-01T00:00:00Z' });
    expect(sortTickets('team', [lowOld, urgentNew]).map((t) => t.ticketId)).toEqual(['u', 'l']);
  });
});

describe('ticket edit form', () => {
  test('PATCH carries only what changed, with the version the form started from', () => {
    const t = ticket('a', { assignee: { sub: 's1', name: 'A' } });
    expect(ticketChanges(t, draftOfTicket(t), 3)).toBeUndefined();
    expect(ticketChanges(t, { ...draftOfTicket(t), priority: 'high', tags: 'late, VIP，late' }, 2)).toEqual({
      version: 2,
      priority: 'high',
      tags: ['late', 'vip'],
    });
    expect(ticketChanges(t, { ...draftOfTicket(t), assignee: '' }, 3)).toEqual({ version: 3, assignee: null });
    expect(parseTagList(' a,b、 c  a')).toEqual(['a', 'b', 'c']);
  });

  test('a phone ticket leaves routing decisions to the server unless chosen', () => {
    const form = { ...emptyTicketForm(), subject: ' Refund ', text: ' Called about a refund ', phone: '+86 138 0000 0000' };
    expect(ticketFormProblems(emptyTicketForm())).toEqual(['subject', 'text', 'requester']);
    expect(ticketFormProblems(form)).toEqual([]);
    expect(newTicketBody(form)).toEqual({ channel: 'phone', subject: 'Refund', text: 'Called about a refund', requester: { phone: '+86 138 0000 0000' } });
    expect(newTicketBody({ ...form, priority: 'high', team: 'billing' })).toMatchObject({ priority: 'high', team: 'billing' });
  });

  test('server validation messages land next to their field; the rest at the top', () => {
    const errors = [
      { path: 'requester.email', message: 'bad email' },
      { path: 'subject', message: 'empty' },
      { path: '(root)', message: 'whole form' },
      { path: 'other.thing', message: 'stray' },
    ];
    expect(messagesFor(errors, 'requester')).toEqual(['bad email']);
    expect(messagesFor(errors, 'subject')).toEqual(['empty']);
    expect(unclaimed(errors, ['requester', 'subject'])).toEqual(['whole form', 'other.thing: stray']);
  });

  test('the console’s categories are the classifier’s', () => {
    expect([...CATEGORIES].sort()).toEqual([...SERVER_CATEGORIES].sort());
  });
});

describe('supervisor settings forms', () => {
  test('an SLA policy round-trips through the form into a body the server accepts', () => {
    const form = policyForm(DEFAULT_POLICY, ['silver', 'gold', 'platinum']);
    expect(Object.keys(form.tierTargets)).toEqual(['silver', 'gold', 'platinum']);
    const body = policyBody(form);
    const parsed = SlaPolicyInputSchema.parse(body);
    expect(parsed.targets).toEqual(DEFAULT_POLICY.targets);
    expect(parsed.tierTargets).toEqual(DEFAULT_POLICY.tierTargets);
    expect(body).not.toHaveProperty('tierTargets.silver');
    const typo = policyBody({ ...form, targets: { ...form.targets, low: { ...form.targets.low, first_response: 'abc' } } });
    expect(SlaPolicyInputSchema.safeParse(typo).success).toBe(false);
  });

  test('calendars, teams and routing rules build bodies the server accepts', () => {
    const cal = calendarForm('cn', { timeZone: 'Asia/Shanghai', days: { '1': ['09:00', '18:00'] }, holidays: ['2026-10-01'] });
    expect(cal.days['2'].open).toBe(false);
    const body = calendarBody({ ...cal, holidays: '2026-10-02\n2026-10-01, 2026-10-02' });
    expect(CalendarSchema.parse(body)).toEqual({ timeZone: 'Asia/Shanghai', days: { '1': ['09:00', '18:00'] }, holidays: ['2026-10-01', '2026-10-02'] });

    const team = teamForm({ teamId: 'vip', name: { 'zh-CN': '贵宾', en: 'VIP' }, members: ['a', 'b'], mode: 'round_robin', capacity: 3, capacities: { b: 1 } });
    const teamPut = teamBody({ ...team, capacities: { ...team.capacities, c: '9' } });
    expect(TeamInputSchema.parse(teamPut)).toMatchObject({ members: ['a', 'b'], mode: 'round_robin', capacity: 3, capacities: { b: 1 } });

    const rule = { ...emptyRule(), ruleId: 'vip', nameZh: '贵宾', nameEn: 'VIP', tiers: ['gold'], channels: ['chat'], addTags: 'VIP, gold', team: 'vip' };
    const parsed = RoutingRuleSchema.parse(ruleBody(rule));
    expect(parsed).toMatchObject({
      ruleId: 'vip',
      enabled: true,
      when: { tiers: ['gold'], channels: ['chat'] },
      then: { team: 'vip', addTags: ['vip', 'gold'] },
    });
    expect(parsed.when).not.toHaveProperty('categories');
    expect(ruleForm(parsed)).toMatchObject({ ruleId: 'vip', addTags: 'vip, gold', tiers: ['gold'] });
  });

  test('rules move up and down within the list; checkboxes toggle', () => {
    expect(move(['a', 'b', 'c'], 1, -1)).toEqual(['b', 'a', 'c']);
    expect(move(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
    expect(toggle(['a'], 'b', true)).toEqual(['a', 'b']);
    expect(toggle(['a', 'b'], 'a', false)).toEqual(['b']);
  });
});

describe('marketing forms', () => {
  test('a segment of at-risk gold members builds conditions the server accepts and reads back', () => {
    const form = {
      ...emptySegment(),
      segmentId: 'at-risk-gold',
      name: 'At-risk gold',
      tiers: ['gold'],
      churnLevels: ['high', 'medium'],
      riskMin: '50',
      labelsNone: 'vip, staff',
    };
    form.ranges = { ...form.ranges, daysSinceLastOrder: { min: '60', max: '' } };
    expect(conditionsOf(form)).toEqual({
      tiers: ['gold'],
      daysSinceLastOrder: { min: 60 },
      churnLevels: ['high', 'medium'],
      churnRisk: { min: 0.5 },
      labels: { none: ['vip', 'staff'] },
    });
    const body = SegmentBody.parse(segmentBody(form, 0));
    expect(body.version).toBe(0);
    const again = segmentForm({
      segmentId: 'at-risk-gold',
      name: 'At-risk gold',
      conditions: body.conditions as Record<string, unknown>,
      version: 1,
      updatedAt: '',
      updatedBy: '',
    });
    expect(conditionsOf(again)).toEqual(conditionsOf(form));
  });

  test('a campaign draft with a 10 % holdout, widget message in zh and en, bonus points and no quiet hours', () => {
    const form = emptyCampaign();
    form.name = 'Win back gold';
    form.segmentId = 'at-risk-gold';
    form.offer = 'points';
    form.points = '50';
    form.quiet = 'off';
    form.content.widget = {
      zh: { a: '我们想念您', b: '{{name}}，送您 {{bonusPoints}} 积分' },
      en: { a: 'We miss you', b: '{{name}}, here are {{bonusPoints}} points' },
    };
    const body = campaignBody(form);
    const parsed = CampaignBody.parse(body);
    expect(parsed).toMatchObject({ holdoutRatio: 0.1, channels: ['widget'], offer: { kind: 'points', points: 50 }, quietHours: null });
    expect(parsed.variants[0]?.content.widget?.en).toEqual({ title: 'We miss you', body: '{{name}}, here are {{bonusPoints}} points' });
    expect(body).not.toHaveProperty('frequencyCap');
    const back = campaignFormOf({
      ...parsed,
      campaignId: 'c1',
      frequencyCap: { max: 1, windowHours: 72 },
      quietHours: null,
      attributionDays: 14,
      status: 'draft',
      version: 1,
      createdAt: '',
      updatedAt: '',
    } as never);
    expect(back).toMatchObject({ holdoutPercent: '10', quiet: 'off', capMode: 'default', offer: 'points', points: '50' });
    expect(back.content.widget.zh.a).toBe('我们想念您');
  });

  test('status controls follow the campaign’s status', () => {
    expect(actionsFor('draft')).toEqual(['launch', 'cancel']);
    expect(actionsFor('sending')).toEqual(['pause', 'cancel']);
    expect(actionsFor('paused')).toEqual(['resume', 'cancel']);
    expect(actionsFor('completed')).toEqual([]);
  });
});

describe('quality dashboard helpers', () => {
  test('periods are UTC days; missing days are filled for the chart', () => {
    expect(presetPeriod(7, Date.parse('2026-03-07T23:59:00Z'))).toEqual({ from: '2026-03-01', to: '2026-03-07' });
    expect(daysOf('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    const filled = fillSeries([{ day: '2026-03-02', created: 4 } as never], '2026-03-01', '2026-03-03');
    expect(filled.map((d) => [d.day, d.created])).toEqual([
      ['2026-03-01', 0],
      ['2026-03-02', 4],
      ['2026-03-03', 0],
    ]);
    expect(scopeQuery('agent#abc')).toBe('agent%23abc');
  });

  test('axes round up to 1, 2 or 5 × 10ⁿ; durations and rates read in the reader’s language', () => {
    expect([0, 0.3, 1, 3, 7, 12, 480].map(niceMax)).toEqual([1, 0.5, 1, 5, 10, 20, 500]);
    expect(formatDuration(45, 'en')).toBe('45 sec');
    expect(formatDuration(125, 'en')).toBe('2.1 min');
    expect(formatDuration(3 * 3600, 'en')).toBe('3 hr');
    expect(formatDuration(null, 'en')).toBe('–');
    expect(formatDuration(125, 'zh-CN')).toContain('2.1');
    expect(formatPercent(0.1234, 'en')).toBe('12.3%');
    expect(formatPercent(null, 'en')).toBe('–');
  });
});
