/**
 * Every domain error a person can read exists in Chinese (issue 12): a zh-CN caller gets `message`
 * in Chinese with the English kept as `en`, anyone else the English alone — checked through real
 * handlers; and a static ratchet that no error is thrown with an English-only literal text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { notFound } from '#shared/http/errors.ts';
import { keys } from '#shared/store/keys.ts';
import { httpEvent } from '../../support/events.ts';

process.env.TABLE_NAME = 'Kefu';
const ddb = mockClient(DynamoDBDocumentClient);
const context = { functionName: 'kefu-test', awsRequestId: 'r', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
const staff = (role: string) => ({ sub: `${role}-sub`, name: 'Li Na', email: `${role}@demo.kefu`, 'cognito:groups': `[${role}]` });
const ZH = { 'accept-language': 'zh-CN,zh;q=0.9' };
const HAN = /\p{Script=Han}/u;

function json(res: APIGatewayProxyStructuredResultV2): { error: string; message: string; en?: string } {
  return JSON.parse(res.body as string);
}

beforeEach(() => {
  ddb.reset();
});

describe('errorMapper through real handlers: Chinese for a zh-CN caller, English for the others', async () => {
  const { handler: surveySettings } = await import('#functions/http/survey-config-settings.ts');
  const { handler: contactLookup } = await import('#functions/http/contact-lookup.ts');
  const { handler: campaignStatus } = await import('#functions/http/campaigns-status.ts');
  const { handler: qualitySummary } = await import('#functions/http/quality-summary.ts');

  const staleSettings = (headers?: Record<string, string>) =>
    surveySettings(
      httpEvent({ method: 'PUT', path: '/survey-config/settings', body: { delaySeconds: 0, version: 1 }, claims: staff('supervisor'), headers }),
      context,
    );

  it('409 (survey-config-settings, a stale version): message in Chinese, English beside it; nothing written', async () => {
    ddb.on(GetCommand, { Key: keys.surveySettings() }).resolves({ Item: { ...keys.surveySettings(), version: 3 } });
    const res = await staleSettings(ZH);
    expect(res.statusCode).toBe(409);
    expect(json(res)).toMatchObject({
      error: 'conflict',
      message: '问卷设置已被他人修改，请重新加载后再试',
      en: 'survey settings changed meanwhile; reload and retry',
    });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('409 without Accept-Language: the English only, no `en` field', async () => {
    ddb.on(GetCommand, { Key: keys.surveySettings() }).resolves({ Item: { ...keys.surveySettings(), version: 3 } });
    const body = json(await staleSettings());
    expect(body.message).toBe('survey settings changed meanwhile; reload and retry');
    expect(body).not.toHaveProperty('en');
  });

  it('400 (contact-lookup, both ways of looking up at once): Chinese keeps the query names', async () => {
    const lookup = (headers?: Record<string, string>) =>
      contactLookup(
        httpEvent({ method: 'GET', path: '/contacts', query: { email: 'a@example.com', shopId: 'demo' }, claims: staff('agent'), headers }),
        context,
      );
    const zh = json(await lookup({ 'accept-language': 'zh' }));
    expect(zh.message).toBe('请用 ?email= 或 ?shopId=&shopUserId= 二者之一查找联系人');
    expect(zh.en).toBe('look a contact up by ?email= or by ?shopId=&shopUserId= (one of the two)');
    const en = json(await lookup({ 'accept-language': 'en-US,en;q=0.8' }));
    expect(en).toMatchObject({ error: 'bad_request', message: 'look a contact up by ?email= or by ?shopId=&shopUserId= (one of the two)' });
    expect(en).not.toHaveProperty('en');
  });

  it('403 from the role check names the roles in Chinese', async () => {
    const res = await surveySettings(
      httpEvent({ method: 'PUT', path: '/survey-config/settings', body: { version: 1 }, claims: staff('agent'), headers: ZH }),
      context,
    );
    expect(res.statusCode).toBe(403);
    expect(json(res)).toMatchObject({ message: '此操作需要以下角色之一：主管、管理员', en: 'this action needs one of the roles: supervisor, admin' });
  });

  it('a refusal computed as text (campaign status, quality period) reaches a zh-CN caller in Chinese', async () => {
    ddb
      .on(GetCommand, { Key: keys.campaign('cmp_done') })
      .resolves({ Item: { ...keys.campaign('cmp_done'), campaignId: 'cmp_done', status: 'completed', version: 4 } });
    const cancel = (headers?: Record<string, string>) =>
      campaignStatus(
        httpEvent({
          method: 'POST',
          path: '/campaigns/{campaignId}/status',
          params: { campaignId: 'cmp_done' },
          body: { action: 'cancel', version: 4 },
          claims: staff('marketing'),
          headers,
        }),
        context,
      );
    const res = await cancel(ZH);
    expect(res.statusCode).toBe(409);
    expect(json(res)).toMatchObject({ message: '已完成的活动不能取消', en: 'a completed campaign cannot be cancelled' });
    expect(json(await cancel()).message).toBe('a completed campaign cannot be cancelled');
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);

    const period = json(
      await qualitySummary(
        httpEvent({ method: 'GET', path: '/quality/summary', query: { from: '2026-03-02', to: '2026-03-01' }, claims: staff('supervisor'), headers: ZH }),
        context,
      ),
    );
    expect(period).toMatchObject({ error: 'bad_request', message: '开始日期（from）不能晚于结束日期（to）', en: 'from must not be after to' });
  });
});

// ---- the ratchet: no error thrown with an English-only literal text --------------------------------

const ROOT = join(import.meta.dirname, '../../..');

/**
 * Files another change owns right now (issue 12 left them to it): skipped until it lands, then
 * removed from here so the check covers them too.
 */
const ALLOWED = [
  'shared/api/shop-events.ts',
  'shared/bot/',
  'shared/members/care.ts',
  'shared/members/care-rules.ts',
  'shared/tickets/macro-text.ts',
  'shared/logistics/',
  'shared/coupons/',
  'functions/http/contact-shipments.ts',
  'functions/http/logistics-settings.ts',
  'functions/schedule/logistics-nudge.ts',
  'functions/queue/shop-events-consumer.ts',
];

const ERROR_CALL = String.raw`\b(?:badRequest|conflict|forbidden|unauthorized)\(`;
/** Quoted literal: '…', "…" or `…` (no nesting needed: the text is only checked for Chinese). */
const LITERAL = String.raw`('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\`(?:[^\`\\]|\\.)*\`)`;
const PATTERNS: { what: string; re: RegExp }[] = [
  // badRequest('…'), conflict(`…`), also with the literal on the next line
  { what: 'English-only text', re: new RegExp(`${ERROR_CALL}\\s*${LITERAL}`, 'g') },
  // conflict(cond ? 'English' : …)
  { what: 'English-only text in a condition', re: new RegExp(`${ERROR_CALL}\\s*[^'"\`(){};]*?\\?\\s*${LITERAL}`, 'g') },
  // new HttpError(status, code, '…')
  { what: 'English-only HttpError text', re: new RegExp(String.raw`\bnew HttpError\(\s*[^,()]+,\s*[^,()]+,\s*` + LITERAL, 'g') },
];

/** `file:line what` for each error thrown with an English-only literal, and each notFound noun without Chinese. */
function englishOnlyErrors(file: string, source: string): string[] {
  const lineOf = (index: number) => source.slice(0, index).split('\n').length;
  const found: string[] = [];
  for (const { what, re } of PATTERNS) {
    for (const m of source.matchAll(re)) {
      if (!HAN.test(m[1] ?? '')) found.push(`${file}:${lineOf(m.index)} ${what}: ${m[0].replace(/\s+/g, ' ').slice(0, 90)}`);
    }
  }
  for (const m of source.matchAll(new RegExp(String.raw`\bnotFound\(\s*` + LITERAL, 'g'))) {
    const noun = (m[1] ?? '').slice(1, -1);
    if (noun.includes('${') || notFound(noun).zh === undefined)
      found.push(`${file}:${lineOf(m.index)} notFound noun without Chinese (add it to NOUN_ZH): ${noun}`);
  }
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split('\\').join('/'));
}

describe('ratchet: no domain error is thrown with English-only text', () => {
  it('the check catches what it should (and leaves bilingual text alone)', () => {
    const source = [
      "throw badRequest('unknown team');",
      'throw conflict(`tier ${id} exists`, { reason });',
      'throw conflict(\n  expectedVersion === undefined ? `article ${id} exists` : "changed",\n);',
      "throw new HttpError(502, 'upstream_failed', 'kf/sync_msg failed');",
      "throw notFound('gizmo');",
      "throw badRequest({ en: 'unknown team', zh: '团队不存在' });",
      "throw conflict(lang === 'zh' ? '只有草稿可以编辑' : 'only a draft can be edited');",
      "throw notFound('ticket');",
      'throw forbidden();',
    ].join('\n');
    expect(englishOnlyErrors('x.ts', source).map((f) => f.split(' ')[0])).toEqual(['x.ts:1', 'x.ts:2', 'x.ts:3', 'x.ts:6', 'x.ts:7']);
  });

  it('shared/ and functions/ throw every 4xx with Chinese text (allow-list: files owned by another change)', () => {
    const files = [...sources('shared'), ...sources('functions')].filter((f) => !ALLOWED.some((a) => f === a || (a.endsWith('/') && f.startsWith(a))));
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) => englishOnlyErrors(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(found, `convert to { en, zh }:\n${found.join('\n')}`).toEqual([]);
  });
});
