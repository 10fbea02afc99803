import { ok, withHttp } from '#shared/http/with-http.ts';
import { CalendarParams, CalendarSchema, saveCalendar } from '#shared/tickets/config-store.ts';

export const handler = withHttp('ticket-config-calendar', { body: CalendarSchema, params: CalendarParams }, async ({ body, params }) =>
  ok({ calendar: await saveCalendar(params.calendarId, body) }),
);
