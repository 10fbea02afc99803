/**
 * Settings (its own chunk): the tabs a role may open and the router to one file per sub-section —
 * SLA policies, calendars, teams, routing rules, surveys and the email outbox (supervisors and
 * admins), membership, shop settings and webhooks (admins), and macros (everyone who answers
 * customers: personal ones for agents, shared ones too for supervisors and admins).
 */
import type { StaffApi } from './auth.ts';
import './i18n-ops.ts';
import './i18n-membership.ts';
import './i18n-shop.ts';
import { type ConsoleKey, useI18n } from './i18n.ts';
import { Async, useResource } from './kit/index.ts';
import { AccessLogSettingsSection } from './settings/access-log.tsx';
import { CalendarEditor, CalendarList } from './settings/calendars.tsx';
import { loadLookups } from './settings/common.tsx';
import { EmailOutbox } from './settings/email.tsx';
import { MacroEditor, MacroList } from './settings/macros.tsx';
import { MembershipSettings } from './settings/membership.tsx';
import { PolicyEditor, PolicyList } from './settings/policies.tsx';
import { RulesEditor } from './settings/rules.tsx';
import { ShopSettings } from './settings/shop.tsx';
import { SurveySettings } from './settings/surveys.tsx';
import { TeamEditor, TeamList } from './settings/teams.tsx';
import { WebhookSettings } from './settings/webhooks.tsx';
import { type SettingsTab, settingsTabs } from './settings-state.ts';

const TAB_LABEL: Record<SettingsTab, ConsoleKey> = {
  policies: 'setPolicies',
  calendars: 'setCalendars',
  teams: 'setTeams',
  rules: 'setRules',
  macros: 'setMacros',
  surveys: 'setSurveys',
  email: 'setEmail',
  membership: 'setMembership',
  shop: 'setShop',
  webhooks: 'setWebhooks',
  'access-log': 'setAccessLog',
};

/** Tabs that load their own data (not the ticket lookups). */
const OWN_DATA = {
  surveys: SurveySettings,
  email: EmailOutbox,
  membership: MembershipSettings,
  shop: ShopSettings,
  webhooks: WebhookSettings,
  'access-log': AccessLogSettingsSection,
} as const;

export interface SettingsProps {
  api: StaffApi;
  tab: string | undefined;
  itemId: string | undefined;
  me: string;
  roles: readonly string[];
}

/** Settings: the tabs the caller's roles allow; an unknown or forbidden tab shows the first allowed one. */
export function SettingsPage(props: SettingsProps) {
  const { t } = useI18n();
  const tabs = settingsTabs(props.roles);
  const tab: SettingsTab = (tabs as readonly string[]).includes(props.tab ?? '') ? (props.tab as SettingsTab) : tabs[0]!;
  const lookups = useResource(() => loadLookups(props.api), [props.api]);
  const section = { api: props.api, onSaved: lookups.reload };
  const id = props.itemId;
  const Own = tab in OWN_DATA ? OWN_DATA[tab as keyof typeof OWN_DATA] : undefined;

  return (
    <section class="kb pad settings" aria-labelledby="settings-heading">
      <h1 id="settings-heading">{t('navSettings')}</h1>
      {tabs.length > 1 && (
        <>
          <p class="muted">{t('setIntro')}</p>
          <nav aria-label={t('setTabs')}>
            <ul class="views tabs">
              {tabs.map((x) => (
                <li key={x}>
                  <a href={`#/settings/${x}`} aria-current={x === tab ? 'page' : undefined}>
                    {t(TAB_LABEL[x])}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </>
      )}
      {Own ? (
        <Own key={tab} api={props.api} itemId={id} me={props.me} roles={props.roles} />
      ) : tab === 'macros' ? (
        id ? (
          <MacroEditor key={id} api={props.api} macroId={id} me={props.me} roles={props.roles} staff={lookups.data?.staff ?? []} />
        ) : (
          <MacroList api={props.api} me={props.me} roles={props.roles} staff={lookups.data?.staff ?? []} />
        )
      ) : (
        <Async resource={lookups}>
          {(data) => {
            const p = { ...section, lookups: data };
            if (tab === 'policies') return id ? <PolicyEditor key={id} {...p} policyId={id} /> : <PolicyList lookups={data} />;
            if (tab === 'calendars') return id ? <CalendarEditor key={id} {...p} calendarId={id} /> : <CalendarList lookups={data} />;
            if (tab === 'teams') return id ? <TeamEditor key={id} {...p} teamId={id} /> : <TeamList lookups={data} />;
            return <RulesEditor {...p} />;
          }}
        </Async>
      )}
    </section>
  );
}
