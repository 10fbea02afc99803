import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { verifyStaffToken } from '#shared/auth/staff-token.ts';
import { verifyVisitorToken } from '#shared/auth/visitor-token.ts';
import { registerConnection } from '#shared/realtime.ts';

type ConnectEvent = APIGatewayProxyWebsocketEventV2 & { queryStringParameters?: Record<string, string | undefined> };

/** $connect: a visitor token (`?token=`) or a staff id token (`?staffToken=`) is required. */
export const handler = async (event: ConnectEvent): Promise<APIGatewayProxyResultV2> => {
  const query = event.queryStringParameters ?? {};
  const now = new Date();
  const visitor = await verifyVisitorToken(query.token);
  if (visitor) {
    await registerConnection(event.requestContext.connectionId, { kind: 'visitor', contactId: visitor.contactId, shopId: visitor.shopId }, now);
    return { statusCode: 200 };
  }
  const staff = await verifyStaffToken(query.staffToken);
  if (staff && staff.roles.length > 0) {
    await registerConnection(event.requestContext.connectionId, { kind: 'staff', sub: staff.sub, roles: staff.roles }, now);
    return { statusCode: 200 };
  }
  return { statusCode: 401, body: 'missing or invalid token' };
};
