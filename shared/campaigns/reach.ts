/**
 * Who a campaign can reach (pure). A member is reachable when they granted marketing consent on
 * at least one of the campaign's channels and, when email is the only one, have an address — the
 * rule the sender applies to every member (send.ts), so the figure shown before launch is the one
 * the send honours. Unsubscribing withdraws consent on every channel, so unsubscribed members
 * count as `no_consent`. Other suppressions (an open conversation or ticket, the frequency cap,
 * quiet hours) depend on the moment of sending and are not counted here.
 *
 * A launch whose whole audience is unreachable is refused (422 `no_reachable_members`) instead of
 * running to "completed" with everyone suppressed.
 */
import { HttpError } from '#shared/http/errors.ts';
import type { Channel } from './model.ts';
import type { MemberFacts } from './segments.ts';
import type { Lang } from './template.ts';

/** The channels a member can be reached on for this campaign, or why none. */
export function reachableChannels(
  c: { channels: readonly Channel[] },
  m: Pick<MemberFacts, 'consent' | 'email'>,
): { channels: Channel[] } | { reason: 'no_consent' | 'no_address' } {
  const consented = c.channels.filter((ch) => m.consent[ch] === 'granted');
  if (consented.length === 0) return { reason: 'no_consent' };
  const channels = consented.filter((ch) => ch !== 'email' || !!m.email);
  return channels.length ? { channels } : { reason: 'no_address' };
}

/** How many of an audience the chosen channels reach, and why the others are suppressed. */
export interface Reach {
  reachable: number;
  suppressed: { no_consent: number; no_address: number };
}

export const emptyReach = (): Reach => ({ reachable: 0, suppressed: { no_consent: 0, no_address: 0 } });

/** Counts one member into `reach` (mutates it). */
export function tallyReach(reach: Reach, channels: readonly Channel[], m: Pick<MemberFacts, 'consent' | 'email'>): void {
  const verdict = reachableChannels({ channels }, m);
  if ('channels' in verdict) reach.reachable++;
  else reach.suppressed[verdict.reason]++;
}

/** The reader's language of a request's domain messages (`Accept-Language` zh… → zh, else en, as for validation). */
export function requestLang(acceptLanguage: string | undefined): Lang {
  return /^\s*zh/i.test(acceptLanguage ?? '') ? 'zh' : 'en';
}

/** The refusal of a launch nobody in the audience can receive, in both languages. */
export function noReachableText(audience: number, reach: Reach): { zh: string; en: string } {
  if (audience === 0) {
    return {
      zh: '无法启动：该人群目前没有会员。请先调整人群条件。',
      en: 'Cannot launch: the segment has no members right now. Change its conditions first.',
    };
  }
  const { no_consent: consent, no_address: address } = reach.suppressed;
  const zhWhy = [consent ? `${consent} 位未同意在所选渠道接收营销消息（或已退订）` : '', address ? `${address} 位没有邮箱地址` : ''].filter(Boolean).join('，');
  const enWhy = [
    consent ? `${consent} have not agreed to marketing on the chosen channels (or unsubscribed)` : '',
    address ? `${address} have no email address` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return {
    zh: `无法启动：人群中的 ${audience} 位会员都无法接收这次活动（${zhWhy}）。请改选会员已同意的渠道，或在人群条件的“已同意营销的渠道”中勾选这些渠道。`,
    en: `Cannot launch: none of the ${audience} members of the segment can receive this campaign (${enWhy}). Choose channels the members agreed to, or tick the consent channels in the segment's conditions.`,
  };
}

/** 422 for a launch that would reach nobody; the message in the reader's language, both in `details.text`. */
export function noReachableMembers(audience: number, reach: Reach, lang: Lang): HttpError {
  const text = noReachableText(audience, reach);
  return new HttpError(422, 'no_reachable_members', text[lang], { audience, reach, text });
}
