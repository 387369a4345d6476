import { Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { describe, fail } from '../validation/rules';

/** What an `IngestionAuthorization` sets on the ingestion method. */
export interface IngestionAuthorizationConfig {
  /** The authorization type of the method. */
  readonly authorizationType: apigw.AuthorizationType;
  /** The authorizer, for Cognito and custom authorization. */
  readonly authorizer?: apigw.IAuthorizer;
  /** OAuth scopes the method requires (Cognito). */
  readonly authorizationScopes?: string[];
}

/**
 * Who may send events to an `HttpIngestionApi`. There is no anonymous option: an open ingestion endpoint lets anyone
 * fill the stream.
 */
export abstract class IngestionAuthorization {
  /**
   * AWS IAM (SigV4-signed requests): for services and devices with AWS credentials. Grant callers with
   * `api.grantIngest(role)`.
   */
  public static iam(): IngestionAuthorization {
    return new (class extends IngestionAuthorization {
      public readonly isIam = true;
      public bind(): IngestionAuthorizationConfig {
        return { authorizationType: apigw.AuthorizationType.IAM };
      }
    })();
  }

  /**
   * Amazon Cognito user pools: for users of an app, with their ID or access tokens.
   *
   * @param userPools the user pools whose tokens are accepted
   * @param scopes OAuth scopes the access token must have @default - none (ID tokens are accepted)
   */
  public static cognito(userPools: cognito.IUserPool[], scopes?: string[]): IngestionAuthorization {
    if (!Array.isArray(userPools) || userPools.length === 0 || userPools.some((p) => p === undefined || p === null)) {
      fail('IngestionAuthorization.cognito', `userPools must name at least one Cognito user pool, got ${describe(userPools)}: `
        + 'a Cognito authorizer without a user pool accepts no token; pass the pools whose users may send events');
    }
    if (scopes !== undefined && (!Array.isArray(scopes) || scopes.some((sc) => typeof sc !== 'string' || (!Token.isUnresolved(sc) && !/^\S+$/.test(sc))))) {
      fail('IngestionAuthorization.cognito', `scopes must be non-empty OAuth scope names without spaces, got ${JSON.stringify(scopes)}`);
    }
    return new (class extends IngestionAuthorization {
      public readonly isIam = false;
      public bind(scope: Construct): IngestionAuthorizationConfig {
        const authorizer = new apigw.CognitoUserPoolsAuthorizer(scope, 'Authorizer', { cognitoUserPools: userPools });
        return { authorizationType: apigw.AuthorizationType.COGNITO, authorizer, authorizationScopes: scopes };
      }
    })();
  }

  /**
   * A Lambda authorizer of your own (`apigw.TokenAuthorizer` or `apigw.RequestAuthorizer`), e.g. for API keys
   * checked against your own store or tokens of another identity provider.
   *
   * @param authorizer the authorizer the ingestion method uses
   */
  public static custom(authorizer: apigw.IAuthorizer): IngestionAuthorization {
    if (authorizer === undefined || authorizer === null || typeof authorizer.authorizerId !== 'string') {
      fail('IngestionAuthorization.custom', `authorizer must be an API Gateway authorizer (apigw.IAuthorizer), got ${describe(authorizer)}`);
    }
    return new (class extends IngestionAuthorization {
      public readonly isIam = false;
      public bind(): IngestionAuthorizationConfig {
        return { authorizationType: authorizer.authorizationType ?? apigw.AuthorizationType.CUSTOM, authorizer };
      }
    })();
  }

  /** Whether callers sign their requests with AWS credentials. */
  public abstract readonly isIam: boolean;

  /**
   * Creates what the method needs, under `scope`.
   *
   * @param scope the API construct
   */
  public abstract bind(scope: Construct): IngestionAuthorizationConfig;
}
