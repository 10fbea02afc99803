/**
 * Pure form logic of marketing: segment conditions as the builder holds them and the body of
 * `PUT /segments/{id}` / `POST /segments/preview`; campaign drafts and the body of
 * `POST /campaigns` (one variant); which status actions a campaign offers.
 */
import { PLACEHOLDERS as SERVER_PLACEHOLDERS } from '../../shared/campaigns/template.ts';

export const CHURN_LEVELS = ['high', 'medium', 'low'] as const;
export const MARKETING_CHANNELS = ['widget', 'email', 'webhook'] as const;
export type MarketingChannel = (typeof MARKETING_CHANNELS)[number];
/** Churn reason codes of shared/ai/churn.ts (what the early-warning list explains). */
export const CHURN_REASONS = [
  'long_since_last_purchase',
  'overdue_vs_rhythm',
  'single_purchase',
  'low_frequency',
  'low_spend',
  'sla_breaches',
  'low_csat',
  'repeat_contacts',
  'open_complaints',
  'bot_loops',
] as const;
export const RANGES = ['points', 'orderCount', 'totalSpend', 'avgSpend', 'daysSinceLastOrder', 'daysSinceLastContact'] as const;
export type RangeKey = (typeof RANGES)[number];
export const SEGMENT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface SegmentForm {
  segmentId: string;
  name: string;
  description: string;
  tiers: string[];
  churnLevels: string[];
  churnReasons: string[];
  /** Percent, 0–100 ('' = no bound). */
  riskMin: string;
  riskMax: string;
  ranges: Record<RangeKey, { min: string; max: string }>;
  labelsAny: string;
  labelsAll: string;
  labelsNone: string;
  consent: string[];
}

export interface Segment {
  segmentId: string;
  name: string;
  description?: string;
  conditions: Record<string, unknown>;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

const emptyRanges = () => Object.fromEntries(RANGES.map((r) => [r, { min: '', max: '' }])) as SegmentForm['ranges'];

export function emptySegment(): SegmentForm {
  return {
    segmentId: '',
    name: '',
    description: '',
    tiers: [],
    churnLevels: [],
    churnReasons: [],
    riskMin: '',
    riskMax: '',
    ranges: emptyRanges(),
    labelsAny: '',
    labelsAll: '',
    labelsNone: '',
    consent: [],
  };
}

const str = (v: unknown) => (typeof v === 'number' ? String(v) : '');
const words = (text: string) => [
  ...new Set(
    text
      .split(/[,，\n]+/)
      .map((x) => x.trim())
      .filter(Boolean),
  ),
];

export function segmentForm(segment: Segment): SegmentForm {
  const c = segment.conditions as Record<string, { min?: number; max?: number } & Record<string, unknown>>;
  const ranges = emptyRanges();
  for (const r of RANGES) ranges[r] = { min: str(c[r]?.min), max: str(c[r]?.max) };
  const labels = (c.labels ?? {}) as { any?: string[]; all?: string[]; none?: string[] };
  const risk = c.churnRisk as { min?: number; max?: number } | undefined;
  const pct = (v: number | undefined) => (v === undefined ? '' : String(Math.round(v * 1000) / 10));
  return {
    segmentId: segment.segmentId,
    name: segment.name,
    description: segment.description ?? '',
    tiers: (c.tiers as unknown as string[]) ?? [],
    churnLevels: (c.churnLevels as unknown as string[]) ?? [],
    churnReasons: (c.churnReasons as unknown as string[]) ?? [],
    riskMin: pct(risk?.min),
    riskMax: pct(risk?.max),
    ranges,
    labelsAny: (labels.any ?? []).join(', '),
    labelsAll: (labels.all ?? []).join(', '),
    labelsNone: (labels.none ?? []).join(', '),
    consent: (c.consent as unknown as string[]) ?? [],
  };
}

const num = (v: string): number | null => {
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : null;
};

function range(min: string, max: string, scale = 1): { min?: number | null; max?: number | null } | undefined {
  const out: { min?: number | null; max?: number | null } = {};
  if (min.trim()) out.min = num(min) === null ? null : num(min)! * scale;
  if (max.trim()) out.max = num(max) === null ? null : num(max)! * scale;
  return Object.keys(out).length ? out : undefined;
}

/** The segment's conditions as the server takes them (empty conditions left out: all must hold). */
export function conditionsOf(form: SegmentForm): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  if (form.tiers.length) c.tiers = form.tiers;
  for (const r of RANGES) {
    const value = range(form.ranges[r].min, form.ranges[r].max);
    if (value) c[r] = value;
  }
  if (form.churnLevels.length) c.churnLevels = form.churnLevels;
  if (form.churnReasons.length) c.churnReasons = form.churnReasons;
  const risk = range(form.riskMin, form.riskMax, 0.01);
  if (risk) c.churnRisk = risk;
  const labels: Record<string, string[]> = {};
  if (words(form.labelsAny).length) labels.any = words(form.labelsAny);
  if (words(form.labelsAll).length) labels.all = words(form.labelsAll);
  if (words(form.labelsNone).length) labels.none = words(form.labelsNone);
  if (Object.keys(labels).length) c.labels = labels;
  if (form.consent.length) c.consent = form.consent;
  return c;
}

export function segmentBody(form: SegmentForm, version: number | undefined): Record<string, unknown> {
  return {
    name: form.name.trim(),
    ...(form.description.trim() ? { description: form.description.trim() } : {}),
    conditions: conditionsOf(form),
    ...(version !== undefined ? { version } : {}),
  };
}

export type CampaignStatus = 'draft' | 'scheduled' | 'sending' | 'paused' | 'completed' | 'cancelled';
export type CampaignAction = 'launch' | 'pause' | 'resume' | 'cancel';

/** The status controls a campaign offers in its current status (the server checks again). */
export function actionsFor(status: CampaignStatus): CampaignAction[] {
  switch (status) {
    case 'draft':
      return ['launch', 'cancel'];
    case 'scheduled':
    case 'sending':
      return ['pause', 'cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    default:
      return [];
  }
}

type Text2 = { a: string; b: string };

export interface CampaignForm {
  name: string;
  segmentId: string;
  channels: MarketingChannel[];
  /** Per channel and language: widget/webhook title + body, email subject + body (a = title/subject, b = body). */
  content: Record<MarketingChannel, { zh: Text2; en: Text2 }>;
  offer: 'none' | 'points' | 'coupon';
  points: string;
  /** The coupon pool whose codes go with the message (offer `coupon`). */
  couponPoolId: string;
  /** '' = send at launch; else a local date-time (datetime-local). */
  scheduleAt: string;
  /** Percent of the eligible audience held out (0–99). */
  holdoutPercent: string;
  capMode: 'default' | 'custom';
  capMax: string;
  capWindowHours: string;
  quiet: 'default' | 'off' | 'custom';
  quietStart: string;
  quietEnd: string;
  quietZone: string;
  attributionDays: string;
}

const blank = (): { zh: Text2; en: Text2 } => ({ zh: { a: '', b: '' }, en: { a: '', b: '' } });

export function emptyCampaign(): CampaignForm {
  return {
    name: '',
    segmentId: '',
    channels: ['widget'],
    content: { widget: blank(), email: blank(), webhook: blank() },
    offer: 'none',
    points: '100',
    couponPoolId: '',
    scheduleAt: '',
    holdoutPercent: '10',
    capMode: 'default',
    capMax: '1',
    capWindowHours: '72',
    quiet: 'default',
    quietStart: '21:00',
    quietEnd: '09:00',
    quietZone: 'Asia/Shanghai',
    attributionDays: '14',
  };
}

/** The body of `POST /campaigns` / `PUT /campaigns/{id}` with one variant `a`. */
export function campaignBody(form: CampaignForm, version?: number): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  for (const channel of form.channels) {
    const c = form.content[channel];
    const pair = (x: Text2) => (channel === 'email' ? { subject: x.a.trim(), body: x.b.trim() } : { title: x.a.trim(), body: x.b.trim() });
    content[channel] = { zh: pair(c.zh), en: pair(c.en) };
  }
  const holdout = num(form.holdoutPercent);
  const body: Record<string, unknown> = {
    name: form.name.trim(),
    segmentId: form.segmentId,
    channels: form.channels,
    variants: [{ variantId: 'a', weight: 1, content }],
    offer:
      form.offer === 'points'
        ? { kind: 'points', points: num(form.points) }
        : form.offer === 'coupon'
          ? { kind: 'coupon', poolId: form.couponPoolId }
          : { kind: 'none' },
    holdoutRatio: holdout === null ? null : Math.round(holdout * 100) / 10_000,
  };
  if (form.scheduleAt) {
    const at = new Date(form.scheduleAt);
    body.schedule = { at: Number.isNaN(at.getTime()) ? form.scheduleAt : at.toISOString() };
  }
  if (form.capMode === 'custom') body.frequencyCap = { max: num(form.capMax), windowHours: num(form.capWindowHours) };
  if (form.quiet === 'off') body.quietHours = null;
  else if (form.quiet === 'custom') body.quietHours = { start: form.quietStart.trim(), end: form.quietEnd.trim(), timeZone: form.quietZone.trim() };
  if (form.attributionDays.trim()) body.attributionDays = num(form.attributionDays);
  if (version !== undefined) body.version = version;
  return body;
}

/** Placeholders the server fills per member (the server's own list). */
export const PLACEHOLDERS = SERVER_PLACEHOLDERS.map((p) => `{{${p}}}`);

/** A stored campaign (shared/campaigns/store.ts) as far as the console shows it. */
export interface Campaign {
  campaignId: string;
  name: string;
  segmentId: string;
  channels: MarketingChannel[];
  variants: {
    variantId: string;
    weight: number;
    content: Partial<Record<MarketingChannel, Record<'zh' | 'en', { title?: string; subject?: string; body: string }>>>;
  }[];
  offer: { kind: 'none' } | { kind: 'points'; points: number } | { kind: 'coupon'; poolId: string };
  schedule?: { at: string };
  holdoutRatio: number;
  frequencyCap: { max: number; windowHours: number };
  quietHours: { start: string; end: string; timeZone: string } | null;
  attributionDays: number;
  status: CampaignStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
  launchedAt?: string;
  startedAt?: string;
  completedAt?: string;
  cancelledAt?: string;
}

/** A local `YYYY-MM-DDTHH:MM` for a datetime-local input. */
function localInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function campaignFormOf(c: Campaign): CampaignForm {
  const form = emptyCampaign();
  const variant = c.variants[0];
  for (const channel of MARKETING_CHANNELS) {
    const v = variant?.content[channel];
    if (!v) continue;
    for (const lang of ['zh', 'en'] as const) form.content[channel][lang] = { a: v[lang].subject ?? v[lang].title ?? '', b: v[lang].body };
  }
  return {
    ...form,
    name: c.name,
    segmentId: c.segmentId,
    channels: [...c.channels],
    offer: c.offer.kind,
    points: c.offer.kind === 'points' ? String(c.offer.points) : form.points,
    couponPoolId: c.offer.kind === 'coupon' ? c.offer.poolId : '',
    scheduleAt: c.schedule ? localInput(c.schedule.at) : '',
    holdoutPercent: String(Math.round(c.holdoutRatio * 10_000) / 100),
    capMode: c.frequencyCap.max === 1 && c.frequencyCap.windowHours === 72 ? 'default' : 'custom',
    capMax: String(c.frequencyCap.max),
    capWindowHours: String(c.frequencyCap.windowHours),
    quiet:
      c.quietHours === null
        ? 'off'
        : c.quietHours.start === '21:00' && c.quietHours.end === '09:00' && c.quietHours.timeZone === 'Asia/Shanghai'
          ? 'default'
          : 'custom',
    quietStart: c.quietHours?.start ?? form.quietStart,
    quietEnd: c.quietHours?.end ?? form.quietEnd,
    quietZone: c.quietHours?.timeZone ?? form.quietZone,
    attributionDays: String(c.attributionDays),
  };
}

/**
 * A field problem found before sending (the console's own check, in the reader's language): the
 * body path it belongs to, the catalogue key of its message and the message's values. The server
 * checks again; these only spare the round trip and name the field in plain words.
 */
export interface FieldProblem {
  path: string;
  key:
    | 'mkRequired'
    | 'mkWholeRange'
    | 'mkNumberRange'
    | 'mkMinAboveMax'
    | 'mkPickSegment'
    | 'mkPickChannel'
    | 'mkPickCoupon'
    | 'mkTimeOfDay'
    | 'mkTimeZone'
    | 'mkIdRule'
    | 'mkMediumBelowHigh';
  values?: Record<string, string | number>;
}

const isWhole = (v: string, min: number, max: number) => /^\d+$/.test(v.trim()) && Number(v) >= min && Number(v) <= max;
const isNumber = (v: string, min: number, max: number) => v.trim() !== '' && Number.isFinite(Number(v)) && Number(v) >= min && Number(v) <= max;
const whole = (path: string, v: string, min: number, max: number): FieldProblem[] =>
  isWhole(v, min, max) ? [] : [{ path, key: 'mkWholeRange', values: { min, max } }];

function rangeProblems(path: string, min: string, max: string, top: number): FieldProblem[] {
  for (const v of [min, max]) if (v.trim() && !isNumber(v, 0, top)) return [{ path, key: 'mkNumberRange', values: { min: 0, max: top } }];
  if (min.trim() && max.trim() && Number(min) > Number(max)) return [{ path, key: 'mkMinAboveMax' }];
  return [];
}

/** What a segment form still needs before it can be saved (empty when it can be sent). */
export function segmentProblems(form: SegmentForm, creating: boolean): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (creating && !SEGMENT_ID.test(form.segmentId)) out.push({ path: 'segmentId', key: 'mkIdRule' });
  if (!form.name.trim()) out.push({ path: 'name', key: 'mkRequired' });
  for (const r of RANGES) out.push(...rangeProblems(`conditions.${r}`, form.ranges[r].min, form.ranges[r].max, r.startsWith('days') ? 36500 : 1e12));
  out.push(...rangeProblems('conditions.churnRisk', form.riskMin, form.riskMax, 100));
  return out;
}

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** What a campaign form still needs before it can be saved (empty when it can be sent). */
export function campaignProblems(form: CampaignForm, isTimeZone: (zone: string) => boolean): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!form.name.trim()) out.push({ path: 'name', key: 'mkRequired' });
  if (!form.segmentId) out.push({ path: 'segmentId', key: 'mkPickSegment' });
  if (form.channels.length === 0) out.push({ path: 'channels', key: 'mkPickChannel' });
  for (const channel of form.channels) {
    for (const lang of ['zh', 'en'] as const) {
      const text = form.content[channel][lang];
      const base = `variants.0.content.${channel}.${lang}`;
      if (!text.a.trim()) out.push({ path: `${base}.${channel === 'email' ? 'subject' : 'title'}`, key: 'mkRequired' });
      if (!text.b.trim()) out.push({ path: `${base}.body`, key: 'mkRequired' });
    }
  }
  if (!isNumber(form.holdoutPercent, 0, 99)) out.push({ path: 'holdoutRatio', key: 'mkNumberRange', values: { min: 0, max: 99 } });
  if (form.offer === 'points') out.push(...whole('offer', form.points, 1, 100_000));
  if (form.offer === 'coupon' && !form.couponPoolId) out.push({ path: 'offer.poolId', key: 'mkPickCoupon' });
  if (form.attributionDays.trim()) out.push(...whole('attributionDays', form.attributionDays, 1, 90));
  if (form.capMode === 'custom') out.push(...whole('frequencyCap.max', form.capMax, 1, 20), ...whole('frequencyCap.windowHours', form.capWindowHours, 1, 720));
  if (form.quiet === 'custom') {
    if (!TIME_OF_DAY.test(form.quietStart.trim())) out.push({ path: 'quietHours.start', key: 'mkTimeOfDay' });
    if (!TIME_OF_DAY.test(form.quietEnd.trim())) out.push({ path: 'quietHours.end', key: 'mkTimeOfDay' });
    if (!isTimeZone(form.quietZone.trim())) out.push({ path: 'quietHours.timeZone', key: 'mkTimeZone' });
  }
  return out;
}

/** Who of an audience a campaign's channels reach (the `reach` of `POST /segments/preview` with channels). */
export interface ReachFigures {
  count: number;
  exact: boolean;
  reach?: { reachable: number; suppressed: { no_consent: number; no_address: number } };
}

/** How the reach reads before launch: nobody reachable (launch is refused), some suppressed, or everyone. */
export function reachVerdict(p: ReachFigures): 'unknown' | 'none' | 'some' | 'all' {
  if (!p.reach) return 'unknown';
  if (p.reach.reachable === 0) return p.exact ? 'none' : 'unknown';
  return p.reach.reachable < p.count ? 'some' : 'all';
}

/** The thresholds form: percentages as typed. */
export interface ChurnThresholdsForm {
  mediumPercent: string;
  highPercent: string;
}

export const churnThresholdsForm = (s: { mediumAt: number; highAt: number }): ChurnThresholdsForm => ({
  mediumPercent: String(Math.round(s.mediumAt * 1000) / 10),
  highPercent: String(Math.round(s.highAt * 1000) / 10),
});

/** What the thresholds form still needs (both strictly between 0 and 100, medium below high). */
export function churnThresholdsProblems(form: ChurnThresholdsForm): FieldProblem[] {
  const out: FieldProblem[] = [];
  const ok = (v: string) => isNumber(v, 0, 100) && Number(v) > 0 && Number(v) < 100;
  if (!ok(form.mediumPercent)) out.push({ path: 'mediumAt', key: 'mkNumberRange', values: { min: 0, max: 100 } });
  if (!ok(form.highPercent)) out.push({ path: 'highAt', key: 'mkNumberRange', values: { min: 0, max: 100 } });
  if (out.length === 0 && Number(form.mediumPercent) >= Number(form.highPercent)) out.push({ path: 'mediumAt', key: 'mkMediumBelowHigh' });
  return out;
}

/** The body of `PUT /churn/settings`. */
export function churnThresholdsBody(form: ChurnThresholdsForm, version: number): { mediumAt: number; highAt: number; version: number } {
  const ratio = (v: string) => Math.round(Number(v) * 100) / 10_000;
  return { mediumAt: ratio(form.mediumPercent), highAt: ratio(form.highPercent), version };
}
