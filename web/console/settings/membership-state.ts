/**
 * Pure form logic of Settings › Membership: member tiers and the loyalty (points) settings as the
 * forms hold them (strings as typed) and the bodies of `PUT /tiers/{tierId}` and
 * `PUT /loyalty/settings` (`TierBody`, `SettingsBody` in shared/members/api.ts). The tier-list rules
 * the server checks (`validateTiers` in shared/members/tiers.ts) are checked here too, so a mistake
 * is named next to its field in the reader's language before any request; the server checks again.
 */
import type { FieldError } from '../../lib/http.ts';
import type { Translate } from '../i18n.ts';
import type { TicketConfig } from '../tickets-store.ts';

export const MEMBERSHIP = '#/settings/membership';

export interface Perk {
  zh: string;
  en: string;
}

export interface TierBenefits {
  slaPolicyId?: string;
  priorityBoost: number;
  routingTeam?: string;
  pointsMultiplier: number;
  perks: Perk[];
}

/** A tier as `GET /tiers` returns it (no version while the built-in defaults are in force). */
export interface TierDef {
  tierId: string;
  rank: number;
  name: { zh: string; en: string };
  minSpend?: number;
  minPoints?: number;
  benefits: TierBenefits;
  version?: number;
}

export interface LoyaltySettings {
  pointsPerUnit: number;
  pointsExpiryMonths: number;
  windowDays: number;
  reviewEveryDays: number;
  graceDays: number;
  version?: number;
}

/** `GET /tiers`: the tiers, the program settings, and whether the built-in defaults are still in force. */
export interface TiersResponse {
  tiers: TierDef[];
  settings: LoyaltySettings;
  defaults: boolean;
}

/** What the membership section reads: `GET /tiers` (tiers by rank) and the teams and SLA policies to pick. */
export interface MembershipData extends TiersResponse {
  /** Absent when the ticket configuration could not be read (the pickers then keep the current values only). */
  config: Pick<TicketConfig, 'teams' | 'policies'> | undefined;
}

/** The route's tier id rule (`TierParams`); `new` opens the editor of a new tier, so it is not an id. */
export const TIER_ID = /^[a-z][a-z0-9-]{0,31}$/;

export const byRank = <T extends { rank: number }>(tiers: readonly T[]): T[] => [...tiers].sort((a, b) => a.rank - b.rank);

export interface TierForm {
  tierId: string;
  rank: string;
  nameZh: string;
  nameEn: string;
  minSpend: string;
  minPoints: string;
  priorityBoost: string;
  pointsMultiplier: string;
  slaPolicyId: string;
  routingTeam: string;
  perks: Perk[];
}

/** A new tier: ranked above the highest one, no boost, points ×1, no perks. */
export function emptyTier(tiers: readonly Pick<TierDef, 'rank'>[]): TierForm {
  const top = tiers.reduce((max, t) => Math.max(max, t.rank), -1);
  return {
    tierId: '',
    rank: String(Math.min(99, top + 1)),
    nameZh: '',
    nameEn: '',
    minSpend: '',
    minPoints: '',
    priorityBoost: '0',
    pointsMultiplier: '1',
    slaPolicyId: '',
    routingTeam: '',
    perks: [],
  };
}

const text = (n: number | undefined) => (n === undefined ? '' : String(n));

export function tierForm(tier: TierDef): TierForm {
  return {
    tierId: tier.tierId,
    rank: String(tier.rank),
    nameZh: tier.name.zh,
    nameEn: tier.name.en,
    minSpend: text(tier.minSpend),
    minPoints: text(tier.minPoints),
    priorityBoost: String(tier.benefits.priorityBoost),
    pointsMultiplier: String(tier.benefits.pointsMultiplier),
    slaPolicyId: tier.benefits.slaPolicyId ?? '',
    routingTeam: tier.benefits.routingTeam ?? '',
    perks: tier.benefits.perks.map((p) => ({ ...p })),
  };
}

/** A typed number: '' is absent (undefined); anything else a number, or null when it is none (the server refuses it next to the field). */
export function typedNumber(value: string): number | null | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : null;
}

const blankPerk = (p: Perk) => !p.zh.trim() && !p.en.trim();

/** The body of `PUT /tiers/{tierId}`; `version` is the one read (absent for a new tier or the built-in defaults). */
export function tierBody(form: TierForm, version: number | undefined): Record<string, unknown> {
  const minSpend = typedNumber(form.minSpend);
  const minPoints = typedNumber(form.minPoints);
  return {
    rank: typedNumber(form.rank) ?? null,
    name: { zh: form.nameZh.trim(), en: form.nameEn.trim() },
    ...(minSpend !== undefined ? { minSpend } : {}),
    ...(minPoints !== undefined ? { minPoints } : {}),
    benefits: {
      ...(form.slaPolicyId ? { slaPolicyId: form.slaPolicyId } : {}),
      priorityBoost: typedNumber(form.priorityBoost) ?? null,
      ...(form.routingTeam ? { routingTeam: form.routingTeam } : {}),
      pointsMultiplier: typedNumber(form.pointsMultiplier) ?? null,
      perks: form.perks.filter((p) => !blankPerk(p)).map((p) => ({ zh: p.zh.trim(), en: p.en.trim() })),
    },
    ...(version !== undefined ? { version } : {}),
  };
}

type Thresholds = Pick<TierDef, 'tierId' | 'rank' | 'minSpend' | 'minPoints'>;

export type TierListProblem =
  | { kind: 'empty' }
  | { kind: 'entryThresholds'; tierId: string }
  | { kind: 'idTwice'; tierId: string }
  | { kind: 'rankTwice'; rank: number }
  | { kind: 'needsThreshold'; tierId: string };

/** The server's tier-list rules (`validateTiers`): one entry tier without thresholds, every other tier with one, ids and ranks unique. */
export function tierListProblems(tiers: readonly Thresholds[]): TierListProblem[] {
  const sorted = byRank(tiers);
  const entry = sorted[0];
  if (!entry) return [{ kind: 'empty' }];
  const problems: TierListProblem[] = [];
  if (entry.minSpend !== undefined || entry.minPoints !== undefined) problems.push({ kind: 'entryThresholds', tierId: entry.tierId });
  const ids = new Set<string>();
  const ranks = new Set<number>();
  for (const t of sorted) {
    if (ids.has(t.tierId)) problems.push({ kind: 'idTwice', tierId: t.tierId });
    if (ranks.has(t.rank)) problems.push({ kind: 'rankTwice', rank: t.rank });
    ids.add(t.tierId);
    ranks.add(t.rank);
    if (t !== entry && t.minSpend === undefined && t.minPoints === undefined) problems.push({ kind: 'needsThreshold', tierId: t.tierId });
  }
  return problems;
}

const nameOf = (tiers: readonly TierDef[], tierId: string, zh: boolean) => {
  const tier = tiers.find((t) => t.tierId === tierId);
  return tier ? (zh ? tier.name.zh : tier.name.en) || tierId : tierId;
};

/**
 * What is wrong with a tier form before it is sent: the id (new tiers), names, the required
 * numbers, half-filled perks, and the tier-list rules with this tier in place.
 */
export function tierFormProblems(form: TierForm, tiers: readonly TierDef[], creating: boolean, t: Translate, zh: boolean): FieldError[] {
  const out: FieldError[] = [];
  const required = t('msRequired');
  if (creating) {
    if (!TIER_ID.test(form.tierId) || form.tierId === 'new') out.push({ path: 'tierId', message: t('msTierIdRule') });
    else if (tiers.some((x) => x.tierId === form.tierId)) out.push({ path: 'tierId', message: t('msTierIdTaken') });
  }
  if (!form.nameZh.trim()) out.push({ path: 'name.zh', message: required });
  if (!form.nameEn.trim()) out.push({ path: 'name.en', message: required });
  for (const [key, path] of [
    ['rank', 'rank'],
    ['priorityBoost', 'benefits.priorityBoost'],
    ['pointsMultiplier', 'benefits.pointsMultiplier'],
  ] as const) {
    if (!form[key].trim()) out.push({ path, message: required });
  }
  form.perks.forEach((p, i) => {
    if (blankPerk(p)) return;
    if (!p.zh.trim()) out.push({ path: `benefits.perks.${i}.zh`, message: required });
    if (!p.en.trim()) out.push({ path: `benefits.perks.${i}.en`, message: required });
  });
  const rank = typedNumber(form.rank);
  const minSpend = typedNumber(form.minSpend);
  const minPoints = typedNumber(form.minPoints);
  if (typeof rank !== 'number' || minSpend === null || minPoints === null) return out;
  const candidate: Thresholds = {
    tierId: form.tierId,
    rank,
    ...(minSpend !== undefined ? { minSpend } : {}),
    ...(minPoints !== undefined ? { minPoints } : {}),
  };
  const others = tiers.filter((x) => x.tierId !== form.tierId);
  for (const problem of tierListProblems([...others, candidate])) {
    if (problem.kind === 'rankTwice') {
      const holder = others.find((x) => x.rank === problem.rank);
      out.push({ path: 'rank', message: t('msRankTaken', { name: holder ? nameOf(tiers, holder.tierId, zh) : String(problem.rank) }) });
    } else if (problem.kind === 'entryThresholds') {
      out.push(
        problem.tierId === candidate.tierId
          ? { path: 'minSpend', message: t('msEntryNoThresholds') }
          : { path: 'rank', message: t('msEntryWouldChange', { name: nameOf(tiers, problem.tierId, zh) }) },
      );
    } else if (problem.kind === 'needsThreshold') {
      out.push(
        problem.tierId === candidate.tierId
          ? { path: 'minSpend', message: t('msNeedsThreshold') }
          : { path: 'rank', message: t('msBelowEntry', { name: nameOf(tiers, problem.tierId, zh) }) },
      );
    }
  }
  return out;
}

/** Why a tier cannot be deleted as the list stands (undefined when the list stays valid without it). */
export function deleteProblem(tierId: string, tiers: readonly TierDef[], t: Translate, zh: boolean): string | undefined {
  const remaining = tiers.filter((x) => x.tierId !== tierId);
  const problem = tierListProblems(remaining)[0];
  if (!problem) return undefined;
  if (problem.kind === 'empty') return t('msDeleteLast');
  if (problem.kind === 'entryThresholds') return t('msDeleteEntry', { name: nameOf(tiers, problem.tierId, zh) });
  return t('msDeleteInvalid');
}

export const LOYALTY_FIELDS = ['pointsPerUnit', 'pointsExpiryMonths', 'windowDays', 'reviewEveryDays', 'graceDays'] as const;
export type LoyaltyField = (typeof LOYALTY_FIELDS)[number];
export type LoyaltyForm = Record<LoyaltyField, string>;

export function loyaltyForm(settings: LoyaltySettings): LoyaltyForm {
  return Object.fromEntries(LOYALTY_FIELDS.map((k) => [k, String(settings[k])])) as LoyaltyForm;
}

/** The body of `PUT /loyalty/settings`: every field, and the version read (absent while the defaults are in force). */
export function loyaltyBody(form: LoyaltyForm, version: number | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const k of LOYALTY_FIELDS) body[k] = typedNumber(form[k]) ?? null;
  if (version !== undefined) body.version = version;
  return body;
}

/** Empty fields, refused before any request. */
export function loyaltyProblems(form: LoyaltyForm, t: Translate): FieldError[] {
  return LOYALTY_FIELDS.filter((k) => !form[k].trim()).map((k) => ({ path: k, message: t('msRequired') }));
}
