/** Settings › routing rules: an ordered list, first match wins, saved together. */
import { useState } from 'preact/hooks';
import { type FieldError, fieldErrors } from '../../lib/http.ts';
import { type ConsoleKey, type Translate, useI18n } from '../i18n.ts';
import { failureNotice, fieldHelpers, type Notice, NoticeLine, pickText, SelectField, TextField } from '../kit/index.ts';
import { categoryLabel, channelLabel, priorityLabel } from '../labels.ts';
import { CONFIG_ID, emptyRule, move, type RuleForm, ruleBody, ruleForm, toggle } from '../settings-state.ts';
import { CATEGORIES, PRIORITIES, unclaimed } from '../tickets-state.ts';
import { type Lookups, SaveButton, type SectionProps } from './common.tsx';

const CHANNELS = ['chat', 'email', 'phone', 'web_form', 'api', 'wechat'] as const;

export function RulesEditor(props: SectionProps) {
  const { t, locale } = useI18n();
  const [rules, setRules] = useState<RuleForm[]>(() => props.lookups.config.rules.map(ruleForm));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [notice, setNotice] = useState<Notice>();
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<number | undefined>();
  const update = (i: number, patch: Partial<RuleForm>) => setRules((list) => list.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const save = async (event: Event) => {
    event.preventDefault();
    const bad = rules.findIndex((r) => !CONFIG_ID.test(r.ruleId.trim()));
    if (bad >= 0) {
      setErrors([{ path: `rules.${bad}.ruleId`, message: t('setIdRule') }]);
      setNotice({ kind: 'error', text: t('kitInvalid') });
      setOpen(bad);
      return;
    }
    setBusy(true);
    setErrors([]);
    setNotice(undefined);
    try {
      await props.api.put('/ticket-config/routing-rules', { rules: rules.map(ruleBody) });
      await props.onSaved();
      setNotice({ kind: 'ok', text: t('setRulesSaved', { count: rules.length }) });
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      setNotice(failureNotice(err, t, t('setConflict')));
      const first = fields.map((e) => /^rules\.(\d+)\./.exec(e.path)?.[1]).find((x) => x !== undefined);
      if (first !== undefined) setOpen(Number(first));
    } finally {
      setBusy(false);
    }
  };

  const other = unclaimed(
    errors,
    rules.map((_, i) => `rules.${i}`),
  );
  return (
    <form class="kb-form" onSubmit={save} noValidate aria-labelledby="rules-heading">
      <div class="kb-head">
        <h2 id="rules-heading">{t('setRules')}</h2>
        <button
          type="button"
          class="btn"
          onClick={() => {
            setRules((list) => [...list, emptyRule()]);
            setOpen(rules.length);
          }}
        >
          {t('setAddRule')}
        </button>
      </div>
      <p class="muted small">{t('setRulesIntro')}</p>
      <NoticeLine notice={notice && { ...notice, extra: other }} />
      {rules.length === 0 && <p class="muted">{t('setNoRules')}</p>}
      <ol class="rules">
        {rules.map((rule, i) => (
          <RuleItem
            key={i}
            index={i}
            count={rules.length}
            rule={rule}
            lookups={props.lookups}
            errors={errors}
            open={open === i}
            locale={locale}
            onToggle={(isOpen) => setOpen(isOpen ? i : open === i ? undefined : open)}
            onChange={(patch) => update(i, patch)}
            onMove={(by) => {
              setRules((list) => move(list, i, by));
              setOpen(i + by);
            }}
            onRemove={() => setRules((list) => list.filter((_, j) => j !== i))}
          />
        ))}
      </ol>
      <SaveButton busy={busy} label={t('setSaveRules')} />
    </form>
  );
}

function RuleItem(props: {
  index: number;
  count: number;
  rule: RuleForm;
  lookups: Lookups;
  errors: FieldError[];
  open: boolean;
  locale: string;
  onToggle: (open: boolean) => void;
  onChange: (patch: Partial<RuleForm>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { t } = useI18n();
  const { rule, index: i } = props;
  const p = `rules.${i}`;
  const f = fieldHelpers(props.errors, `rule${i}`);
  const hasErrors = props.errors.some((e) => e.path.startsWith(p + '.'));
  const title = (props.locale === 'zh-CN' ? rule.nameZh : rule.nameEn) || rule.ruleId || t('setNewRule');
  const checks = (label: ConsoleKey, field: 'channels' | 'categories' | 'priorities' | 'tiers', options: readonly { value: string; label: string }[]) => (
    <fieldset class="field checks">
      <legend class="label">{t(label)}</legend>
      <div class="radio-row">
        {options.map((o) => (
          <label key={o.value}>
            <input
              type="checkbox"
              checked={rule[field].includes(o.value)}
              onChange={(e) => props.onChange({ [field]: toggle(rule[field], o.value, e.currentTarget.checked) })}
            />{' '}
            {o.label}
          </label>
        ))}
      </div>
      {f.errorOf(`${p}.when.${field}`)}
    </fieldset>
  );
  return (
    <li class={`rule card${rule.enabled ? '' : ' disabled'}${hasErrors ? ' invalid' : ''}`}>
      <div class="rule-head">
        <span class="rule-order" aria-hidden="true">
          {i + 1}
        </span>
        <button type="button" class="link rule-title" aria-expanded={props.open} onClick={() => props.onToggle(!props.open)}>
          {title}
        </button>
        <label class="toggle small">
          <input type="checkbox" checked={rule.enabled} onChange={(e) => props.onChange({ enabled: e.currentTarget.checked })} /> {t('setEnabled')}
        </label>
        <button type="button" class="btn small" disabled={i === 0} aria-label={t('setMoveUp', { name: title })} onClick={() => props.onMove(-1)}>
          ↑
        </button>
        <button type="button" class="btn small" disabled={i === props.count - 1} aria-label={t('setMoveDown', { name: title })} onClick={() => props.onMove(1)}>
          ↓
        </button>
        <button type="button" class="btn small" aria-label={t('setRemove', { name: title })} onClick={props.onRemove}>
          {t('remove')}
        </button>
      </div>
      <p class="muted small rule-summary">{ruleSummary(rule, t)}</p>
      {props.open && (
        <div class="rule-body">
          <div class="kb-fields">
            <TextField
              id={`rule${i}-id`}
              label={t('setId')}
              inputClass="mono"
              value={rule.ruleId}
              errors={f}
              path={`${p}.ruleId`}
              onInput={(v) => props.onChange({ ruleId: v.trim() })}
            />
            <TextField
              id={`rule${i}-zh`}
              label={t('setNameZh')}
              lang="zh-CN"
              value={rule.nameZh}
              errors={f}
              path={`${p}.name.zh-CN`}
              onInput={(v) => props.onChange({ nameZh: v })}
            />
            <TextField
              id={`rule${i}-en`}
              label={t('setNameEn')}
              lang="en"
              value={rule.nameEn}
              errors={f}
              path={`${p}.name.en`}
              onInput={(v) => props.onChange({ nameEn: v })}
            />
          </div>
          <h3 class="label">{t('setWhen')}</h3>
          <p class="muted small">{t('setWhenHint')}</p>
          {checks(
            'channel',
            'channels',
            CHANNELS.map((c) => ({ value: c, label: channelLabel(c, t) })),
          )}
          {checks(
            'category',
            'categories',
            CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c, t) })),
          )}
          {checks(
            'priority',
            'priorities',
            PRIORITIES.map((x) => ({ value: x, label: priorityLabel(x, t) })),
          )}
          {props.lookups.tiers.length > 0 &&
            checks(
              'setTiers',
              'tiers',
              props.lookups.tiers.map((x) => ({ value: x.tierId, label: pickText(x.name, props.locale) })),
            )}
          <div class="kb-fields">
            <TextField
              id={`rule${i}-lang`}
              label={t('setLanguages')}
              placeholder="zh, en"
              value={rule.languages}
              errors={f}
              path={`${p}.when.languages`}
              onInput={(v) => props.onChange({ languages: v })}
            />
            <TextField
              id={`rule${i}-tags`}
              label={t('setTagsAny')}
              value={rule.tagsAny}
              errors={f}
              path={`${p}.when.tagsAny`}
              onInput={(v) => props.onChange({ tagsAny: v })}
            />
            <SelectField
              id={`rule${i}-hours`}
              label={t('setBusinessHours')}
              value={rule.businessHours}
              blank={t('setAnyTime')}
              options={[
                { value: 'open', label: t('setWhenOpen') },
                { value: 'closed', label: t('setWhenClosed') },
              ]}
              onChange={(v) => props.onChange({ businessHours: v as RuleForm['businessHours'] })}
            />
          </div>
          <h3 class="label">{t('setThen')}</h3>
          <div class="kb-fields">
            <SelectField
              id={`rule${i}-team`}
              label={t('team')}
              value={rule.team}
              errors={f}
              path={`${p}.then.team`}
              blank={t('setKeep')}
              options={props.lookups.config.teams.map((x) => ({ value: x.teamId, label: pickText(x.name, props.locale) }))}
              onChange={(v) => props.onChange({ team: v })}
            />
            <SelectField
              id={`rule${i}-prio`}
              label={t('priority')}
              value={rule.priority}
              blank={t('setKeep')}
              options={PRIORITIES.map((x) => ({ value: x, label: priorityLabel(x, t) }))}
              onChange={(v) => props.onChange({ priority: v })}
            />
            <TextField
              id={`rule${i}-addtags`}
              label={t('setAddTags')}
              value={rule.addTags}
              errors={f}
              path={`${p}.then.addTags`}
              onInput={(v) => props.onChange({ addTags: v })}
            />
            <SelectField
              id={`rule${i}-policy`}
              label={t('setPolicy')}
              value={rule.slaPolicyId}
              errors={f}
              path={`${p}.then.slaPolicyId`}
              blank={t('setKeep')}
              options={props.lookups.config.policies.map((x) => ({ value: x.policyId, label: pickText(x.name, props.locale) }))}
              onChange={(v) => props.onChange({ slaPolicyId: v })}
            />
          </div>
        </div>
      )}
    </li>
  );
}

/** "chat · Delivery, Order → Delivery and logistics" for a collapsed rule. */
function ruleSummary(rule: RuleForm, t: Translate): string {
  const when = [
    rule.channels.map((c) => channelLabel(c, t)).join('/'),
    rule.categories.map((c) => categoryLabel(c, t)).join('/'),
    rule.priorities.map((x) => priorityLabel(x, t)).join('/'),
    rule.tiers.join('/'),
    rule.languages,
    rule.tagsAny && `#${rule.tagsAny}`,
    rule.businessHours === 'open' ? t('setWhenOpen') : rule.businessHours === 'closed' ? t('setWhenClosed') : '',
  ].filter(Boolean);
  const then = [
    rule.team && `${t('team')}: ${rule.team}`,
    rule.priority && priorityLabel(rule.priority, t),
    rule.addTags && `+${rule.addTags}`,
    rule.slaPolicyId && `SLA: ${rule.slaPolicyId}`,
  ].filter(Boolean);
  return `${when.length ? when.join(' · ') : t('setEverything')} → ${then.length ? then.join(' · ') : t('setNothing')}`;
}
