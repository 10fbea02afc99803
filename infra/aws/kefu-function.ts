import { fileURLToPath } from 'node:url';
import { CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct, IConstruct } from 'constructs';
import {
  DEFAULT_MEMORY_MB,
  DEFAULT_TIMEOUT_SECONDS,
  type FunctionDef,
  table as manifestTable,
  queueUrlEnv,
  SETTINGS_GROUPS_ENV,
  SETTINGS_SECRET_ENV,
  type SettingsGroup,
} from '#infra/manifest.ts';
import type { KefuQueue } from './kefu-queue.ts';

/** Absolute path of the repository root (entries in the manifest are relative to it). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type TableAccess = 'read' | 'readwrite';

export interface KefuFunctionProps {
  definition: FunctionDef;
  /** Physical name prefix, normally the stack name. */
  namePrefix: string;
  stage: string;
  /** Settings every function gets (staff issuer, public socket URL). */
  environment?: Record<string, string>;
  /** The folder with the function's built `index.mjs` (see bundleFunctions in bundle.ts). */
  codeDir: string;
}

/**
 * A Lambda with Kefu's defaults (Node 24, ARM64, the ESM bundle built by bundle.ts, a log group
 * with retention, X-Ray) and `bind*` methods that set a setting and grant exactly the matching permission.
 * Its role and log group are siblings created first, so the role carries no managed policy and
 * may only write to this function's own log group.
 */
export class KefuFunction extends LambdaFunction {
  readonly definition: FunctionDef;
  readonly executionRole: Role;
  readonly logs: LogGroup;

  constructor(scope: Construct, id: string, props: KefuFunctionProps) {
    const { definition } = props;
    const executionRole = new Role(scope, `${id}-role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: iamText(`Kefu ${definition.name}: ${definition.description}`),
    });
    const logs = new LogGroup(scope, `${id}-logs`, { retention: RetentionDays.ONE_MONTH });
    super(scope, id, {
      functionName: `${props.namePrefix}-${definition.name}`,
      description: definition.description,
      code: Code.fromAsset(props.codeDir),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: Duration.seconds(definition.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS),
      memorySize: definition.memoryMb ?? DEFAULT_MEMORY_MB,
      role: executionRole,
      logGroup: logs,
      tracing: Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'kefu',
        KEFU_STAGE: props.stage,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });
    this.definition = definition;
    this.executionRole = executionRole;
    this.logs = logs;
    logs.grantWrite(executionRole);
    Validations.of(executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (AWS docs), so CDK grants them on "*".',
    });
  }

  /** Gives the function the table: TABLE_NAME plus read-only or read/write item access, nothing more. */
  bindTable(table: ITable, access: TableAccess): this {
    this.addEnvironment('TABLE_NAME', table.tableName);
    this.executionRole.addManagedPolicy(tableAccessPolicy(table, access));
    return this;
  }

  /** Lets the function send to one queue: its URL under queueUrlEnv(name) and sqs:SendMessage on it. */
  bindQueue(queue: KefuQueue): this {
    this.addEnvironment(queueUrlEnv(queue.definition.name), queue.queueUrl);
    queue.grantSendMessages(this);
    return this;
  }

  /** Gives the function the attachments bucket: its name, and object read (or read/write/delete) access. */
  bindAttachments(bucket: IBucket, access: 'read' | 'readwrite'): this {
    this.addEnvironment('ATTACHMENTS_BUCKET', bucket.bucketName);
    this.executionRole.addManagedPolicy(attachmentsPolicy(bucket, access));
    return this;
  }

  /** Lets the function read the integration settings secret (GetSecretValue on it only) and names the groups it takes. */
  bindSettings(secret: ISecret, groups: readonly SettingsGroup[]): this {
    this.addEnvironment(SETTINGS_SECRET_ENV, secret.secretArn);
    this.addEnvironment(SETTINGS_GROUPS_ENV, groups.join(','));
    secret.grantRead(this.executionRole);
    return this;
  }

  /** Lets the function push to WebSocket clients of this stage only (@connections management API). */
  bindSockets(stage: WebSocketStage): this {
    this.addEnvironment('WS_MANAGEMENT_ENDPOINT', stage.callbackUrl);
    this.executionRole.addManagedPolicy(socketPushPolicy(stage));
    return this;
  }
}

const ITEM_READS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
const ITEM_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** DynamoDB actions per access level: item reads and queries, plus item writes; never Scan or Streams. */
export const TABLE_ACTIONS: Record<TableAccess, readonly string[]> = {
  read: ITEM_READS,
  readwrite: [...ITEM_READS, ...ITEM_WRITES],
};

/**
 * One customer-managed policy per table and access level, created next to the table and shared by
 * every function with that access: the table and each manifest GSI by name (no wildcard), and the
 * policy lives in the table's stack however the functions are spread over nested stacks.
 */
export function tableAccessPolicy(table: ITable, access: TableAccess): ManagedPolicy {
  const id = `kefu-${access}-policy`;
  const existing = table.node.tryFindChild(id);
  if (existing instanceof ManagedPolicy) return existing;
  return new ManagedPolicy(table, id, {
    description: `Kefu functions: ${access === 'read' ? 'read' : 'read and write'} items of the table and query its indexes`,
    statements: [
      new PolicyStatement({
        actions: [...TABLE_ACTIONS[access]],
        resources: [table.tableArn, ...manifestTable.indexes.map((index) => `${table.tableArn}/index/${index.name}`)],
      }),
    ],
  });
}

/**
 * One customer-managed policy per access level next to the attachments bucket: object actions on
 * its keys only (no listing, no bucket settings).
 */
export function attachmentsPolicy(bucket: IBucket, access: 'read' | 'readwrite'): ManagedPolicy {
  const id = `kefu-attachments-${access}-policy`;
  const existing = bucket.node.tryFindChild(id);
  if (existing instanceof ManagedPolicy) return existing;
  const policy = new ManagedPolicy(bucket, id, {
    description: `Kefu functions: ${access === 'read' ? 'read' : 'read, write and delete'} attachment and export objects`,
    statements: [
      new PolicyStatement({
        actions: access === 'read' ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [bucket.arnForObjects('*')],
      }),
    ],
  });
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/*]`,
    reason: 'Object keys are per-conversation and per-attachment ids created at run time; the policy is limited to object actions in this one bucket.',
  });
  return policy;
}

/** The customer-managed policy, next to the WebSocket stage, that lets functions post to its connections. */
export function socketPushPolicy(stage: WebSocketStage): ManagedPolicy {
  const id = 'kefu-push-policy';
  const existing = stage.node.tryFindChild(id);
  if (existing instanceof ManagedPolicy) return existing;
  const policy = new ManagedPolicy(stage, id, {
    description: `Kefu functions: push to clients of the ${stage.stageName} WebSocket stage`,
  });
  stage.grantManagementApiAccess(policy);
  Validations.of(policy).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${logicalIdOf(stage.api)}>/${stage.stageName}/*/@connections/*]`,
    reason: 'execute-api:ManageConnections on the @connections of this one API stage; connection ids are created at run time, so they cannot be listed.',
  });
  return policy;
}

/** IAM descriptions accept Latin-1 only: typographic quotes become ASCII, anything else a space. */
function iamText(text: string): string {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[^\t\n\r\x20-\x7E\xA1-\xFF]/g, ' ')
    .slice(0, 1000);
}

/** The CloudFormation logical id of a construct's main resource, as cdk-nag prints it in finding ids. */
export function logicalIdOf(construct: IConstruct): string {
  const child = construct.node.defaultChild;
  if (!(child instanceof CfnElement)) throw new Error(`no CloudFormation resource under ${construct.node.path}`);
  return Stack.of(construct).getLogicalId(child);
}
