import { SettingsBody } from '#shared/feedback/model.ts';
import { dynamoFeedbackStore, readSettings, saveSettings } from '#shared/feedback/store.ts';
import { badRequest, conflict } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

/** Saves survey settings: delay, fatigue cap, link lifetime, edit window, points, trigger definitions (versioned). */
export const handler = withHttp('survey-config-settings', { body: SettingsBody }, async ({ body }) => {
  const current = await readSettings();
  if (current.version !== body.version)
    throw conflict({ en: 'survey settings changed meanwhile; reload and retry', zh: '问卷设置已被他人修改，请重新加载后再试' }, { version: current.version });
  const { version, triggers, ...rest } = body;
  const next = { ...current, ...rest, triggers: { ...current.triggers, ...(triggers ?? {}) } };
  for (const [trigger, id] of Object.entries(next.triggers)) {
    if (id && !(await dynamoFeedbackStore.definition(id))) {
      const message = `unknown survey definition ${id}`;
      throw badRequest({ en: message, zh: `问卷 ${id} 不存在` }, { fields: [{ path: `triggers.${trigger}`, message }] });
    }
  }
  return ok({ settings: await saveSettings(next, version) });
});
