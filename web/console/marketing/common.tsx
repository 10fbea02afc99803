/** What the marketing screens share: member tiers, label keys, field problems as messages, and the reach line. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FieldError } from '../../lib/http.ts';
import type { StaffApi } from '../auth.ts';
import { type ConsoleKey, type Translate, useI18n } from '../i18n.ts';
import { errorMessage, pickText, type Resource, useResource } from '../kit/index.ts';
import type { CampaignAction, FieldProblem, MarketingChannel, RangeKey, ReachFigures } from '../marketing-state.ts';
import { reachVerdict } from '../marketing-state.ts';

export interface Tier {
  tierId: string;
  rank: number;
  name: { zh: string; en: string };
}

/** The member tiers, by rank (an empty list when they cannot be read: tier filters then stay empty). */
export function useTiers(api: StaffApi): Resource<Tier[]> {
  return useResource(
    () =>
      api.call<{ tiers: Tier[] }>('/tiers').then(
        (r) => [...r.tiers].sort((a, b) => a.rank - b.rank),
        () => [],
      ),
    [api],
  );
}

export function tierLabel(tierId: string | undefined, tiers: readonly Tier[], locale: string): string {
  if (!tierId) return '–';
  const tier = tiers.find((x) => x.tierId === tierId);
  return tier ? pickText(tier.name, locale) : tierId;
}

export const LEVEL_LABEL: Record<string, ConsoleKey> = { high: 'mLevelHigh', medium: 'mLevelMedium', low: 'mLevelLow' };
export const RANGE_LABEL: Record<RangeKey, ConsoleKey> = {
  points: 'mPoints',
  orderCount: 'mOrderCount',
  totalSpend: 'mTotalSpend',
  avgSpend: 'mAvgSpend',
  daysSinceLastOrder: 'mDaysSinceOrder',
  daysSinceLastContact: 'mDaysSinceContact',
};
export const CHANNEL_LABEL: Record<MarketingChannel, ConsoleKey> = { widget: 'mChWidget', email: 'mChEmail', webhook: 'mChWebhook' };
export const STATUS_LABEL: Record<string, ConsoleKey> = {
  draft: 'mStDraft',
  scheduled: 'mStScheduled',
  sending: 'mStSending',
  paused: 'mStPaused',
  completed: 'mStCompleted',
  cancelled: 'mStCancelled',
};
export const ACTION_LABEL: Record<CampaignAction, ConsoleKey> = { launch: 'mLaunch', pause: 'mPause', resume: 'mResume', cancel: 'mCancel' };
export const SUPPRESS_LABEL: Record<string, ConsoleKey> = {
  no_contact: 'mSupNoContact',
  no_consent: 'mSupNoConsent',
  no_address: 'mSupNoAddress',
  open_conversation: 'mSupOpenConversation',
  open_ticket: 'mSupOpenTicket',
  frequency_cap: 'mSupCap',
};
export const reasonKey = (code: string) => `reason_${code}` as ConsoleKey;

/** The console's own field problems as messages at their paths (what `fieldHelpers` shows next to fields). */
export function problemErrors(problems: readonly FieldProblem[], t: Translate): FieldError[] {
  return problems.map((p) => ({ path: p.path, message: t(p.key, p.values) }));
}

/** Messages for exactly this path (a container's own message, not its fields' ones shown next to them). */
export function OwnError(props: { errors: readonly FieldError[]; path: string; id: string }) {
  const own = props.errors.filter((e) => e.path === props.path);
  return own.length ? (
    <span id={props.id} class="field-error">
      {own.map((e) => e.message).join(' ')}
    </span>
  ) : null;
}

/** The segment a "new campaign for this segment" link hands to the campaign form. */
let segmentForNextCampaign: string | undefined;
export function rememberSegment(segmentId: string | undefined): void {
  segmentForNextCampaign = segmentId;
}
export function rememberedSegment(): string | undefined {
  return segmentForNextCampaign;
}

/**
 * Who of the audience the campaign's channels reach, said before launch: how many can receive it
 * and why the others are skipped; when nobody can, a warning that launching is refused.
 */
export function ReachLine(props: { figures: ReachFigures | undefined; error?: string; busy?: boolean; id?: string }) {
  const { t } = useI18n();
  const p = props.figures;
  if (props.error) return <p class="muted small">{t('mkReachFailed', { message: props.error })}</p>;
  if (!p?.reach) return <p class="muted small">{props.busy ? t('mCounting') : ''}</p>;
  const { reachable, suppressed } = p.reach;
  const why = [
    suppressed.no_consent ? t('mkReachNoConsent', { count: suppressed.no_consent }) : '',
    suppressed.no_address ? t('mkReachNoAddress', { count: suppressed.no_address }) : '',
  ]
    .filter(Boolean)
    .join(t('mkListSep'));
  const verdict = reachVerdict(p);
  if (verdict === 'none')
    return (
      <p id={props.id} class="notice reach-warning" role="alert" data-reach="none">
        {p.count === 0 ? t('mkReachEmpty') : t('mkReachNone', { count: p.count, why })}
      </p>
    );
  return (
    <p id={props.id} class="reach-line" role="status" data-reach={verdict}>
      {t(p.exact ? 'mkReachSome' : 'mkReachSomeAtLeast', { reachable, count: p.count })}
      {why && ` ${t('mkReachSkipped', { why })}`}
    </p>
  );
}

/**
 * Who of a segment's audience the channels reach (`POST /segments/preview` with channels), asked
 * 0.4 s after the last change; a newer question wins over a slower older answer.
 */
export function useReach(
  api: StaffApi,
  conditions: Record<string, unknown> | undefined,
  channels: readonly string[],
): { figures: ReachFigures | undefined; error: string | undefined; busy: boolean } {
  const [state, setState] = useState<{ figures?: ReachFigures; error?: string; busy: boolean }>({ busy: false });
  const seq = useRef(0);
  const question = conditions && channels.length ? JSON.stringify({ conditions, channels }) : '';
  useEffect(() => {
    const mine = ++seq.current;
    if (!question) {
      setState({ busy: false });
      return;
    }
    setState({ busy: true });
    const timer = setTimeout(() => {
      api.call<ReachFigures>('/segments/preview', JSON.parse(question) as unknown).then(
        (figures) => mine === seq.current && setState({ figures, busy: false }),
        (err: unknown) => mine === seq.current && setState({ error: errorMessage(err), busy: false }),
      );
    }, 400);
    return () => clearTimeout(timer);
  }, [question]);
  return { figures: state.figures, error: state.error, busy: state.busy };
}
