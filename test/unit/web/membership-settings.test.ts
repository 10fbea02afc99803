/**
 * Settings › Membership and Surveys: the forms' request bodies are accepted by the server's own
 * schemas and give back what was read; the tier-list and survey rules checked in the browser name
 * the same mistakes the server refuses (`validateTiers`, `definitionProblems`), at the right field.
 */
import { describe, expect, test } from 'vitest';
import { BUILTIN_DEFINITIONS, DefinitionBody, DEFAULT_SETTINGS as SURVEY_DEFAULTS, SettingsBody as SurveySettingsBody } from '#shared/feedback/model.ts';
import { definitionProblems } from '#shared/feedback/rules.ts';
import { SettingsBody as LoyaltyBody, TierBody } from '#shared/members/api.ts';
import { DEFAULT_TIERS, DEFAULT_SETTINGS as LOYALTY_DEFAULTS, type TierDef as ServerTier, validateTiers } from '#shared/members/tiers.ts';
import { consoleText, type Translate } from '../../../web/console/i18n.ts';
import { membersEn } from '../../../web/console/i18n-membership.ts';
import {
  deleteProblem,
  emptyTier,
  loyaltyBody,
  loyaltyForm,
  loyaltyProblems,
  type TierDef,
  tierBody,
  tierForm,
  tierFormProblems,
  tierListProblems,
} from '../../../web/console/settings/membership-state.ts';
import {
  type DefinitionForm,
  definitionBody,
  definitionForm,
  definitionFormProblems,
  emptyDefinition,
  newQuestion,
  type SurveyDefinition,
  surveySettingsBody,
  surveySettingsForm,
  withKind,
} from '../../../web/console/settings/surveys-state.ts';

/** A translator that names the key (and values): the tests check which message was chosen. */
const t: Translate = (key, values) => (values ? `${key} ${JSON.stringify(values)}` : key);
const tiers: TierDef[] = DEFAULT_TIERS.map((x) => structuredClone(x) as TierDef);
const keysOf = (problems: { path: string; message: string }[]) => problems.map((p) => `${p.path}=${p.message.split(' ')[0]}`);

describe('membership: tier form ↔ PUT /tiers/{tierId}', () => {
  test('every built-in tier goes back unchanged, accepted by TierBody, with the version read', () => {
    for (const tier of DEFAULT_TIERS) {
      const { tierId, ...fields } = tier;
      const body = TierBody.parse(tierBody(tierForm(tier as TierDef), 3));
      expect(body, tierId).toEqual({ ...fields, version: 3 });
    }
  });

  test('a new tier: empty thresholds and empty perk rows are left out, numbers are numbers, no version', () => {
    const form = { ...emptyTier(tiers), tierId: 'diamond', nameZh: '钻石会员', nameEn: 'Diamond', minSpend: ' 9000 ', pointsMultiplier: '2.5' };
    form.perks = [
      { zh: '专属礼品', en: 'Member gift' },
      { zh: ' ', en: '' },
    ];
    expect(form.rank).toBe('4');
    const body = TierBody.parse(tierBody(form, undefined));
    expect(body).toEqual({
      rank: 4,
      name: { zh: '钻石会员', en: 'Diamond' },
      minSpend: 9000,
      benefits: { priorityBoost: 0, pointsMultiplier: 2.5, perks: [{ zh: '专属礼品', en: 'Member gift' }] },
    });
    expect(tierFormProblems(form, tiers, true, t, true)).toEqual([]);
  });

  test('SLA policy and routing team are sent only when picked', () => {
    const gold = tierForm(tiers.find((x) => x.tierId === 'gold')!);
    expect((tierBody(gold, 1).benefits as Record<string, unknown>).slaPolicyId).toBe('vip');
    const none = tierBody({ ...gold, slaPolicyId: '', routingTeam: '' }, 1).benefits as Record<string, unknown>;
    expect('slaPolicyId' in none || 'routingTeam' in none).toBe(false);
    expect((tierBody({ ...gold, routingTeam: 'vip' }, 1).benefits as Record<string, unknown>).routingTeam).toBe('vip');
  });

  test('the browser names the tier-list mistakes validateTiers refuses, at the field concerned', () => {
    const gold = tierForm(tiers.find((x) => x.tierId === 'gold')!);
    const bronze = tierForm(tiers.find((x) => x.tierId === 'bronze')!);
    expect(keysOf(tierFormProblems({ ...gold, rank: '1' }, tiers, false, t, true))).toEqual(['rank=msRankTaken']);
    expect(keysOf(tierFormProblems({ ...gold, minSpend: '', minPoints: '' }, tiers, false, t, true))).toEqual(['minSpend=msNeedsThreshold']);
    expect(keysOf(tierFormProblems({ ...bronze, minSpend: '10' }, tiers, false, t, true))).toEqual(['minSpend=msEntryNoThresholds']);
    // the entry tier moved above silver: silver would become the lowest, with a threshold; bronze would need one
    expect(keysOf(tierFormProblems({ ...bronze, rank: '9' }, tiers, false, t, true))).toEqual(['rank=msEntryWouldChange', 'minSpend=msNeedsThreshold']);
    // a new tier below the entry tier, without thresholds: bronze would then need one
    const raised = tiers.map((x) => ({ ...x, rank: x.rank + 1 }));
    const below = { ...emptyTier(raised), tierId: 'starter', nameZh: '新人', nameEn: 'Starter', rank: '0' };
    expect(keysOf(tierFormProblems(below, raised, true, t, true))).toEqual(['rank=msBelowEntry']);
    expect(keysOf(tierFormProblems({ ...below, rank: '1' }, raised, true, t, true))).toEqual(['rank=msRankTaken', 'minSpend=msNeedsThreshold']);
    expect(tierFormProblems({ ...gold, rank: '1' }, tiers, false, t, true)[0]?.message).toBe('msRankTaken {"name":"银卡会员"}');
  });

  test('ids, names, required numbers and half-filled perks are refused before any request', () => {
    const base = { ...emptyTier(tiers), nameZh: '钻石', nameEn: 'Diamond', minSpend: '9000' };
    expect(keysOf(tierFormProblems({ ...base, tierId: 'Gold!' }, tiers, true, t, true))).toEqual(['tierId=msTierIdRule']);
    expect(keysOf(tierFormProblems({ ...base, tierId: 'new' }, tiers, true, t, true))).toEqual(['tierId=msTierIdRule']);
    expect(keysOf(tierFormProblems({ ...base, tierId: 'gold' }, tiers, true, t, true))).toContain('tierId=msTierIdTaken');
    const sloppy = { ...base, tierId: 'diamond', nameEn: ' ', pointsMultiplier: '', perks: [{ zh: '礼品', en: '' }] };
    expect(keysOf(tierFormProblems(sloppy, tiers, true, t, true))).toEqual([
      'name.en=msRequired',
      'benefits.pointsMultiplier=msRequired',
      'benefits.perks.0.en=msRequired',
    ]);
  });

  test('tierListProblems finds a problem exactly when validateTiers does', () => {
    const cases: ServerTier[][] = [
      [...DEFAULT_TIERS],
      [],
      DEFAULT_TIERS.filter((x) => x.tierId !== 'bronze'),
      DEFAULT_TIERS.filter((x) => x.tierId !== 'silver'),
      DEFAULT_TIERS.map((x) => (x.tierId === 'gold' ? { ...x, rank: 1 } : x)),
      DEFAULT_TIERS.map((x) => (x.tierId === 'gold' ? { ...x, minSpend: undefined, minPoints: undefined } : x)),
      DEFAULT_TIERS.map((x) => (x.tierId === 'bronze' ? { ...x, minPoints: 1 } : x)),
      [...DEFAULT_TIERS, { ...DEFAULT_TIERS[3]!, rank: 7 }],
    ].map((list) => list.map((x) => JSON.parse(JSON.stringify(x)) as ServerTier));
    for (const list of cases) expect(tierListProblems(list).length, JSON.stringify(list.map((x) => x.tierId))).toBe(validateTiers(list).length);
  });

  test('deleting: the server would refuse the entry tier (silver has thresholds) and the last tier; other tiers may go', () => {
    expect(deleteProblem('bronze', tiers, t, true)).toBe('msDeleteEntry {"name":"银卡会员"}');
    expect(deleteProblem('silver', tiers, t, false)).toBeUndefined();
    expect(deleteProblem('bronze', tiers.slice(0, 1), t, true)).toBe('msDeleteLast');
    for (const tier of tiers)
      expect(deleteProblem(tier.tierId, tiers, t, true) === undefined).toBe(validateTiers(DEFAULT_TIERS.filter((x) => x.tierId !== tier.tierId)).length === 0);
  });
});

describe('membership: points rules ↔ PUT /loyalty/settings', () => {
  test('the settings read go back unchanged; the version only when one was read', () => {
    expect(LoyaltyBody.parse(loyaltyBody(loyaltyForm(LOYALTY_DEFAULTS), undefined))).toEqual(LOYALTY_DEFAULTS);
    const changed = { ...loyaltyForm({ ...LOYALTY_DEFAULTS, version: 2 }), pointsPerUnit: '1.5', graceDays: '0' };
    expect(LoyaltyBody.parse(loyaltyBody(changed, 2))).toEqual({ ...LOYALTY_DEFAULTS, pointsPerUnit: 1.5, graceDays: 0, version: 2 });
  });

  test('an empty field is named before any request; a bad number reaches the server as null and is refused there', () => {
    const form = { ...loyaltyForm(LOYALTY_DEFAULTS), windowDays: ' ' };
    expect(loyaltyProblems(form, t)).toEqual([{ path: 'windowDays', message: 'msRequired' }]);
    expect(LoyaltyBody.safeParse(loyaltyBody({ ...form, windowDays: 'abc' }, 1)).success).toBe(false);
  });
});

describe('surveys: settings form ↔ PUT /survey-config/settings', () => {
  test('the defaults go back unchanged; a trigger set to "send none" is null', () => {
    const { version, ...rest } = SURVEY_DEFAULTS;
    expect(SurveySettingsBody.parse(surveySettingsBody(surveySettingsForm(SURVEY_DEFAULTS), version))).toEqual({ ...rest, version });
    const form = surveySettingsForm({ ...SURVEY_DEFAULTS, version: 4 });
    const body = SurveySettingsBody.parse(
      surveySettingsBody({ ...form, delaySeconds: '0', fatigueDays: '30', triggers: { ...form.triggers, bot_resolved: '' } }, 4),
    );
    expect(body).toMatchObject({
      delaySeconds: 0,
      fatigueDays: 30,
      triggers: { conversation_resolved: 'csat', ticket_solved: 'csat', bot_resolved: null },
      version: 4,
    });
  });

  test('a value out of range is refused by the server schema (its message appears at the field)', () => {
    const form = surveySettingsForm(SURVEY_DEFAULTS);
    const parsed = SurveySettingsBody.safeParse(surveySettingsBody({ ...form, delaySeconds: '901' }, 0));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['delaySeconds']);
  });
});

describe('surveys: definition form ↔ PUT /survey-config/definitions/{id}', () => {
  test('every built-in survey goes back unchanged (options, multiple, showIf), accepted by DefinitionBody', () => {
    for (const def of BUILTIN_DEFINITIONS) {
      const body = DefinitionBody.parse(definitionBody(definitionForm(def as SurveyDefinition), def.version));
      expect(body).toEqual({ name: def.name, questions: def.questions, version: def.version });
      expect(definitionFormProblems(definitionForm(def as SurveyDefinition), false, [], t)).toEqual([]);
    }
  });

  test('reordering keeps "shown after a low score" pointing at its question, renaming too', () => {
    const form = definitionForm(BUILTIN_DEFINITIONS[0] as SurveyDefinition);
    const [csat, reasons, comment] = form.questions;
    const moved: DefinitionForm = { ...form, questions: [{ ...csat!, id: 'score' }, comment!, reasons!] };
    const body = DefinitionBody.parse(definitionBody(moved, 1));
    expect(body.questions.map((q) => q.id)).toEqual(['score', 'comment', 'reasons']);
    expect(body.questions[2]?.showIf).toEqual({ question: 'score', atMost: 2 });
    expect(definitionProblems(body)).toEqual([]);
  });

  test('new questions get unused ids; a choice question starts with two options; switching kind sends options only for choices', () => {
    const form = emptyDefinition();
    expect(form.questions.map((q) => [q.id, q.kind, q.required])).toEqual([
      ['csat', 'csat', true],
      ['text', 'text', false],
    ]);
    const choice = newQuestion('choice', form.questions);
    const text2 = newQuestion('text', [...form.questions, choice]);
    expect([choice.id, text2.id]).toEqual(['q3', 'q1']);
    expect(choice.options.map((o) => o.id)).toEqual(['opt1', 'opt2']);
    const asText = withKind({ ...choice, textZh: '哪里不好？', textEn: 'What was wrong?' }, 'text');
    const body = definitionBody(
      { ...form, nameZh: '测试', nameEn: 'Test', questions: [{ ...form.questions[0]!, textZh: '满意吗？', textEn: 'Happy?' }, asText] },
      undefined,
    );
    expect((body.questions as Record<string, unknown>[])[1]).toEqual({
      id: 'q3',
      kind: 'text',
      text: { 'zh-CN': '哪里不好？', en: 'What was wrong?' },
      required: false,
    });
    expect(DefinitionBody.safeParse(body).success).toBe(true);
    expect(withKind(asText, 'choice').options).toHaveLength(2);
  });

  test('the browser names the mistakes definitionProblems refuses, at the question concerned', () => {
    const base = definitionForm(BUILTIN_DEFINITIONS[0] as SurveyDefinition);
    const [csat, reasons, comment] = base.questions as [(typeof base.questions)[0], (typeof base.questions)[0], (typeof base.questions)[0]];
    const cases: [DefinitionForm, string[]][] = [
      [{ ...base, questions: [csat, reasons, { ...comment, id: 'reasons' }] }, ['questions.2.id=msQuestionIdTwice']],
      [{ ...base, questions: [csat, { ...reasons, options: reasons.options.slice(0, 1) }, comment] }, ['questions.1.options=msOptionCount']],
      [{ ...base, questions: [csat, { ...reasons, showIf: comment.key }, comment] }, ['questions.1.showIf.question=msShowIfScore']],
      [{ ...base, questions: [csat, reasons, { ...comment, kind: 'csat' }] }, ['questions.2.kind=msOneScoreKind']],
    ];
    for (const [form, expected] of cases) {
      expect(keysOf(definitionFormProblems(form, false, [], t))).toEqual(expected);
      // the server refuses it too: by its schema (too few options) or by its survey rules
      const parsed = DefinitionBody.safeParse(definitionBody(form, 1));
      expect(!parsed.success || definitionProblems(parsed.data).length > 0, expected[0]).toBe(true);
    }
    // removing the score question leaves the reasons pointing at nothing
    expect(keysOf(definitionFormProblems({ ...base, questions: [reasons, comment] }, false, [], t))).toEqual(['questions.0.showIf.question=msShowIfScore']);
  });

  test('a new survey: its id, names and texts are required; an id in use is refused', () => {
    const form = emptyDefinition();
    expect(keysOf(definitionFormProblems(form, true, ['csat'], t))).toEqual([
      'definitionId=msIdRule',
      'name.zh-CN=msRequired',
      'name.en=msRequired',
      'questions.0.text.zh-CN=msRequired',
      'questions.0.text.en=msRequired',
      'questions.1.text.zh-CN=msRequired',
      'questions.1.text.en=msRequired',
    ]);
    expect(keysOf(definitionFormProblems({ ...form, definitionId: 'csat' }, true, ['csat'], t))[0]).toBe('definitionId=msSurveyIdTaken');
  });
});

describe('membership and survey strings', () => {
  const zh = consoleText['zh-CN'];
  const en = consoleText.en;
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  test('every string exists in both languages with the same placeholders, and the Chinese is translated', () => {
    for (const key of Object.keys(membersEn)) {
      expect(en[key]?.trim(), `en.${key}`).toBeTruthy();
      expect(zh[key]?.trim(), `zh-CN.${key}`).toBeTruthy();
      expect(placeholders(zh[key]!), key).toEqual(placeholders(en[key]!));
      expect(zh[key], key).not.toBe(en[key]);
      expect(/[A-Za-z]{4,}/.test(zh[key]!.replace(/\{\w+\}|\b(CSAT|CES|NPS|SLA)\b/g, '')), `zh-CN.${key} has English words`).toBe(false);
    }
  });
});
