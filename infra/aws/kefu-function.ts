import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';
import { CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct, IConstruct } from 'constructs';
import {
  DEFAULT_MEMORY_MB,
  DEFAULT_TIMEOUT_SECONDS,
  queueUrlEnv,
  table as manifestTable,
  type FunctionDef,
} from '#infra/manifest.ts';
import type { KefuQueue } from './kefu-queue.ts';

/** Absolute path of the repository root (entries in the manifest are relative to it). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The one definition of how a Lambda is bundled: ESM for Node 24, minified, AWS SDK v3 bundled
 * (AWS guidance: pinned version, faster cold start than the runtime's copy), `module` entry points
 * first (smaller, faster-loading builds of zod/middy/SDK), and a `require` shim so CommonJS
 * dependencies still load inside the ESM bundle. KefuFunction and the cold-start benchmark both use it.
 */
export const BUNDLE = {
  target: 'node24',
  format: 'esm',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  external: [] as string[],
  banner:
    "import { createRequire as __kefuCreateRequire } from 'node:module'; const require = __kefuCreateRequire(import.meta.url);",
  outFile: 'index.mjs',
} as const;

/** esbuild options equivalent to what KefuFunction asks CDK for, so ad-hoc bundles match Lambda's. */
export function esbuildOptions(entry: string, outdir: string): BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    outfile: join(outdir, BUNDLE.outFile),
    target: BUNDLE.target,
    format: BUNDLE.format,
    minify: BUNDLE.minify,
    sourcemap: BUNDLE.sourcemap,
    sourcesContent: BUNDLE.sourcesContent,
    mainFields: [...BUNDLE.mainFields],
    external: [...BUNDLE.external],
    banner: { js: BUNDLE.banner },
    logLevel: 'warning',
  };
}

export type TableAccess = 'read' | 'readwrite';

export interface KefuFunctionProps {
  definition: FunctionDef;
  /** Physical name prefix, normally the stack name. */
  namePrefix: string;
  stage: string;
  /** Settings every function gets (staff issuer, public socket URL). */
  environment?: Record<string, string>;
  /** Repository root holding `entry` and package-lock.json; defaults to this checkout. */
  repoRoot?: string;
}

/**
 * A Lambda with Kefu's defaults (Node 24, ARM64, ESM bundle, a log group with retention,
 * X-Ray) and `bind*` methods that set a setting and grant exactly the matching permission.
 * Its role and log group are siblings created first, so the role carries no managed policy and
 * may only write to this function's own log group.
 */
export class KefuFunction extends NodejsFunction {
  readonly definition: FunctionDef;
  readonly executionRole: Role;
  readonly logs: LogGroup;

  constructor(scope: Construct, id: string, props: KefuFunctionProps) {
    const { definition } = props;
    const root = props.repoRoot ?? REPO_ROOT;
    const executionRole = new Role(scope, `${id}-role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: iamText(`Kefu ${definition.name}: ${definition.description}`),
    });
    const logs = new LogGroup(scope, `${id}-logs`, { retention: RetentionDays.ONE_MONTH });
    const assets = checkedAssets(definition, root);
    super(scope, id, {
      functionName: `${props.namePrefix}-${definition.name}`,
      description: definition.description,
      entry: join(root, definition.entry),
      handler: 'handler',
      projectRoot: root,
      depsLockFilePath: join(root, 'package-lock.json'),
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
      bundling: {
        target: BUNDLE.target,
        format: BUNDLE.format === 'esm' ? OutputFormat.ESM : OutputFormat.CJS,
        minify: BUNDLE.minify,
        sourceMap: BUNDLE.sourcemap,
        sourcesContent: BUNDLE.sourcesContent,
        mainFields: [...BUNDLE.mainFields],
        externalModules: [...BUNDLE.external],
        banner: BUNDLE.banner,
        logLevel: LogLevel.WARNING,
        ...(assets.length ? { commandHooks: copyAfterBundling(assets) } : {}),
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
    reason:
      'execute-api:ManageConnections on the @connections of this one API stage; connection ids are created at run time, so they cannot be listed.',
  });
  return policy;
}

type BundleAsset = NonNullable<FunctionDef['assets']>[number];

/** The manifest's data files for a function, checked: the source exists and the target stays inside the bundle. */
function checkedAssets(definition: FunctionDef, root: string): readonly BundleAsset[] {
  const assets = definition.assets ?? [];
  for (const asset of assets) {
    if (!existsSync(join(root, asset.from))) throw new Error(`${definition.name}: asset ${asset.from} does not exist`);
    const target = posix.normalize(asset.to);
    if (posix.isAbsolute(target) || target.startsWith('..')) {
      throw new Error(`${definition.name}: asset target ${asset.to} must be a relative path inside the bundle`);
    }
  }
  return assets;
}

/** Copies data files next to index.mjs once esbuild is done, where `new URL('./…', import.meta.url)` finds them. */
function copyAfterBundling(assets: readonly BundleAsset[]): ICommandHooks {
  const quote = (path: string) => `'${path.replace(/'/g, `'\\''`)}'`;
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) =>
      assets.map((asset) => {
        const target = posix.join(outputDir, posix.normalize(asset.to));
        return `mkdir -p ${quote(posix.dirname(target))} && cp ${quote(posix.join(inputDir, asset.from))} ${quote(target)}`;
      }),
  };
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
