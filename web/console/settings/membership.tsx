/**
 * Settings › membership (admins): member tiers by rank with the rules that reach them and their
 * benefits (`GET /tiers`), a tier's editor (`#/settings/membership/{tierId}`, `new` for a new one),
 * and the points rules (`PUT /loyalty/settings`). Teams and SLA policies to pick come from
 * `GET /ticket-config`.
 */
import '../i18n-membership.ts';
import { useState } from 'preact/hooks';
import type { Translate } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import { Async, DataTable, type Notice, NoticeLine, pickText, takeNotice, useResource } from '../kit/index.ts';
import type { TicketConfig } from '../tickets-store.ts';
import { ListHead, type SettingsSectionProps } from './common.tsx';
import { LoyaltySettingsForm } from './membership-points.tsx';
import { byRank, MEMBERSHIP, type MembershipData, type TierDef, type TiersResponse } from './membership-state.ts';
import { TierEditor } from './membership-tier.tsx';

async function loadMembership(api: SettingsSectionProps['api']): Promise<MembershipData> {
  const [tiers, config] = await Promise.all([api.call<TiersResponse>('/tiers'), api.call<TicketConfig>('/ticket-config').catch(() => undefined)]);
  return { ...tiers, tiers: byRank(tiers.tiers), config };
}

/** A notice shown in one place of the section: the list, the points form, or one tier's editor. */
type Placed = { at: string; notice: Notice };

export function MembershipSettings(props: SettingsSectionProps) {
  const data = useResource(() => loadMembership(props.api), [props.api]);
  const [placed, setPlaced] = useState<Placed | undefined>(() => {
    const carried = takeNotice('membership');
    return carried && { at: 'list', notice: carried };
  });
  /** Shows a notice at a place and reloads (a save, a conflict, a deletion): the forms reopen on the newest versions. */
  const reloadWith = async (at: string, notice: Notice) => {
    setPlaced({ at, notice });
    await data.reload();
  };
  const noticeAt = (at: string) => (placed?.at === at ? placed.notice : undefined);
  const item = props.itemId;
  return (
    <Async resource={data}>
      {(d) => {
        if (item) {
          const tier = d.tiers.find((x) => x.tierId === item);
          return (
            <TierEditor
              key={`${item}@${tier?.version ?? '-'}`}
              api={props.api}
              data={d}
              tierId={item}
              notice={noticeAt(`tier:${item}`)}
              onReload={reloadWith}
            />
          );
        }
        return (
          <>
            <TierList data={d} notice={noticeAt('list')} />
            <LoyaltySettingsForm key={`loyalty@${d.settings.version ?? '-'}`} api={props.api} data={d} notice={noticeAt('loyalty')} onReload={reloadWith} />
          </>
        );
      }}
    </Async>
  );
}

const number = (n: number, locale: string) => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n);

/** "Spend 2,000 or 2,500 points over the window", or "Entry tier: everyone starts here". */
export function thresholdsText(tier: TierDef, entry: boolean, t: Translate, locale: string): string {
  if (entry) return t('msEntryTier');
  const parts = [
    ...(tier.minSpend !== undefined ? [t('msBySpend', { amount: number(tier.minSpend, locale) })] : []),
    ...(tier.minPoints !== undefined ? [t('msByPoints', { points: number(tier.minPoints, locale) })] : []),
  ];
  return parts.join(t('msOr'));
}

/** The benefits other than perks: points multiplier, priority boost, SLA policy, routing team. */
export function benefitsText(tier: TierDef, config: MembershipData['config'], t: Translate, locale: string): string {
  const b = tier.benefits;
  const policy = b.slaPolicyId && config?.policies.find((p) => p.policyId === b.slaPolicyId);
  const team = b.routingTeam && config?.teams.find((x) => x.teamId === b.routingTeam);
  return [
    t('msMultiplierShort', { n: number(b.pointsMultiplier, locale) }),
    ...(b.priorityBoost > 0 ? [t('msBoostShort', { n: b.priorityBoost })] : []),
    ...(b.slaPolicyId ? [t('msSlaShort', { name: policy ? pickText(policy.name, locale) : b.slaPolicyId })] : []),
    ...(b.routingTeam ? [t('msTeamShort', { name: team ? pickText(team.name, locale) : b.routingTeam })] : []),
  ].join(' · ');
}

function TierList(props: { data: MembershipData; notice: Notice | undefined }) {
  const { t, locale } = useI18n();
  const { data } = props;
  const entryId = data.tiers[0]?.tierId;
  return (
    <section aria-labelledby="tiers-heading">
      <ListHead id="tiers-heading" title="msTiers" intro="msTiersIntro" newHref={`${MEMBERSHIP}/new`} />
      <NoticeLine notice={props.notice} />
      {data.defaults && <p class="muted small">{t('msDefaultsNote')}</p>}
      <DataTable<TierDef>
        rows={data.tiers}
        rowKey={(x) => x.tierId}
        caption={t('msTiers')}
        columns={[
          { key: 'rank', header: t('msRank'), cell: (x) => x.rank },
          {
            key: 'name',
            header: t('setName'),
            rowHeader: true,
            cell: (x) => (
              <>
                <a href={`${MEMBERSHIP}/${encodeURIComponent(x.tierId)}`}>{pickText(x.name, locale)}</a>
                <div class="muted small">
                  <span lang={locale === 'zh-CN' ? 'en' : 'zh-CN'}>{locale === 'zh-CN' ? x.name.en : x.name.zh}</span> · <span class="mono">{x.tierId}</span>
                </div>
              </>
            ),
          },
          { key: 'rules', header: t('msReachedBy'), cell: (x) => thresholdsText(x, x.tierId === entryId, t, locale) },
          {
            key: 'benefits',
            header: t('msBenefits'),
            cell: (x) => (
              <>
                <div>{benefitsText(x, data.config, t, locale)}</div>
                {x.benefits.perks.length > 0 && (
                  <ul class="perks small">
                    {x.benefits.perks.map((p, i) => (
                      <li key={i}>{pickText(p, locale)}</li>
                    ))}
                  </ul>
                )}
              </>
            ),
          },
        ]}
      />
    </section>
  );
}
