/**
 * Pure form logic of the supervisor settings: SLA policies, calendars, teams and routing rules as
 * the forms hold them (strings as typed) and the request bodies of the `ticket-config-*` routes.
 * The server validates again; its `details.fields` paths are the body paths built here.
 */
import type { Priority, SlaMetric } from '../lib/types.ts';
import { METRICS, PRIORITIES } from './tickets-state.ts';
import type { Calendar, RoutingRule, SlaPolicy, Team } from './tickets-store.ts';

export const CONFIG_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;
export const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
export const BREACH_ACTIONS = ['notify', 'raise_priority', 'reassign_to_queue', 'escalate'] as const;
/** Built-in calendar ids: the shop's business hours and round-the-clock time. */
export const BUILTIN_CALENDARS = ['shop', '24x7'] as const;

type Grid = Record<Priority, Record<SlaMetric, string>>;

const emptyGrid = (): Grid => Object.fromEntries(PRIORITIES.map((p) => [p, Object.fromEntries(METRICS.map((m) => [m, '']))])) as Grid;

export interface PolicyForm {
  policyId: string;
  nameZh: string;
  nameEn: string;
  calendarId: string;
  targets: Grid;
  /** Per member tier: overrides metric by metric ('' = use the base target). */
  tierTargets: Record<string, Grid>;
  warnAtPercent: string;
  breachActions: string[];
  escalateTo: string;
}

export function emptyPolicy(): PolicyForm {
  return {
    policyId: '',
    nameZh: '',
    nameEn: '',
    calendarId: 'shop',
    targets: emptyGrid(),
    tierTargets: {},
    warnAtPercent: '80',
    breachActions: ['notify'],
    escalateTo: '',
  };
}

function gridOf(targets: Record<string, Partial<Record<SlaMetric, number>>> | undefined): Grid {
  const grid = emptyGrid();
  for (const p of PRIORITIES) for (const m of METRICS) grid[p][m] = targets?.[p]?.[m] !== undefined ? String(targets[p]![m]) : '';
  return grid;
}

export function policyForm(policy: SlaPolicy, tiers: readonly string[]): PolicyForm {
  const tierTargets: Record<string, Grid> = {};
  for (const tier of new Set([...tiers, ...Object.keys(policy.tierTargets ?? {})])) tierTargets[tier] = gridOf(policy.tierTargets?.[tier]);
  return {
    policyId: policy.policyId,
    nameZh: policy.name['zh-CN'],
    nameEn: policy.name.en,
    calendarId: policy.calendarId,
    targets: gridOf(policy.targets),
    tierTargets,
    warnAtPercent: String(policy.warnAtPercent),
    breachActions: [...policy.breachActions],
    escalateTo: policy.escalateTo ?? '',
  };
}

/** A typed number: '' stays absent, anything else goes to the server as a number (NaN → null, refused there). */
const num = (value: string): number | null => {
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : null;
};

function targetsOf(grid: Grid, keepEmpty: boolean): Record<string, Record<string, number | null>> {
  const out: Record<string, Record<string, number | null>> = {};
  for (const p of PRIORITIES) {
    const row: Record<string, number | null> = {};
    for (const m of METRICS) if (grid[p][m].trim()) row[m] = num(grid[p][m]);
    if (keepEmpty || Object.keys(row).length) out[p] = row;
  }
  return out;
}

/** The body of `PUT /ticket-config/sla-policies/{policyId}`. */
export function policyBody(form: PolicyForm): Record<string, unknown> {
  const tierTargets: Record<string, unknown> = {};
  for (const [tier, grid] of Object.entries(form.tierTargets)) {
    const t = targetsOf(grid, false);
    if (Object.keys(t).length) tierTargets[tier] = t;
  }
  return {
    name: { 'zh-CN': form.nameZh.trim(), en: form.nameEn.trim() },
    calendarId: form.calendarId,
    targets: targetsOf(form.targets, true),
    ...(Object.keys(tierTargets).length ? { tierTargets } : {}),
    warnAtPercent: num(form.warnAtPercent),
    breachActions: form.breachActions,
    ...(form.escalateTo ? { escalateTo: form.escalateTo } : {}),
  };
}

export interface CalendarForm {
  calendarId: string;
  timeZone: string;
  days: Record<(typeof WEEKDAYS)[number], { open: boolean; from: string; to: string }>;
  /** One local date (YYYY-MM-DD) per line. */
  holidays: string;
}

export function calendarForm(calendarId: string, calendar: Calendar | undefined): CalendarForm {
  const days = Object.fromEntries(
    WEEKDAYS.map((d) => {
      const hours = calendar?.days[d];
      return [d, hours ? { open: true, from: hours[0], to: hours[1] } : { open: false, from: '09:00', to: '18:00' }];
    }),
  ) as CalendarForm['days'];
  return { calendarId, timeZone: calendar?.timeZone ?? 'Asia/Shanghai', days, holidays: (calendar?.holidays ?? []).join('\n') };
}

/** The body of `PUT /ticket-config/calendars/{calendarId}`. */
export function calendarBody(form: CalendarForm): Record<string, unknown> {
  const days: Record<string, [string, string]> = {};
  for (const d of WEEKDAYS) if (form.days[d].open) days[d] = [form.days[d].from.trim(), form.days[d].to.trim()];
  const holidays = form.holidays
    .split(/[\s,，]+/)
    .map((h) => h.trim())
    .filter(Boolean);
  return { timeZone: form.timeZone.trim(), days, holidays: [...new Set(holidays)].sort() };
}

export interface TeamForm {
  teamId: string;
  nameZh: string;
  nameEn: string;
  members: string[];
  mode: 'round_robin' | 'least_loaded';
  capacity: string;
  /** Per-member capacity overrides ('' = the team default). */
  capacities: Record<string, string>;
  supervisor: string;
  calendarId: string;
}

export function emptyTeam(): TeamForm {
  return { teamId: '', nameZh: '', nameEn: '', members: [], mode: 'least_loaded', capacity: '5', capacities: {}, supervisor: '', calendarId: '' };
}

export function teamForm(team: Team): TeamForm {
  return {
    teamId: team.teamId,
    nameZh: team.name['zh-CN'],
    nameEn: team.name.en,
    members: [...team.members],
    mode: team.mode,
    capacity: String(team.capacity),
    capacities: Object.fromEntries(Object.entries(team.capacities ?? {}).map(([sub, c]) => [sub, String(c)])),
    supervisor: team.supervisor ?? '',
    calendarId: team.calendarId ?? '',
  };
}

/** The body of `PUT /ticket-config/teams/{teamId}` (overrides only for members). */
export function teamBody(form: TeamForm): Record<string, unknown> {
  const capacities: Record<string, number | null> = {};
  for (const sub of form.members) if (form.capacities[sub]?.trim()) capacities[sub] = num(form.capacities[sub]!);
  return {
    name: { 'zh-CN': form.nameZh.trim(), en: form.nameEn.trim() },
    members: form.members,
    mode: form.mode,
    capacity: num(form.capacity),
    ...(Object.keys(capacities).length ? { capacities } : {}),
    ...(form.supervisor ? { supervisor: form.supervisor } : {}),
    ...(form.calendarId ? { calendarId: form.calendarId } : {}),
  };
}

export interface RuleForm {
  ruleId: string;
  nameZh: string;
  nameEn: string;
  enabled: boolean;
  channels: string[];
  categories: string[];
  priorities: string[];
  tiers: string[];
  /** Comma separated language prefixes (`zh`, `en`). */
  languages: string;
  /** Comma separated tags (any of them). */
  tagsAny: string;
  businessHours: '' | 'open' | 'closed';
  team: string;
  priority: string;
  addTags: string;
  slaPolicyId: string;
}

const list = (text: string) => [
  ...new Set(
    text
      .split(/[,，\s]+/)
      .map((x) => x.trim())
      .filter(Boolean),
  ),
];

export function emptyRule(): RuleForm {
  return {
    ruleId: '',
    nameZh: '',
    nameEn: '',
    enabled: true,
    channels: [],
    categories: [],
    priorities: [],
    tiers: [],
    languages: '',
    tagsAny: '',
    businessHours: '',
    team: '',
    priority: '',
    addTags: '',
    slaPolicyId: '',
  };
}

export function ruleForm(rule: RoutingRule): RuleForm {
  return {
    ruleId: rule.ruleId,
    nameZh: rule.name['zh-CN'],
    nameEn: rule.name.en,
    enabled: rule.enabled,
    channels: rule.when.channels ?? [],
    categories: rule.when.categories ?? [],
    priorities: rule.when.priorities ?? [],
    tiers: rule.when.tiers ?? [],
    languages: (rule.when.languages ?? []).join(', '),
    tagsAny: (rule.when.tagsAny ?? []).join(', '),
    businessHours: rule.when.businessHours ?? '',
    team: rule.then.team ?? '',
    priority: rule.then.priority ?? '',
    addTags: (rule.then.addTags ?? []).join(', '),
    slaPolicyId: rule.then.slaPolicyId ?? '',
  };
}

/** One rule of `PUT /ticket-config/routing-rules` (empty conditions left out: they match everything). */
export function ruleBody(form: RuleForm): Record<string, unknown> {
  const when: Record<string, unknown> = {};
  if (form.channels.length) when.channels = form.channels;
  if (form.categories.length) when.categories = form.categories;
  if (form.priorities.length) when.priorities = form.priorities;
  if (form.tiers.length) when.tiers = form.tiers;
  if (list(form.languages).length) when.languages = list(form.languages);
  if (list(form.tagsAny).length) when.tagsAny = list(form.tagsAny).map((x) => x.toLowerCase());
  if (form.businessHours) when.businessHours = form.businessHours;
  const then: Record<string, unknown> = {};
  if (form.team) then.team = form.team;
  if (form.priority) then.priority = form.priority;
  if (list(form.addTags).length) then.addTags = list(form.addTags).map((x) => x.toLowerCase());
  if (form.slaPolicyId) then.slaPolicyId = form.slaPolicyId;
  return { ruleId: form.ruleId.trim(), name: { 'zh-CN': form.nameZh.trim(), en: form.nameEn.trim() }, enabled: form.enabled, when, then };
}

/** Moves item `from` one place up (-1) or down (+1); the list is unchanged at the ends. */
export function move<T>(items: readonly T[], from: number, by: -1 | 1): T[] {
  const to = from + by;
  if (from < 0 || from >= items.length || to < 0 || to >= items.length) return [...items];
  const next = [...items];
  [next[from], next[to]] = [next[to]!, next[from]!];
  return next;
}

/** Toggles a value in a list (checkbox groups). */
export function toggle(values: readonly string[], value: string, on: boolean): string[] {
  return on ? [...new Set([...values, value])] : values.filter((v) => v !== value);
}

export const SETTINGS_TABS = ['policies', 'calendars', 'teams', 'rules', 'macros', 'surveys', 'email', 'membership', 'shop', 'webhooks', 'access-log'] as const;
export type SettingsTab = (typeof SETTINGS_TABS)[number];

/** Tabs whose routes only admins may call (the manifest's ADMINS): tiers and loyalty, shop settings, webhooks, the access log. */
const ADMIN_TABS: readonly SettingsTab[] = ['membership', 'shop', 'webhooks', 'access-log'];

/**
 * The settings tabs a set of roles may open (the manifest's route roles): the ticket configuration,
 * surveys and the email outbox for supervisors and admins, membership, shop settings and webhooks
 * for admins, macros for everyone who answers customers.
 */
export function settingsTabs(roles: readonly string[]): SettingsTab[] {
  if (roles.includes('admin')) return [...SETTINGS_TABS];
  if (roles.includes('supervisor')) return SETTINGS_TABS.filter((x) => !ADMIN_TABS.includes(x));
  return roles.includes('agent') ? ['macros'] : [];
}
