/**
 * Pure form logic of marketing: segment conditions as the builder holds them and the body of
 * `PUT /segments/{id}` / `POST /segments/preview`; campaign drafts and the body of
 * `POST /campaigns` (one variant); which status actions a campaign offers.
 */

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
  offer: 'none' | 'points';
  points: string;
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
    offer: form.offer === 'points' ? { kind: 'points', points: num(form.points) } : { kind: 'none' },
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

/** Placeholders the server fills per member. */
export const PLACEHOLDERS = ['{{name}}', '{{tier}}', '{{points}}', '{{bonusPoints}}', '{{unsubscribeUrl}}'] as const;

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
  offer: { kind: 'none' } | { kind: 'points'; points: number };
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
