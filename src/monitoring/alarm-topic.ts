import { Aspects, IAspect, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, IConstruct } from 'constructs';

/**
 * Adds actions to every CloudWatch alarm it visits, when it fires and when it recovers. Apply it with
 * `Aspects.of(scope).add(new RouteAlarms(actions))` to send all alarms of a pipeline, a stack or an app to the same
 * place, including alarms added after this line.
 */
export class RouteAlarms implements IAspect {
  private readonly actions: cloudwatch.IAlarmAction[];
  private readonly routed = new WeakSet<cloudwatch.Alarm>();

  /**
   * @param actions actions to run when an alarm fires and when it recovers
   */
  constructor(actions: cloudwatch.IAlarmAction[]) {
    this.actions = [...actions];
  }

  /**
   * Adds the actions to `node` if it is an alarm (once).
   *
   * @param node the construct visited
   */
  public visit(node: IConstruct): void {
    if (!(node instanceof cloudwatch.Alarm) || this.routed.has(node) || this.actions.length === 0) return;
    this.routed.add(node);
    node.addAlarmAction(...this.actions);
    node.addOkAction(...this.actions);
  }
}

/** Properties of an `AlarmTopic`. */
export interface AlarmTopicProps {
  /**
   * Name of the topic.
   *
   * @default - a name CloudFormation generates
   */
  readonly topicName?: string;
  /**
   * Key the topic is encrypted with. CloudWatch must be allowed to use it: the construct adds that grant to a key
   * it creates, and to a key of yours when the key is in the same stack.
   *
   * @default - a customer managed key with rotation on
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Email addresses subscribed to the topic (each confirms by email).
   *
   * @default - no subscriptions
   */
  readonly emailAddresses?: string[];
}

/**
 * One encrypted SNS topic for every alarm of a pipeline: KMS-encrypted (CloudWatch may use the key, nothing else is
 * opened), TLS enforced on publish and subscribe. `routeAlarmsOf(scope)` sends every alarm under a construct to it.
 */
export class AlarmTopic extends Construct {
  /** The topic. */
  public readonly topic: sns.Topic;
  /** The key the topic is encrypted with. */
  public readonly encryptionKey: kms.IKey;
  /** The alarm action that publishes to the topic. */
  public readonly alarmAction: cloudwatch.IAlarmAction;

  /**
   * @param scope the construct the topic is created in
   * @param id the topic's id, unique within `scope`
   * @param props its name, key and subscriptions
   */
  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey ?? new kms.Key(this, 'Key', {
      description: `Encrypts the alarm topic ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch publishes alarm notifications to an encrypted topic only if its key lets CloudWatch use it.
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }), false);
    this.topic = new sns.Topic(this, 'Resource', {
      topicName: props.topicName,
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });
    for (const address of props.emailAddresses ?? []) this.topic.addSubscription(new subscriptions.EmailSubscription(address));
    this.alarmAction = new cloudwatchActions.SnsAction(this.topic);
  }

  /**
   * Sends every alarm under `scope` to the topic, when it fires and when it recovers, including alarms added later.
   *
   * @param scope a pipeline, a stack or an app
   */
  public routeAlarmsOf(scope: IConstruct): void {
    Aspects.of(scope).add(new RouteAlarms([this.alarmAction]));
  }
}
