import { existsSync } from 'node:fs';
import { Annotations, BOOTSTRAP_QUALIFIER_CONTEXT, DefaultStackSynthesizer, Duration, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  type HeadersFrameOption,
  type HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, type ISource, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { contentSecurityPolicy, FRAME_OPTIONS, REFERRER_POLICY, RESOURCE_POLICY, type WebOrigins } from '#infra/web-headers.ts';
import { logicalIdOf } from './kefu-function.ts';

/** Where `/` sends a browser: the staff console (the demo shop page is at /demo/, the widget at /widget/). */
export const WEB_LANDING = '/console/';

/**
 * CloudFront Function (viewer request) giving the bucket the paths the local runtime serves
 * (infra/local/static.ts): `/` → the landing app, `/app` → `/app/`, `/app/` → its index.html, and an
 * extension-less path inside an app → that app's index.html, so client-side routes survive a reload.
 */
export const WEB_ROUTER = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/') return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '${WEB_LANDING}' } } };
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') !== -1) return request;
  var segments = uri.split('/').filter(function (s) { return s.length > 0; });
  if (uri.charAt(uri.length - 1) === '/') request.uri = uri + 'index.html';
  else if (segments.length === 1) return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: uri + '/' } } };
  else request.uri = '/' + segments[0] + '/index.html';
  return request;
}`;

export interface WebHostingProps {
  /** Built web apps (widget, console, demo page). When the folder does not exist only config.json is deployed. */
  distDir: string;
  /** Served as /config.json: where the web apps find the APIs and the staff sign-in. */
  config: Record<string, unknown>;
  /** What the pages' CSP lets them reach (API, WebSocket, Cognito, attachments); values may be tokens. */
  origins: WebOrigins;
}

/**
 * The web apps on S3 behind CloudFront (origin access control; the bucket stays private),
 * with the runtime config.json written from the stack's own outputs so no URL is hand-copied.
 */
export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    this.logBucket = new Bucket(this, 'access-logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      // CloudFront standard logging writes with ACLs, so this bucket must accept object ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    this.bucket = new Bucket(this, 'site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3-site/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
    });
    // The same headers as the local runtime (infra/web-headers.ts), plus HSTS (HTTPS only).
    const headers = new ResponseHeadersPolicy(this, 'headers', {
      comment: 'Kefu web: strict CSP, never framed, HSTS, nosniff, no referrer; CORS and CORP so shops can load the widget',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(props.origins), override: true },
        frameOptions: { frameOption: FRAME_OPTIONS as HeadersFrameOption, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: REFERRER_POLICY as HeadersReferrerPolicy, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [{ header: 'Cross-Origin-Resource-Policy', value: RESOURCE_POLICY, override: true }],
      },
      corsBehavior: {
        accessControlAllowOrigins: ['*'],
        accessControlAllowMethods: ['GET', 'HEAD'],
        accessControlAllowHeaders: ['*'],
        accessControlAllowCredentials: false,
        originOverride: true,
      },
    });
    const router = new EdgeFunction(this, 'router', {
      comment: 'Kefu web: app folders and their index.html',
      code: FunctionCode.fromInline(WEB_ROUTER),
      runtime: FunctionRuntime.JS_2_0,
    });
    this.distribution = new Distribution(this, 'cdn', {
      comment: `Kefu web (${Stack.of(this).stackName})`,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: router, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Shops sell to any country; geo restriction is a per-shop business decision left to operators.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'Static, public, read-only assets; a WAF web ACL (us-east-1, billed per rule) is left to operators. The APIs authenticate every call and are throttled per stage.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'Served on the default *.cloudfront.net certificate, which CloudFront pins to TLSv1; a custom domain with its ACM certificate (and TLSv1.2_2021) is an operator setting.',
      },
    );

    const sources: ISource[] = [Source.jsonData('config.json', props.config)];
    if (existsSync(props.distDir)) sources.unshift(Source.asset(props.distDir));
    else {
      Annotations.of(this).addInfo(`${props.distDir} does not exist: only config.json is deployed. Run \`npm run build:web\` (cdk.json runs it before synth).`);
    }
    const deployment = new BucketDeployment(this, 'deploy', {
      sources,
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      // File names carry no content hash: let browsers and the CDN reuse a file for five minutes only.
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.minutes(5))],
      memoryLimit: 512,
    });
    acknowledgeDeploymentHandler(this, deployment);
  }
}

/**
 * BucketDeployment runs a CDK-owned singleton Lambda (Python + AWS CLI layer) at deploy time only;
 * its role, policy and runtime are set by aws-cdk-lib, so its findings are acknowledged on that
 * singleton, one by one.
 */
function acknowledgeDeploymentHandler(scope: WebHosting, deployment: BucketDeployment): void {
  const stack = Stack.of(scope);
  const qualifier = String(stack.node.tryGetContext(BOOTSTRAP_QUALIFIER_CONTEXT) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER);
  const s3Wildcards = ['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'];
  const buckets = [`arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*`, `<${logicalIdOf(scope.bucket)}.Arn>/*`];
  const handlers = stack.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (handlers.length === 0) throw new Error(`no BucketDeployment handler found for ${deployment.node.path}`);
  for (const handler of handlers) {
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'CDK BucketDeployment handler (deploy time only) uses the AWS-managed basic execution policy for its logs.',
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'CDK BucketDeployment handler: aws-cdk-lib chooses and updates its runtime; it runs only during deployments.',
      },
      ...s3Wildcards.map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: 'CDK BucketDeployment copies the web assets from the CDK asset bucket into the site bucket (grantRead/grantReadWrite action groups).',
      })),
      ...buckets.map((bucket) => ({
        id: `AwsSolutions-IAM5[Resource::${bucket}]`,
        reason: 'Objects of the CDK asset bucket (source) and of the Kefu site bucket (destination) only.',
      })),
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'cloudfront:CreateInvalidation/GetInvalidation after each deployment, granted by aws-cdk-lib on "*".',
      },
    );
  }
}
