import * as z from 'zod/mini';
import { badRequest } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { accessLogSettings, saveAccessLogSettings } from '#shared/privacy/access-log.ts';
import { ACCESS_RETENTION_DAYS, AccessLogSettingsBody } from '#shared/privacy/api.ts';

/** Admins read and change how long access-log entries are kept (versioned; new entries get the new period). */
export const handler = withHttp('access-log-settings', { body: z.optional(AccessLogSettingsBody) }, async ({ caller, body, event, now }) => {
  let settings: Awaited<ReturnType<typeof accessLogSettings>>;
  if (event.requestContext.http.method === 'PUT') {
    if (!body)
      throw badRequest({
        en: 'send {version, retentionDays}: the version you read and the days to keep entries',
        zh: '请发送 {version, retentionDays}：读取时的版本号和日志保留天数',
      });
    settings = await saveAccessLogSettings(body.retentionDays, body.version, caller.sub, now);
  } else {
    settings = await accessLogSettings(true);
  }
  return ok({ ...settings, bounds: { min: ACCESS_RETENTION_DAYS.min, max: ACCESS_RETENTION_DAYS.max } });
});
