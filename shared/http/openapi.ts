import * as z from 'zod/mini';
import { type HttpRoute, httpRoutes } from '#infra/manifest.ts';
import type { KefuHttpHandler } from '#shared/http/with-http.ts';

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodMiniType | undefined, io: 'input' | 'output' = 'input'): JsonSchema | undefined {
  if (!schema) return undefined;
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function security(route: HttpRoute): Record<string, string[]>[] {
  switch (route.auth.kind) {
    case 'public':
      return [];
    case 'visitor':
      return [{ visitorSession: [] }];
    case 'staff':
      return [{ staffJwt: [] }];
    case 'shop':
      return [{ shopSignature: [] }];
  }
}

/**
 * The OpenAPI 3.1 document of every HTTP route, generated from the manifest and the zod schemas
 * the handlers validate with — so the document cannot drift from what the API accepts.
 */
export async function buildOpenApi(serverUrl = '/'): Promise<JsonSchema> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { fn, route } of httpRoutes()) {
    const mod = (await import(new URL(`../../${fn.entry}`, import.meta.url).href)) as { handler: KefuHttpHandler };
    const spec = mod.handler.spec;
    const params = schemaOf(spec.params) as { properties?: Record<string, JsonSchema> } | undefined;
    const query = schemaOf(spec.query) as { properties?: Record<string, JsonSchema>; required?: string[] } | undefined;
    const parameters = [
      ...Object.entries(params?.properties ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
      ...Object.entries(query?.properties ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: query?.required?.includes(name) ?? false,
        schema,
      })),
    ];
    const body = schemaOf(spec.body);
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: fn.name,
      summary: route.summary,
      description: fn.description,
      'x-kefu-auth': route.auth.kind === 'staff' ? `staff (${route.auth.roles.join(', ')})` : route.auth.kind,
      security: security(route),
      ...(parameters.length ? { parameters } : {}),
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
      responses: {
        '2XX': {
          description: 'Success',
          ...(spec.response ? { content: { 'application/json': { schema: schemaOf(spec.response, 'output') } } } : {}),
        },
        '4XX': {
          description: 'Client error: `{error, message, details?, requestId}` with field-level messages for validation errors',
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kefu API',
      version: '0.1.0',
      description:
        'Customer service and CRM API. Shop backends sign requests: x-kefu-shop, x-kefu-timestamp (unix seconds) and ' +
        'x-kefu-signature = hex HMAC-SHA256(webhookSecret, `${timestamp}.${rawBody}`), accepted within 5 minutes.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        visitorSession: { type: 'http', scheme: 'bearer', description: 'Widget session token from POST /widget/session' },
        staffJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito (or local issuer) id token' },
        shopSignature: { type: 'apiKey', in: 'header', name: 'x-kefu-signature', description: 'HMAC request signature' },
      },
    },
    paths,
  };
}
