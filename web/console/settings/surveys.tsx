/**
 * Settings › surveys (supervisors, admins): which survey each trigger sends, the delay, the
 * fatigue cap, link lifetime, edit window and points (`PUT /survey-config/settings`), and the
 * survey definitions with their questions (`#/settings/surveys/{definitionId}`, `new` for a new one).
 */
import '../i18n-membership.ts';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n.ts';
import { Async, DataTable, type Notice, pickText, useResource } from '../kit/index.ts';
import { ListHead, type SettingsSectionProps } from './common.tsx';
import { DefinitionEditor } from './surveys-definition.tsx';
import { SurveySettingsForm } from './surveys-settings.tsx';
import { kindLabel, SURVEYS, type SurveyConfig, type SurveyDefinition, TRIGGERS, triggerLabel } from './surveys-state.ts';

type Placed = { at: string; notice: Notice };

export function SurveySettings(props: SettingsSectionProps) {
  const config = useResource(() => props.api.call<SurveyConfig>('/survey-config'), [props.api]);
  const [placed, setPlaced] = useState<Placed>();
  /** Shows a notice at a place and reloads: the forms reopen on the newest versions. */
  const reloadWith = async (at: string, notice: Notice) => {
    setPlaced({ at, notice });
    await config.reload();
  };
  const noticeAt = (at: string) => (placed?.at === at ? placed.notice : undefined);
  const item = props.itemId;
  return (
    <Async resource={config}>
      {(c) => {
        if (item) {
          const def = c.definitions.find((d) => d.definitionId === item);
          return (
            <DefinitionEditor
              key={`${item}@${def?.version ?? '-'}`}
              api={props.api}
              config={c}
              definitionId={item}
              notice={noticeAt(`def:${item}`)}
              onReload={reloadWith}
            />
          );
        }
        return (
          <>
            <SurveySettingsForm key={`settings@${c.settings.version}`} api={props.api} config={c} notice={noticeAt('settings')} onReload={reloadWith} />
            <DefinitionList config={c} />
          </>
        );
      }}
    </Async>
  );
}

function DefinitionList(props: { config: SurveyConfig }) {
  const { t, locale } = useI18n();
  const { settings, definitions } = props.config;
  const usedBy = (d: SurveyDefinition) => TRIGGERS.filter((x) => settings.triggers[x] === d.definitionId).map((x) => triggerLabel(x, t));
  return (
    <section aria-labelledby="definitions-heading">
      <ListHead id="definitions-heading" title="msDefinitions" intro="msDefinitionsIntro" newHref={`${SURVEYS}/new`} />
      <DataTable<SurveyDefinition>
        rows={definitions}
        rowKey={(d) => d.definitionId}
        caption={t('msDefinitions')}
        columns={[
          {
            key: 'name',
            header: t('setName'),
            rowHeader: true,
            cell: (d) => (
              <>
                <a href={`${SURVEYS}/${encodeURIComponent(d.definitionId)}`}>{pickText(d.name, locale)}</a>
                <div class="muted small mono">{d.definitionId}</div>
              </>
            ),
          },
          {
            key: 'questions',
            header: t('msQuestions'),
            cell: (d) => (
              <ol class="perks small">
                {d.questions.map((q) => (
                  <li key={q.id}>
                    {pickText(q.text, locale)} <span class="muted">({kindLabel(q.kind, t)})</span>
                  </li>
                ))}
              </ol>
            ),
          },
          { key: 'used', header: t('msUsedBy'), cell: (d) => usedBy(d).join(t('msListSep')) || <span class="muted">{t('msUnused')}</span> },
          { key: 'version', header: t('msVersion'), cell: (d) => d.version },
        ]}
      />
    </section>
  );
}
