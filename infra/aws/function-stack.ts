import { Duration, NestedStack, Validations } from 'aws-cdk-lib';
import {
  type HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  type IHttpRouteAuthorizer,
  type WebSocketApi,
  WebSocketRoute,
  type WebSocketStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration, WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type FunctionDef, type QueueName, type RouteAuth, routeKey } from '#infra/manifest.ts';
import { KefuFunction } from './kefu-function.ts';
import type { KefuQueue } from './kefu-queue.ts';

/**
 * How many nested stacks carry the functions. A function's stack is a hash of its name, so adding
 * functions never moves existing ones (moving one would recreate it under the same name and fail).
 * Never change this number on a deployed stage; 8 × CloudFormation's 500 resources leaves room
 * for several hundred functions.
 */
export const FUNCTION_STACKS = 8;

/** The nested stack (0 … FUNCTION_STACKS-1) a function lives in: FNV-1a of its name, stable forever. */
export function functionStackOf(name: string): number {
  let hash = 0x811c9dc5;
  for (const char of name) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % FUNCTION_STACKS;
}

/** Why a route without an API Gateway authorizer is still protected (cdk-nag APIG4 reasons). */
const UNAUTHORIZED_ROUTE_REASON: Record<Exclude<RouteAuth['kind'], 'staff'>, string> = {
  public: 'Public by design (health check, starting a widget session); throttled per stage and validated by the handler.',
  visitor: 'Widget visitors carry a Kefu-issued session token that the handler verifies (API Gateway cannot verify it).',
  shop: 'The shop backend signs each request (HMAC over timestamp and body, replay window), verified in the handler.',
};

const WS_ROUTE_REASON =
  'WebSocket: browsers cannot send headers, so $connect verifies the visitor or staff token from the query string in the handler; later routes only run on connections $connect accepted.';

export interface FunctionStackProps {
  definitions: readonly FunctionDef[];
  stage: string;
  /** Physical name prefix of the Lambdas (the parent stack's name). */
  namePrefix: string;
  /** The folder holding a function's built code (bundle.ts), by function name. */
  codeDir: (name: string) => string;
  /** Settings every function gets. */
  environment: Record<string, string>;
  table: ITable;
  queues: ReadonlyMap<QueueName, KefuQueue>;
  httpApi: HttpApi;
  staffAuthorizer: IHttpRouteAuthorizer;
  webSocketApi: WebSocketApi;
  webSocketStage: WebSocketStage;
  attachments: IBucket;
  /** The integration settings secret (LLM, email, WeChat keys). */
  settings: ISecret;
}

/**
 * A share of the manifest's functions with everything that is theirs: the Lambda, its role and
 * log group, its HTTP and WebSocket routes and integrations, queue subscriptions and schedules.
 * Nested stacks keep each CloudFormation template far below its 500-resource limit.
 */
export class FunctionStack extends NestedStack {
  readonly functions = new Map<string, KefuFunction>();
  private readonly deps: FunctionStackProps;

  constructor(scope: Construct, id: string, props: FunctionStackProps) {
    // CloudFormation takes at most 1024 characters, CDK's nested-stack check 512: names are cut to fit.
    const names = props.definitions.map((d) => d.name).join(', ');
    const full = `Kefu functions (${names})`;
    super(scope, id, { description: full.length <= 512 ? full : `${full.slice(0, 508)}…)` });
    this.deps = props;
    for (const def of props.definitions) {
      const fn = new KefuFunction(this, def.name, {
        definition: def,
        namePrefix: props.namePrefix,
        stage: props.stage,
        environment: props.environment,
        codeDir: props.codeDir(def.name),
      });
      if (def.access.table) fn.bindTable(props.table, def.access.table);
      for (const name of def.access.send ?? []) fn.bindQueue(this.queue(name));
      if (def.access.sockets) fn.bindSockets(props.webSocketStage);
      if (def.access.attachments) fn.bindAttachments(props.attachments, def.access.attachments);
      if (def.access.settings?.length) fn.bindSettings(props.settings, def.access.settings);
      this.addTriggers(fn);
      this.functions.set(def.name, fn);
    }
  }

  private queue(name: QueueName): KefuQueue {
    const queue = this.deps.queues.get(name);
    if (!queue) throw new Error(`manifest: queue ${name} is not declared in queues`);
    return queue;
  }

  private addTriggers(fn: KefuFunction): void {
    const def = fn.definition;
    if (def.http?.length) {
      const integration = new HttpLambdaIntegration(`${def.name}-http`, fn);
      for (const route of def.http) {
        const created = new HttpRoute(this, `${def.name}-${route.method}${route.path.replaceAll('/', '--')}`, {
          httpApi: this.deps.httpApi,
          routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
          integration,
          ...(route.auth.kind === 'staff' ? { authorizer: this.deps.staffAuthorizer } : {}),
        });
        if (route.auth.kind !== 'staff') {
          Validations.of(created).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason: `${routeKey(route)}: ${UNAUTHORIZED_ROUTE_REASON[route.auth.kind]}`,
          });
        }
      }
    }
    for (const key of def.ws ?? []) {
      const route = new WebSocketRoute(this, `${def.name}-ws${key}`, {
        webSocketApi: this.deps.webSocketApi,
        routeKey: key,
        integration: new WebSocketLambdaIntegration(`${def.name}-ws-${key}`, fn),
      });
      Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: WS_ROUTE_REASON });
    }
    if (def.queue) {
      fn.addEventSource(
        new SqsEventSource(this.queue(def.queue.name), {
          batchSize: def.queue.batchSize,
          ...(def.queue.maxBatchingWindowSeconds !== undefined ? { maxBatchingWindow: Duration.seconds(def.queue.maxBatchingWindowSeconds) } : {}),
          reportBatchItemFailures: true,
        }),
      );
    }
    if (def.schedule) {
      new Rule(this, `${def.name}-schedule`, {
        description: `Kefu ${def.name}: ${def.schedule}`,
        schedule: Schedule.expression(def.schedule),
        targets: [new LambdaFunction(fn, { retryAttempts: 2 })],
      });
    }
  }
}
