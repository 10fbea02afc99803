import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { forgetConnection } from '#shared/realtime.ts';

/** $disconnect: drop the registry entry. */
export const handler = async (event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResultV2> => {
  await forgetConnection(event.requestContext.connectionId);
  return { statusCode: 200 };
};
