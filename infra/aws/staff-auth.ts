import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccountRecovery, FeaturePlan, Mfa, StandardThreatProtectionMode, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { STAFF_ROLES } from '#infra/manifest.ts';

/**
 * Staff identities: a Cognito user pool with one group per staff role and the console's public
 * app client. Accounts are created by an admin (no self sign-up); the HTTP API's JWT authorizer
 * trusts `issuer` for `audience`, and handlers read the roles from the `cognito:groups` claim.
 */
export class StaffAuth extends Construct {
  readonly userPool: UserPool;
  readonly consoleClient: UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new UserPool(this, 'staff', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      signInCaseSensitive: false,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of STAFF_ROLES) {
      this.userPool.addGroup(role, { groupName: role, description: `Kefu ${role}` });
    }
    this.consoleClient = this.userPool.addClient('console', {
      authFlows: { userPassword: true, userSrp: true },
      generateSecret: false,
      // The console signs in with the Cognito API (SRP or password), not the hosted UI: no OAuth flows.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional with TOTP only, so shared agent desks can sign in; Plus-tier threat protection (ENFORCED) challenges risky sign-ins. Admins can require MFA per user.',
    });
  }

  /** The OIDC issuer of staff tokens (the JWT authorizer and the handlers verify against it). */
  get issuer(): string {
    return `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }

  /** The audience (`aud` / `client_id`) staff tokens must carry: the console's app client. */
  get audience(): string {
    return this.consoleClient.userPoolClientId;
  }
}
