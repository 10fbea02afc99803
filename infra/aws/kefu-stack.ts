import { join } from 'node:path';
import { CfnOutput, Duration, Lazy, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { CfnAccount } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpAuthorizer,
  HttpAuthorizerType,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
  WebSocketApi,
  WebSocketStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { AttributeType, BillingMode, type ITable, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { cors, type FunctionDef, functions as manifestFunctions, type QueueName, queues, table as tableDef } from '#infra/manifest.ts';
import { BACKUP_RETENTION_DAYS, KefuBackups } from './backups.ts';
import { bundleFunctions, placeholderCode } from './bundle.ts';
import { configurationSetName, EmailEvents, SES_CONFIGURATION_SET_ENV } from './email-events.ts';
import { FUNCTION_STACKS, FunctionStack, functionStackOf } from './function-stack.ts';
import { type KefuFunction, REPO_ROOT } from './kefu-function.ts';
import { KefuQueue } from './kefu-queue.ts';
import { StaffAuth } from './staff-auth.ts';
import { WebHosting } from './web-hosting.ts';

/** Name of the WebSocket stage; clients connect to wss://…/live. */
export const WS_STAGE = 'live';

/**
 * Requests per second (steady / burst) each API stage accepts before answering 429, unless the
 * deploy sets `-c kefu:apiRateLimit=N` (burst 2 × N): a guard sized for a small shop; docs/scale.md
 * sizes it from the peak (about 2.3 HTTP requests per chat message).
 */
export const API_THROTTLE = { rateLimit: 200, burstLimit: 400 };

export interface KefuStackProps extends StackProps {
  /** dev, prod, …: goes into KEFU_STAGE and the Lambda names. */
  stage: string;
  /** Repository root (manifest entries, package-lock.json, web/dist); defaults to this checkout. */
  repoRoot?: string;
  /** Built web apps; defaults to `${repoRoot}/web/dist`. */
  webDist?: string;
  /** The functions to deploy; defaults to the manifest's (the synth benchmark deploys one as its baseline). */
  functions?: readonly FunctionDef[];
  /**
   * Whether to set the region's API Gateway CloudWatch role (needed for WebSocket access logs).
   * It is one setting per account and region: turn this off when another stack already owns it.
   */
  apiGatewayAccountRole?: boolean;
  /** Steady requests per second of each API stage (burst twice that); default API_THROTTLE. */
  apiRateLimit?: number;
  /**
   * After a point-in-time restore into a new table (docs/aws.md, restore runbook): the restored
   * table's name. The functions, their permissions and the backup plan then use it; the stack's
   * own table leaves the stack but stays in the account (RETAIN, deletion protection).
   */
  restoredTableName?: string;
}

/**
 * Kefu on AWS, derived entirely from infra/manifest.ts: the table, each queue with its DLQ, the
 * APIs, the staff user pool and the web apps behind CloudFront here; one Lambda per manifest
 * function, with exactly its declared access and its routes, queue subscriptions and schedules,
 * in FUNCTION_STACKS nested stacks (see function-stack.ts).
 */
export class KefuStack extends Stack {
  /** The stack's own table, or the restored table it was switched to (`restoredTableName`). */
  readonly table: ITable;
  readonly queues: ReadonlyMap<QueueName, KefuQueue>;
  readonly functions: ReadonlyMap<string, KefuFunction>;
  readonly httpApi: HttpApi;
  readonly webSocketApi: WebSocketApi;
  readonly webSocketStage: WebSocketStage;
  readonly staff: StaffAuth;
  readonly web: WebHosting;
  /** Chat attachments and data-export bundles (pre-signed uploads and downloads only). */
  readonly attachments: Bucket;
  /** Daily AWS Backup of the table and the attachments bucket. */
  readonly backups: KefuBackups;
  /** The integration settings (LLM, email, WeChat keys): one JSON secret, see SETTINGS_GROUPS in the manifest. */
  readonly settings: Secret;
  /** The SES configuration set and its bounce and complaint events (→ the `ses-events` queue). */
  readonly emailEvents: EmailEvents;

  constructor(scope: Construct, id: string, props: KefuStackProps) {
    super(scope, id, props);
    const root = props.repoRoot ?? REPO_ROOT;

    this.table = props.restoredTableName
      ? Table.fromTableAttributes(this, 'restored-table', { tableName: props.restoredTableName, grantIndexPermissions: true })
      : this.createTable();

    this.queues = new Map(queues.map((def) => [def.name, new KefuQueue(this, def)]));
    this.emailEvents = new EmailEvents(this, 'email-events', { queues: this.queues, name: configurationSetName(this.stackName) });

    this.staff = new StaffAuth(this, 'staff-auth');

    const accountRole = props.apiGatewayAccountRole === false ? undefined : this.apiGatewayAccount();
    const throttle = props.apiRateLimit ? { rateLimit: props.apiRateLimit, burstLimit: 2 * props.apiRateLimit } : API_THROTTLE;

    this.webSocketApi = new WebSocketApi(this, 'ws', {
      apiName: `${this.stackName}-ws`,
      routeSelectionExpression: '$request.body.action',
    });
    this.webSocketStage = new WebSocketStage(this, 'ws-stage', {
      webSocketApi: this.webSocketApi,
      stageName: WS_STAGE,
      autoDeploy: true,
      throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs('ws-access-logs')) },
    });
    if (accountRole) this.webSocketStage.node.addDependency(accountRole);

    this.httpApi = new HttpApi(this, 'http', {
      apiName: `${this.stackName}-http`,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...cors.allowOrigins],
        allowMethods: cors.allowMethods.map((m) => CorsHttpMethod[m]),
        allowHeaders: [...cors.allowHeaders],
        exposeHeaders: [...cors.exposeHeaders],
        maxAge: Duration.seconds(cors.maxAgeSeconds),
      },
    });
    new HttpStage(this, 'http-stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs('http-access-logs')) },
    });
    const staffAuthorizer = this.staffAuthorizer();

    const environment = {
      STAFF_ISSUER: this.staff.issuer,
      STAFF_AUDIENCE: this.staff.audience,
      WS_PUBLIC_URL: this.webSocketStage.url,
    };
    const attachmentsOrigin = Lazy.string({ produce: () => `https://${this.attachments.bucketRegionalDomainName}` });
    this.web = new WebHosting(this, 'web', {
      distDir: props.webDist ?? join(root, 'web', 'dist'),
      config: {
        apiUrl: this.httpApi.apiEndpoint,
        wsUrl: this.webSocketStage.url,
        auth: {
          kind: 'cognito',
          region: this.region,
          userPoolId: this.staff.userPool.userPoolId,
          clientId: this.staff.audience,
        },
      },
      // The attachments bucket is created below (it logs into the web log bucket), hence the lazy value.
      origins: {
        connect: [this.httpApi.apiEndpoint, this.webSocketApi.apiEndpoint, `https://cognito-idp.${this.region}.amazonaws.com`, attachmentsOrigin],
        img: [attachmentsOrigin],
      },
    });

    this.attachments = new Bucket(this, 'attachments', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      serverAccessLogsBucket: this.web.logBucket,
      serverAccessLogsPrefix: 's3-attachments/',
      removalPolicy: RemovalPolicy.RETAIN,
      // Browsers upload and download through pre-signed URLs from the shop's pages and the console.
      cors: [{ allowedMethods: [HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD], allowedOrigins: ['*'], allowedHeaders: ['content-type'], maxAge: 600 }],
      // Versioned: an overwritten or deleted file can be brought back for as long as the backups are kept.
      versioned: true,
      lifecycleRules: [
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'old-versions', noncurrentVersionExpiration: Duration.days(BACKUP_RETENTION_DAYS), expiredObjectDeleteMarker: true },
      ],
    });
    this.backups = new KefuBackups(this, 'backups', { table: this.table, attachments: this.attachments });
    this.settings = this.settingsSecret();

    // One esbuild run for every function, unless this synth skips bundling (fast template checks).
    const functions = props.functions ?? manifestFunctions;
    const bundles = this.bundlingRequired ? bundleFunctions(functions, root) : undefined;
    const codeDir = (name: string) => bundles?.get(name) ?? placeholderCode();
    const built = new Map<string, KefuFunction>();
    const shares = Array.from({ length: FUNCTION_STACKS }, () => [] as FunctionDef[]);
    for (const def of functions) shares[functionStackOf(def.name)]!.push(def);
    shares.forEach((definitions, n) => {
      if (definitions.length === 0) return;
      const nested = new FunctionStack(this, `functions-${n}`, {
        definitions,
        stage: props.stage,
        namePrefix: this.stackName,
        codeDir,
        environment,
        table: this.table,
        queues: this.queues,
        httpApi: this.httpApi,
        staffAuthorizer,
        webSocketApi: this.webSocketApi,
        webSocketStage: this.webSocketStage,
        attachments: this.attachments,
        settings: this.settings,
      });
      // Functions that name the configuration set deploy after it exists (a send naming a missing set fails).
      if (definitions.some((d) => d.access.settings?.includes('email'))) nested.node.addDependency(this.emailEvents.configurationSet);
      for (const [name, fn] of nested.functions) built.set(name, fn);
    });
    this.functions = built;
    // The functions that send or address mail name the configuration set (a plain name, no cross-stack reference; the settings secret may override it).
    for (const fn of built.values()) {
      if (fn.definition.access.settings?.includes('email')) fn.addEnvironment(SES_CONFIGURATION_SET_ENV, configurationSetName(this.stackName));
    }

    new CfnOutput(this, 'HttpApiUrl', { value: this.httpApi.apiEndpoint, description: 'HTTP API base URL' });
    new CfnOutput(this, 'WebSocketUrl', { value: this.webSocketStage.url, description: 'WebSocket URL' });
    new CfnOutput(this, 'WebUrl', {
      value: `https://${this.web.distribution.distributionDomainName}`,
      description: 'Widget, console and demo page',
    });
    new CfnOutput(this, 'UserPoolId', { value: this.staff.userPool.userPoolId, description: 'Staff user pool' });
    new CfnOutput(this, 'UserPoolClientId', { value: this.staff.audience, description: 'Console app client' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'The table (point-in-time recovery on; restore runbook in docs/aws.md)' });
    new CfnOutput(this, 'AttachmentsBucketName', { value: this.attachments.bucketName, description: 'Attachments and export bundles (versioned)' });
    new CfnOutput(this, 'SettingsSecretArn', {
      value: this.settings.secretArn,
      description: 'Integration settings (LLM, email, WeChat): a JSON object of strings, see docs/aws.md',
    });
    new CfnOutput(this, 'SesConfigurationSetName', {
      value: configurationSetName(this.stackName),
      description: 'SES configuration set of every send: bounces and complaints feed the suppression list',
    });
    new CfnOutput(this, 'BackupVaultName', { value: this.backups.vault.backupVaultName, description: 'AWS Backup vault of the daily backups' });
  }

  /** The table the stack owns (until a restore switches the stack to a restored table, see docs/aws.md). */
  private createTable(): Table {
    const created = new Table(this, tableDef.name, {
      partitionKey: { name: tableDef.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDef.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: tableDef.ttlAttribute,
      encryption: TableEncryption.AWS_MANAGED,
    });
    for (const index of tableDef.indexes) {
      created.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    return created;
  }

  /**
   * The integration settings secret, created holding `{}`: an admin puts the keys in it (docs/aws.md),
   * and CloudFormation never writes it again, since the template's value does not change. Functions
   * that declare a settings group read it at a cold start (shared/settings-secret.ts).
   */
  private settingsSecret(): Secret {
    const secret = new Secret(this, 'settings', {
      description: 'Kefu integration settings (LLM, email, WeChat): a JSON object of strings, e.g. {"OPENAI_API_KEY":"…"}',
      secretObjectValue: {},
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Third-party keys (LLM provider, SMTP, WeCom) are issued by those platforms and cannot be rotated by a Lambda; admins replace them in place.',
    });
    return secret;
  }

  private accessLogs(id: string): LogGroup {
    return new LogGroup(this, id, { retention: RetentionDays.THREE_MONTHS });
  }

  /**
   * The staff JWT authorizer, created here once: HttpJwtAuthorizer would create it inside the first
   * route's nested stack, and the routes of the other nested stacks would then depend on that one.
   */
  private staffAuthorizer(): IHttpRouteAuthorizer {
    const authorizer = new HttpAuthorizer(this, 'staff-jwt', {
      httpApi: this.httpApi,
      authorizerName: 'staff',
      type: HttpAuthorizerType.JWT,
      identitySource: ['$request.header.Authorization'],
      jwtIssuer: this.staff.issuer,
      jwtAudience: [this.staff.audience],
    });
    return HttpAuthorizer.fromHttpAuthorizerAttributes(this, 'staff-jwt-ref', {
      authorizerId: authorizer.authorizerId,
      authorizerType: HttpAuthorizerType.JWT,
    });
  }

  /** The region-wide role API Gateway uses to write WebSocket access logs (HTTP APIs need none). */
  private apiGatewayAccount(): CfnAccount {
    const role = new Role(this, 'apigw-cloudwatch-role', {
      assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
    });
    role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: 'The AWS-managed policy API Gateway documents for its account-level logging role; it must write to log groups API Gateway names itself.',
    });
    const account = new CfnAccount(this, 'apigw-account', { cloudWatchRoleArn: role.roleArn });
    account.applyRemovalPolicy(RemovalPolicy.RETAIN);
    return account;
  }
}
