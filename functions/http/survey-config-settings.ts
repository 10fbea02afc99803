import { SettingsBody } from '#shared/feedback/model.ts';
import { dynamoFeedbackStore, readSettings, saveSettings } from '#shared/feedback/store.ts';
import { badRequest, conflict } from '#shared/http/errors.ts';
import { ok, withHttp } from '#shared/http/with-http.ts';

/** Saves survey settings: delay, fatigue cap, link lifetime, edit window, points, trigger definitions (versioned). */
export const handler = withHttp('survey-config-settings', { body: SettingsBody }, async ({ body }) => {
  const current = await readSettings();
  if (current.version !== body.version) throw conflict('survey settings changed meanwhile; reload and retry', { version: current.version });
  const { version, triggers, ...rest } = body;
  const next = { ...current, ...rest, triggers: { ...current.triggers, ...(triggers ?? {}) } };
  for (const [trigger, id] of Object.entries(next.triggers)) {
    if (id && !(await dynamoFeedbackStore.definition(id))) {
      const message = `unknown survey definition ${id}`;
      throw badRequest(message, { fields: [{ path: `triggers.${trigger}`, message }] });
    }
  }
  return ok({ settings: await saveSettings(next, version) });
});
