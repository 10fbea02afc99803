import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_STACKS, functionStackOf } from '#infra/aws/function-stack.ts';
import { FLAT_TEMPLATE_FILE } from '#infra/aws/synth.ts';
import {
  cors,
  DEFAULT_MEMORY_MB,
  DEFAULT_TIMEOUT_SECONDS,
  type FunctionDef,
  functions,
  queues,
  queueUrlEnv,
  routeKey,
  SETTINGS_GROUPS_ENV,
  SETTINGS_SECRET_ENV,
  STAFF_ROLES,
  table,
  visibilityTimeout,
} from '#infra/manifest.ts';
import { type Synthesized, synthesized } from './synthesized.ts';

type Json = Record<string, unknown>;
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

let synth: Synthesized;
let template: Template;

beforeAll(async () => {
  synth = await synthesized();
  template = Template.fromJSON(synth.template);
}, 1_200_000);

function resource(logicalId: string): { Type: string; Properties: Json } {
  const found = synth.template.Resources[logicalId];
  if (!found) throw new Error(`no resource ${logicalId} in the template`);
  return { Type: found.Type, Properties: (found.Properties ?? {}) as Json };
}

function resourcesOfType(type: string): [string, Json][] {
  return Object.entries(synth.template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, (r.Properties ?? {}) as Json]);
}

/** Logical ids referenced anywhere inside a value (Ref and Fn::GetAtt). */
function refs(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        if (k === 'Ref' && typeof inner === 'string') out.push(inner);
        else if (k === 'Fn::GetAtt' && Array.isArray(inner)) out.push(String(inner[0]));
        else walk(inner);
      }
    }
  };
  walk(value);
  return out;
}

/** Every Allow statement of a role: its inline policies and the customer-managed policies it attaches. */
function statementsOf(roleLogicalId: string): Statement[] {
  const inline = resourcesOfType('AWS::IAM::Policy').filter(([, p]) => refs(p.Roles).includes(roleLogicalId));
  const managedIds = refs(resource(roleLogicalId).Properties.ManagedPolicyArns);
  const managed = resourcesOfType('AWS::IAM::ManagedPolicy').filter(([id, p]) => managedIds.includes(id) || refs(p.Roles).includes(roleLogicalId));
  return [...inline, ...managed].flatMap(([, p]) => ((p.PolicyDocument as { Statement: Statement[] }).Statement ?? []).filter((s) => s.Effect === 'Allow'));
}

function actionsOf(statements: Statement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

function statementsWith(statements: Statement[], action: string): Statement[] {
  return statements.filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action));
}

function lambdaOf(fn: FunctionDef): Json {
  return resource(synth.functions[fn.name]!.logicalId).Properties;
}

function envOf(fn: FunctionDef): Record<string, unknown> {
  return ((lambdaOf(fn).Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<string, unknown>;
}

const consumerOf = (queue: string) => functions.find((fn) => fn.queue?.name === queue);

describe('table', () => {
  it('is on-demand, point-in-time recoverable, deletion-protected, retained, encrypted, with TTL', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
        SSESpecification: { SSEEnabled: true },
        KeySchema: [
          { AttributeName: table.partitionKey, KeyType: 'HASH' },
          { AttributeName: table.sortKey, KeyType: 'RANGE' },
        ],
      }),
    });
  });

  it('has exactly the manifest GSIs, each projecting ALL', () => {
    const props = resource(synth.tableLogicalId).Properties;
    const indexes = (props.GlobalSecondaryIndexes as Json[]).map((i) => ({
      name: i.IndexName,
      keys: i.KeySchema,
      projection: (i.Projection as Json).ProjectionType,
    }));
    expect(indexes).toEqual(
      table.indexes.map((i) => ({
        name: i.name,
        keys: [
          { AttributeName: i.partitionKey, KeyType: 'HASH' },
          { AttributeName: i.sortKey, KeyType: 'RANGE' },
        ],
        projection: 'ALL',
      })),
    );
  });
});

describe.each(queues.map((q) => [q.name, q] as const))('queue %s', (name, def) => {
  it('has a 14-day DLQ after maxReceiveCount (≥ 5) receives', () => {
    const { logicalId, dlqLogicalId } = synth.queues[name];
    const queue = resource(logicalId).Properties;
    const redrive = queue.RedrivePolicy as Json;
    expect(redrive.maxReceiveCount).toBe(def.maxReceiveCount);
    expect(redrive.maxReceiveCount as number).toBeGreaterThanOrEqual(5);
    expect(refs(redrive.deadLetterTargetArn)).toEqual([dlqLogicalId]);
    expect(resource(dlqLogicalId).Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
  });

  it('keeps a message invisible for ≥ 6× its consumer’s timeout', () => {
    const consumer = consumerOf(name);
    expect(consumer, `no consumer for ${name}`).toBeDefined();
    const timeout = lambdaOf(consumer!).Timeout as number;
    const visibility = resource(synth.queues[name].logicalId).Properties.VisibilityTimeout as number;
    expect(visibility).toBe(visibilityTimeout(name));
    expect(visibility).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('is encrypted (SQS-managed SSE) and refuses non-TLS access, as is its DLQ', () => {
    const { logicalId, dlqLogicalId } = synth.queues[name];
    for (const id of [logicalId, dlqLogicalId]) {
      expect(resource(id).Properties.SqsManagedSseEnabled).toBe(true);
      const policies = resourcesOfType('AWS::SQS::QueuePolicy').filter(([, p]) => refs(p.Queues).includes(id));
      const denies = policies.flatMap(([, p]) => (p.PolicyDocument as { Statement: Json[] }).Statement);
      expect(denies).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    }
  });

  it('feeds its consumer with partial batch failure reporting', () => {
    const consumer = consumerOf(name)!;
    const mappings = resourcesOfType('AWS::Lambda::EventSourceMapping').filter(([, m]) => refs(m.EventSourceArn).includes(synth.queues[name].logicalId));
    expect(mappings).toHaveLength(1);
    const [, mapping] = mappings[0]!;
    expect(refs(mapping.FunctionName)).toEqual([synth.functions[consumer.name]!.logicalId]);
    expect(mapping.BatchSize).toBe(consumer.queue!.batchSize);
    expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    const window = consumer.queue!.maxBatchingWindowSeconds;
    if (window === undefined) expect(mapping.MaximumBatchingWindowInSeconds).toBeUndefined();
    else expect(mapping.MaximumBatchingWindowInSeconds).toBe(window);
  });
});

describe('functions', () => {
  it('one Lambda per manifest function, and every Kefu Lambda runs nodejs24.x on arm64', () => {
    expect(Object.keys(synth.functions).sort()).toEqual(functions.map((f) => f.name).sort());
    const kefuLambdas = resourcesOfType('AWS::Lambda::Function').filter(([, p]) => String(p.FunctionName ?? '').startsWith(`${synth.stackName}-`));
    expect(kefuLambdas).toHaveLength(functions.length);
    for (const [id, props] of kefuLambdas) {
      expect(props.Runtime, id).toBe('nodejs24.x');
      expect(props.Architectures, id).toEqual(['arm64']);
    }
  });

  it.each(functions.map((fn) => [fn.name, fn] as const))('%s: defaults, size and settings from the manifest', (name, fn) => {
    const props = lambdaOf(fn);
    expect(props.FunctionName).toBe(`${synth.stackName}-${name}`);
    expect(props.Handler).toBe('index.handler');
    expect(props.Timeout).toBe(fn.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS);
    expect(props.MemorySize).toBe(fn.memoryMb ?? DEFAULT_MEMORY_MB);
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    const logGroup = refs((props.LoggingConfig as Json | undefined)?.LogGroup)[0];
    expect(logGroup, 'explicit log group').toBeDefined();
    expect(resource(logGroup!).Properties.RetentionInDays).toBe(30);

    const env = envOf(fn);
    expect(env).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'kefu', KEFU_STAGE: 'test', NODE_OPTIONS: '--enable-source-maps' });
    for (const key of ['STAFF_ISSUER', 'STAFF_AUDIENCE', 'WS_PUBLIC_URL']) expect(env, key).toHaveProperty(key);
    expect('TABLE_NAME' in env).toBe(fn.access.table !== undefined);
    if (fn.access.table) expect(refs(env.TABLE_NAME)).toEqual([synth.tableLogicalId]);
    expect('WS_MANAGEMENT_ENDPOINT' in env).toBe(fn.access.sockets === true);
    for (const q of queues) {
      const bound = fn.access.send?.includes(q.name) ?? false;
      expect(queueUrlEnv(q.name) in env, `${queueUrlEnv(q.name)}`).toBe(bound);
      if (bound) expect(refs(env[queueUrlEnv(q.name)])).toEqual([synth.queues[q.name].logicalId]);
    }
    const groups = fn.access.settings ?? [];
    expect(SETTINGS_SECRET_ENV in env, SETTINGS_SECRET_ENV).toBe(groups.length > 0);
    if (groups.length) {
      expect(refs(env[SETTINGS_SECRET_ENV])).toEqual([settingsSecretId()]);
      expect(env[SETTINGS_GROUPS_ENV]).toBe(groups.join(','));
    }
  });
});

/** The one integration settings secret's logical id. */
function settingsSecretId(): string {
  const secrets = resourcesOfType('AWS::SecretsManager::Secret');
  expect(secrets).toHaveLength(1);
  return secrets[0]![0];
}

describe('integration settings secret', () => {
  it('is one retained secret created as an empty JSON object, named in the outputs', () => {
    const id = settingsSecretId();
    const found = synth.template.Resources[id] as { DeletionPolicy?: string; Properties: Json };
    expect(found.DeletionPolicy).toBe('Retain');
    expect(found.Properties.SecretString).toBe('{}');
    expect(JSON.stringify(synth.template.Outputs)).toContain(id);
  });
});

describe('least privilege', () => {
  const WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
  const READ = ['dynamodb:GetItem', 'dynamodb:Query'];

  it.each(functions.map((fn) => [fn.name, fn] as const))('%s: its role grants exactly its declared access', (name, fn) => {
    const { roleLogicalId } = synth.functions[name]!;
    const role = resource(roleLogicalId).Properties;
    for (const arn of (role.ManagedPolicyArns as unknown[] | undefined) ?? []) {
      const [id] = refs(arn);
      expect(id && resource(id).Type, `only this app's own managed policies: ${JSON.stringify(arn)}`).toBe('AWS::IAM::ManagedPolicy');
    }
    expect(role.Policies, 'no inline role policies').toBeUndefined();
    const statements = statementsOf(roleLogicalId);
    const actions = actionsOf(statements);

    for (const action of actions) expect(action, 'no wildcard actions').not.toContain('*');
    for (const s of statements) {
      if (s.Resource === '*') {
        expect(
          actionsOf([s]).every((a) => a.startsWith('xray:')),
          `"*" only for X-Ray: ${actionsOf([s])}`,
        ).toBe(true);
      }
    }

    const logs = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('logs:')));
    const ownLogGroup = refs((lambdaOf(fn).LoggingConfig as Json).LogGroup);
    for (const s of logs) expect(refs(s.Resource)).toEqual(ownLogGroup);

    const dynamo = actions.filter((a) => a.startsWith('dynamodb:'));
    if (!fn.access.table) expect(dynamo).toEqual([]);
    else {
      expect(actions).toEqual(expect.arrayContaining(READ));
      if (fn.access.table === 'read') for (const a of WRITE) expect(actions).not.toContain(a);
      else expect(actions).toEqual(expect.arrayContaining(WRITE));
      expect(actions, 'no Scan').not.toContain('dynamodb:Scan');
      for (const s of statements.filter((st) => actionsOf([st]).some((a) => a.startsWith('dynamodb:')))) {
        expect(new Set(refs(s.Resource))).toEqual(new Set([synth.tableLogicalId]));
        expect(JSON.stringify(s.Resource), 'indexes by name').not.toContain('*');
      }
    }

    const sendTo = new Set(statementsWith(statements, 'sqs:SendMessage').flatMap((s) => refs(s.Resource)));
    expect(sendTo).toEqual(new Set((fn.access.send ?? []).map((q) => synth.queues[q].logicalId)));

    const receiveFrom = new Set(statementsWith(statements, 'sqs:ReceiveMessage').flatMap((s) => refs(s.Resource)));
    expect(receiveFrom).toEqual(new Set(fn.queue ? [synth.queues[fn.queue.name].logicalId] : []));

    const manage = statementsWith(statements, 'execute-api:ManageConnections');
    if (!fn.access.sockets) expect(manage).toEqual([]);
    else {
      expect(manage).toHaveLength(1);
      expect(refs(manage[0]!.Resource)).toContain(synth.webSocketApiLogicalId);
      expect(JSON.stringify(manage[0]!.Resource)).toContain('/live/*/@connections/*');
    }

    const s3 = actions.filter((a) => a.startsWith('s3:'));
    if (!fn.access.attachments) expect(s3).toEqual([]);
    else {
      expect(new Set(s3)).toEqual(new Set(fn.access.attachments === 'read' ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']));
      expect((lambdaOf(fn).Environment as { Variables: Record<string, unknown> }).Variables.ATTACHMENTS_BUCKET).toBeDefined();
    }

    const secrets = statements.filter((st) => actionsOf([st]).some((a) => a.startsWith('secretsmanager:')));
    if (!fn.access.settings?.length) expect(secrets).toEqual([]);
    else {
      expect(new Set(actionsOf(secrets))).toEqual(new Set(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']));
      for (const st of secrets) expect(refs(st.Resource)).toEqual([settingsSecretId()]);
    }

    const known = /^(xray|logs|dynamodb|sqs|execute-api|s3|secretsmanager):/;
    for (const action of actions) expect(action, 'unexpected service').toMatch(known);
  });
});

describe('HTTP API', () => {
  const routes = () => resourcesOfType('AWS::ApiGatewayV2::Route').filter(([, r]) => refs(r.ApiId).includes(synth.httpApiLogicalId));
  const manifestRoutes = functions.flatMap((fn) => (fn.http ?? []).map((route) => ({ fn, route })));

  it('has exactly the manifest routes', () => {
    expect(
      routes()
        .map(([, r]) => r.RouteKey)
        .sort(),
    ).toEqual(manifestRoutes.map(({ route }) => routeKey(route)).sort());
  });

  it('applies the manifest CORS settings', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: {
        AllowOrigins: cors.allowOrigins,
        AllowMethods: [...cors.allowMethods],
        AllowHeaders: cors.allowHeaders,
        ExposeHeaders: cors.exposeHeaders,
        MaxAge: cors.maxAgeSeconds,
      },
    });
  });

  it('trusts the staff user pool (issuer) for the console client (audience)', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: synth.userPoolClientLogicalId }],
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: synth.userPoolLogicalId }]] },
      },
    });
  });

  it.each(manifestRoutes.map(({ fn, route }) => [routeKey(route), route.auth.kind, fn.name] as const))(
    '%s (%s) → %s, JWT authorizer only on staff routes',
    (key, kind, fnName) => {
      const found = routes().find(([, r]) => r.RouteKey === key);
      expect(found).toBeDefined();
      const [, route] = found!;
      if (kind === 'staff') {
        expect(route.AuthorizationType).toBe('JWT');
        expect(resource(refs(route.AuthorizerId)[0]!).Properties.AuthorizerType).toBe('JWT');
      } else {
        expect(route.AuthorizationType ?? 'NONE').toBe('NONE');
        expect(route.AuthorizerId).toBeUndefined();
      }
      const integration = resource(refs(route.Target)[0]!).Properties;
      expect(refs(integration.IntegrationUri)).toEqual([synth.functions[fnName]!.logicalId]);
      expect(integration.PayloadFormatVersion).toBe('2.0');
    },
  );

  it('logs access on an auto-deployed, throttled default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: synth.httpApiLogicalId },
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() }),
    });
  });
});

describe('WebSocket API', () => {
  const wsRoutes = functions.flatMap((fn) => (fn.ws ?? []).map((key) => ({ fn, key })));

  it('selects routes by $request.body.action and serves the manifest routes', () => {
    expect(resource(synth.webSocketApiLogicalId).Properties).toMatchObject({
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
    const routes = resourcesOfType('AWS::ApiGatewayV2::Route').filter(([, r]) => refs(r.ApiId).includes(synth.webSocketApiLogicalId));
    expect(routes.map(([, r]) => r.RouteKey).sort()).toEqual(wsRoutes.map(({ key }) => key).sort());
    for (const { fn, key } of wsRoutes) {
      const [, route] = routes.find(([, r]) => r.RouteKey === key)!;
      const integration = resource(refs(route.Target)[0]!).Properties;
      expect(refs(integration.IntegrationUri), key).toContain(synth.functions[fn.name]!.logicalId);
    }
  });

  it('deploys the live stage automatically, with access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: synth.webSocketApiLogicalId },
      StageName: 'live',
      AutoDeploy: true,
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });
});

describe('schedules', () => {
  it.each(functions.filter((fn) => fn.schedule).map((fn) => [fn.name, fn.schedule!] as const))('%s runs on %s', (name, expression) => {
    const rules = resourcesOfType('AWS::Events::Rule').filter(([, r]) =>
      (r.Targets as Json[]).some((t) => refs(t.Arn).includes(synth.functions[name]!.logicalId)),
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]![1].ScheduleExpression).toBe(expression);
  });
});

describe('staff sign-in', () => {
  it('is admin-created, email sign-in, strong passwords, optional TOTP MFA, threat protection on', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        UsernameAttributes: ['email'],
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: Match.anyValue(),
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
      }),
    });
    const minLength = ((resource(synth.userPoolLogicalId).Properties.Policies as Json).PasswordPolicy as Json).MinimumLength;
    expect(minLength as number).toBeGreaterThanOrEqual(12);
  });

  it('has one group per staff role', () => {
    const groups = resourcesOfType('AWS::Cognito::UserPoolGroup').map(([, g]) => g.GroupName);
    expect(groups.sort()).toEqual([...STAFF_ROLES].sort());
  });

  it('gives the console a public client with SRP and password sign-in and no OAuth flows', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH']),
      AllowedOAuthFlows: Match.absent(),
      PreventUserExistenceErrors: 'ENABLED',
    });
  });
});

describe('web hosting', () => {
  it('keeps buckets private, TLS-only; the site bucket versioned with access logs', () => {
    const buckets = resourcesOfType('AWS::S3::Bucket');
    expect(buckets.length).toBeGreaterThanOrEqual(2);
    for (const [id, bucket] of buckets) {
      expect(bucket.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      const policies = resourcesOfType('AWS::S3::BucketPolicy').filter(([, p]) => refs(p.Bucket).includes(id));
      const statements = policies.flatMap(([, p]) => (p.PolicyDocument as { Statement: Json[] }).Statement);
      expect(statements, id).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    }
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
    });
  });

  it('serves through CloudFront with origin access control over HTTPS, paths mapped by the router', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })],
        }),
        Logging: Match.objectLike({ Bucket: Match.anyValue() }),
      }),
    });
  });

  it('deploys config.json built from the stack’s own API, socket and user pool ids', () => {
    const deployments = resourcesOfType('Custom::CDKBucketDeployment');
    expect(deployments).toHaveLength(1);
    const markers = refs(deployments[0]![1].SourceMarkers);
    for (const id of [synth.httpApiLogicalId, synth.webSocketApiLogicalId, synth.userPoolLogicalId, synth.userPoolClientLogicalId]) {
      expect(markers).toContain(id);
    }
  });
});

describe('CloudFormation limits', () => {
  it('every template (stack and nested stacks) stays well below 500 resources and 200 parameters', () => {
    const templates = readdirSync(synth.outdir).filter((f) => f.endsWith('.template.json') && f !== FLAT_TEMPLATE_FILE);
    expect(templates.length).toBeGreaterThan(1);
    for (const file of templates) {
      const t = JSON.parse(readFileSync(join(synth.outdir, file), 'utf8')) as { Resources: Json; Parameters?: Json };
      expect(Object.keys(t.Resources).length, file).toBeLessThanOrEqual(400);
      expect(Object.keys(t.Parameters ?? {}).length, file).toBeLessThanOrEqual(150);
    }
  });

  it('places functions by a stable hash of their name (moving a deployed function would fail)', () => {
    expect(FUNCTION_STACKS).toBe(8);
    expect(['health', 'ws-connect', 'bot-consumer'].map(functionStackOf)).toEqual([7, 4, 5]);
  });
});

describe('outputs', () => {
  it.each(['HttpApiUrl', 'WebSocketUrl', 'WebUrl', 'UserPoolId', 'UserPoolClientId'])('%s', (name) => {
    template.hasOutput(name, { Value: Match.anyValue() });
  });
});
