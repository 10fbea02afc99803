import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ok, withHttp } from '#shared/http/with-http.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';

export const handler = withHttp('staff-me', {}, async ({ caller }) => {
  const profile = await db().send(new GetCommand({ TableName: tableName(), Key: keys.staff(caller.sub) }));
  return ok({
    sub: caller.sub,
    email: caller.email,
    name: (profile.Item?.name as string | undefined) ?? caller.name,
    roles: caller.roles,
    locale: (profile.Item?.locale as string | undefined) ?? 'zh-CN',
  });
});
