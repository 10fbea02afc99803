import * as z from 'zod/mini';
import { badRequest, conflict } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { logger } from '#shared/log.ts';
import { HOURS, LogisticsSettingsBody, settingsProblems } from '#shared/logistics/api.ts';
import { readLogisticsSettings, saveLogisticsSettings } from '#shared/logistics/store.ts';
import { callerLanguage } from '#shared/shop/settings.ts';

/** Admins read and change the 催单 thresholds (versioned; the next hourly run uses them). */
export const handler = withHttp('logistics-settings', { body: z.optional(LogisticsSettingsBody) }, async ({ caller, body, event, now }) => {
  if (event.requestContext.http.method !== 'PUT') return ok({ ...(await readLogisticsSettings()), bounds: HOURS });
  const lang = callerLanguage(event.headers?.['accept-language']);
  if (!body) throw badRequest(lang === 'zh-CN' ? '请发送完整的设置和读取时的版本号。' : 'send the whole settings with the version you read');
  const { version, ...next } = body;
  const problems = settingsProblems(next);
  if (problems.length > 0) {
    throw badRequest(problems[0]![lang], { fields: problems.map((p) => ({ path: p.path, message: p[lang], en: p.en })) });
  }
  const saved = await saveLogisticsSettings(next, version, caller.sub, now);
  if (saved === 'conflict') {
    throw conflict(lang === 'zh-CN' ? '设置已被他人修改，请重新加载后再保存。' : 'someone saved these settings first; reload and try again', {
      version: (await readLogisticsSettings()).version,
    });
  }
  logger.info('logistics settings saved', { version: saved.version, actor: caller.sub });
  return ok({ ...saved, bounds: HOURS });
});
