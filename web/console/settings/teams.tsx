/**
 * Settings › teams: members, assignment mode, capacity (per member too), lead, calendar and the
 * training requirement (上岗要求, with who qualifies: team-training.tsx).
 */
import { useState } from 'preact/hooks';
import type { FieldError } from '../../lib/http.ts';
import { useI18n } from '../i18n.ts';
import { carryNotice, DataTable, fieldHelpers, type Notice, NoticeLine, pickText, SelectField, TextField, takeNotice } from '../kit/index.ts';
import { CONFIG_ID, emptyTeam, type TeamForm, teamBody, teamForm, toggle } from '../settings-state.ts';
import { unclaimed } from '../tickets-state.ts';
import type { Team } from '../tickets-store.ts';
import { BackLink, calendarName, ListHead, type Lookups, SaveButton, type SectionProps, staffName, submitForm, supervisorsOf } from './common.tsx';
import {
  type GatedTeam,
  QualifyCell,
  TeamTrainingSummary,
  TrainingFields,
  trainingBody,
  trainingForm,
  trainingProblem,
  useTrainingData,
} from './team-training.tsx';

export function TeamList({ lookups }: { lookups: Lookups }) {
  const { t, locale } = useI18n();
  const names = new Map(lookups.staff.map((s) => [s.sub, staffName(s)]));
  return (
    <>
      <ListHead title="setTeams" intro="setTeamsIntro" newHref="#/settings/teams/new" />
      <DataTable<Team>
        rows={lookups.config.teams}
        rowKey={(x) => x.teamId}
        columns={[
          {
            key: 'name',
            header: t('setName'),
            cell: (team) => (
              <>
                <a href={`#/settings/teams/${encodeURIComponent(team.teamId)}`}>{pickText(team.name, locale)}</a>
                <div class="muted small mono">{team.teamId}</div>
              </>
            ),
          },
          { key: 'mode', header: t('setMode'), cell: (team) => (team.mode === 'round_robin' ? t('modeRoundRobin') : t('modeLeastLoaded')) },
          { key: 'capacity', header: t('setCapacity'), cell: (team) => team.capacity },
          { key: 'members', header: t('setMembers'), cell: (team) => team.members.map((m) => names.get(m) ?? m).join(', ') },
          { key: 'training', header: t('gateColumn'), cell: (team) => <TeamTrainingSummary team={team as GatedTeam} best={undefined} /> },
        ]}
      />
    </>
  );
}

export function TeamEditor(props: SectionProps & { teamId: string }) {
  const { t, locale } = useI18n();
  const creating = props.teamId === 'new';
  const existing = props.lookups.config.teams.find((x) => x.teamId === props.teamId);
  const [form, setForm] = useState<TeamForm>(() => (existing ? teamForm(existing) : emptyTeam()));
  const [training, setTraining] = useState(() => trainingForm(existing as GatedTeam | undefined));
  const trainingData = useTrainingData(props.api);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>(() => takeNotice(`team:${props.teamId}`));
  const [busy, setBusy] = useState(false);
  const f = fieldHelpers(errors, 'team');
  if (!creating && !existing) return <p class="error">{t('setNotFound')}</p>;
  const agents = props.lookups.staff.filter((s) => s.roles.some((r) => r === 'agent' || r === 'supervisor' || r === 'admin'));
  /** The saved team (who qualifies is shown against what is saved, not the unsaved edits). */
  const saved = existing as GatedTeam | undefined;
  const set = <K extends keyof TeamForm>(key: K, value: TeamForm[K]) => setForm((x) => ({ ...x, [key]: value }));

  const save = (event: Event) => {
    event.preventDefault();
    void submitForm(
      { setBusy, setErrors, setNotice },
      t,
      CONFIG_ID.test(form.teamId) ? trainingProblem(training, t) : { path: 'teamId', message: t('setIdRule') },
      async () => {
        await props.api.put(`/ticket-config/teams/${encodeURIComponent(form.teamId)}`, { ...teamBody(form), ...trainingBody(training) });
        await props.onSaved();
        await trainingData.best.reload();
      },
      () => ({ kind: 'ok', text: t('setSaved') }),
      (_, saved) => {
        if (!creating) return;
        carryNotice(`team:${form.teamId}`, saved);
        location.replace(`#/settings/teams/${encodeURIComponent(form.teamId)}`);
      },
    );
  };

  const other = unclaimed(errors, [
    'teamId',
    'name',
    'members',
    'mode',
    'capacity',
    'capacities',
    'supervisor',
    'calendarId',
    'training.scenarioIds',
    'training.passingScore',
  ]);
  return (
    <form class="kb-form" onSubmit={save} noValidate aria-labelledby="team-heading">
      <BackLink href="#/settings/teams" />
      <h2 id="team-heading">{creating ? t('setNewTeam') : t('setEditTeam', { name: pickText(existing?.name, locale) })}</h2>
      <NoticeLine notice={notice && { ...notice, extra: other }} />
      <div class="kb-fields">
        <TextField
          id="team-id"
          label={t('setId')}
          inputClass="mono"
          value={form.teamId}
          readOnly={!creating}
          maxLength={40}
          errors={f}
          path="teamId"
          onInput={(v) => set('teamId', v.trim())}
        />
        <TextField id="team-name-zh" label={t('setNameZh')} lang="zh-CN" value={form.nameZh} errors={f} path="name.zh-CN" onInput={(v) => set('nameZh', v)} />
        <TextField id="team-name-en" label={t('setNameEn')} lang="en" value={form.nameEn} errors={f} path="name.en" onInput={(v) => set('nameEn', v)} />
        <TextField
          id="team-capacity"
          label={t('setCapacity')}
          type="number"
          min={1}
          max={100}
          value={form.capacity}
          errors={f}
          path="capacity"
          hint={t('setCapacityHint')}
          onInput={(v) => set('capacity', v)}
        />
        <SelectField
          id="team-supervisor"
          label={t('setSupervisor')}
          value={form.supervisor}
          errors={f}
          path="supervisor"
          blank={t('none')}
          options={supervisorsOf(props.lookups.staff).map((s) => ({ value: s.sub, label: staffName(s) }))}
          onChange={(v) => set('supervisor', v)}
        />
        <SelectField
          id="team-calendar"
          label={t('setCalendar')}
          value={form.calendarId}
          errors={f}
          path="calendarId"
          blank={t('calShop')}
          options={['24x7', ...Object.keys(props.lookups.config.calendars).filter((c) => c !== 'shop')].map((c) => ({ value: c, label: calendarName(c, t) }))}
          onChange={(v) => set('calendarId', v)}
        />
      </div>
      <fieldset class="field">
        <legend class="label">{t('setMode')}</legend>
        <div class="radio-row">
          <label>
            <input type="radio" name="team-mode" checked={form.mode === 'least_loaded'} onChange={() => set('mode', 'least_loaded')} /> {t('modeLeastLoaded')}
          </label>
          <label>
            <input type="radio" name="team-mode" checked={form.mode === 'round_robin'} onChange={() => set('mode', 'round_robin')} /> {t('modeRoundRobin')}
          </label>
        </div>
        <p class="muted small">{t('setModeHint')}</p>
      </fieldset>
      <fieldset class="field">
        <legend class="label">{t('setMembers')}</legend>
        {f.errorOf('members')}
        <table class="grid-table">
          <thead>
            <tr>
              <th scope="col">{t('setMember')}</th>
              <th scope="col">{t('setInTeam')}</th>
              <th scope="col">{t('setOwnCapacity')}</th>
              {saved?.training && <th scope="col">{t('gateColumn')}</th>}
            </tr>
          </thead>
          <tbody>
            {agents.map((s) => {
              const name = staffName(s);
              const member = form.members.includes(s.sub);
              return (
                <tr key={s.sub}>
                  <th scope="row">
                    {name} <span class="muted small">({t(s.presence)})</span>
                  </th>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('setMemberOf', { name })}
                      checked={member}
                      onChange={(e) => set('members', toggle(form.members, s.sub, e.currentTarget.checked))}
                    />
                  </td>
                  <td>
                    <input
                      type="number"
                      min={0}
                      max={100}
                      aria-label={t('setOwnCapacityOf', { name })}
                      placeholder={form.capacity}
                      disabled={!member}
                      value={form.capacities[s.sub] ?? ''}
                      {...f.invalidOf(`capacities.${s.sub}`)}
                      onInput={(e) => set('capacities', { ...form.capacities, [s.sub]: e.currentTarget.value })}
                    />
                    {f.errorOf(`capacities.${s.sub}`)}
                  </td>
                  {saved?.training && (
                    <td>
                      {saved.members.includes(s.sub) && (
                        <QualifyCell training={saved.training} best={trainingData.best.data} sub={s.sub} scenarios={trainingData.scenarios.data} />
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </fieldset>
      <TrainingFields form={training} onChange={setTraining} scenarios={trainingData.scenarios} f={f} />
      <SaveButton busy={busy} />
    </form>
  );
}
