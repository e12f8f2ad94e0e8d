import { RelayError } from '../core/errors.js';
import type { DeliveryStore } from '../ports.js';
import { AwsApiError, type AwsJsonCall, awsJsonApi, DYNAMODB } from './aws-json-api.js';

export interface DynamoDeliveryStoreOptions {
  /** Sends DynamoDB operations. @default awsJsonApi(DYNAMODB): the function's region and credentials */
  readonly dynamodb?: AwsJsonCall;
  /** Table with partition key `pk` (string) and TTL on `expiresAt` (epoch seconds). */
  readonly tableName: string;
  /** @default Date.now */
  readonly now?: () => number;
  /**
   * How long a record is kept: longer than SNS and SQS keep retrying, and as long as the version-history watch may
   * amend the alert (60 days), since the watch finds the alert's Slack message by the record's ref. @default 61 days
   */
  readonly retentionMs?: number;
}

/** `${messageId}#${alertIndex}#${destinationId}`, e.g. `3f1c...#0#slack:C0123456789`. */
export function deliveryKey(messageId: string, alertIndex: number, destinationId: string): string {
  return `${messageId}#${alertIndex}#${destinationId}`;
}

const SIXTY_ONE_DAYS_MS = 61 * 24 * 60 * 60 * 1000;

/** A claim can lose to a release between our write and our read; a few tries settle it. */
const CLAIM_ATTEMPTS = 3;

/**
 * Records, one per key:
 *   { pk, state: 'in-progress', owner, leaseExpiresAt (epoch ms), expiresAt }  while an invocation is sending;
 *   { pk, state: 'delivered', owner, deliveredAt, ref?, expiresAt }            once it went out.
 * Every DynamoDB failure other than a lost condition throws RelayError 'store-unavailable'.
 */
export function createDeliveryStore({
  dynamodb = awsJsonApi(DYNAMODB),
  tableName,
  now = Date.now,
  retentionMs = SIXTY_ONE_DAYS_MS,
}: DynamoDeliveryStoreOptions): DeliveryStore {
  const names = { '#state': 'state', '#owner': 'owner', '#lease': 'leaseExpiresAt' };
  const expiresAt = (at: number) => ({ N: String(Math.floor((at + retentionMs) / 1000)) });

  const unavailable = (action: string, key: string, error: unknown) =>
    new RelayError(
      'store-unavailable',
      `The delivery table ${tableName} could not ${action} ${key}: ${error instanceof AwsApiError ? error.code : String(error)}.`,
      { cause: error },
    );

  /**
   * One conditional write decides the race: it succeeds when there is no record, when the record is an
   * in-progress claim whose lease ran out (its invocation died), or when it is our own claim (the same owner
   * claiming again).
   */
  const tryClaim = async (key: string, owner: string, leaseMs: number): Promise<boolean> => {
    const at = now();
    try {
      await dynamodb('PutItem', {
        TableName: tableName,
        Item: {
          pk: { S: key },
          state: { S: 'in-progress' },
          owner: { S: owner },
          leaseExpiresAt: { N: String(at + leaseMs) },
          expiresAt: expiresAt(at),
        },
        ConditionExpression:
          'attribute_not_exists(pk) OR (#state = :inProgress AND (#lease < :now OR #owner = :owner))',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ':inProgress': { S: 'in-progress' },
          ':now': { N: String(at) },
          ':owner': { S: owner },
        },
      });
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw unavailable('claim', key, error);
    }
  };

  const readState = async (key: string): Promise<string | undefined> => {
    try {
      const { Item } = (await dynamodb('GetItem', {
        TableName: tableName,
        Key: { pk: { S: key } },
        ConsistentRead: true,
      })) as { Item?: { state?: { S?: string } } };
      return Item?.state?.S;
    } catch (error) {
      throw unavailable('read', key, error);
    }
  };

  return {
    async claim(key, owner, leaseMs) {
      for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
        if (await tryClaim(key, owner, leaseMs)) return 'claimed';
        const state = await readState(key);
        if (state === 'delivered') return 'delivered';
        if (state !== undefined) return 'in-progress-elsewhere';
      }
      return 'in-progress-elsewhere';
    },

    /**
     * Unconditional on purpose: the message has gone out, so the record must say so even if our lease ran out and
     * another invocation took the claim over; refusing would only invite one more duplicate.
     */
    async markDelivered(key, owner, { ref }) {
      const at = now();
      try {
        await dynamodb('UpdateItem', {
          TableName: tableName,
          Key: { pk: { S: key } },
          UpdateExpression: `SET #state = :delivered, #owner = :owner, deliveredAt = :at, expiresAt = :expiresAt${ref === undefined ? '' : ', #ref = :ref'} REMOVE #lease`,
          ExpressionAttributeNames: {
            '#state': 'state',
            '#owner': 'owner',
            '#lease': 'leaseExpiresAt',
            ...(ref === undefined ? {} : { '#ref': 'ref' }),
          },
          ExpressionAttributeValues: {
            ':delivered': { S: 'delivered' },
            ':owner': { S: owner },
            ':at': { N: String(at) },
            ':expiresAt': expiresAt(at),
            ...(ref === undefined ? {} : { ':ref': { S: ref } }),
          },
        });
      } catch (error) {
        throw unavailable('record the delivery of', key, error);
      }
    },

    /** Removes only our own in-progress claim: a delivered record or someone else's claim stays. */
    async release(key, owner) {
      try {
        await dynamodb('DeleteItem', {
          TableName: tableName,
          Key: { pk: { S: key } },
          ConditionExpression: '#state = :inProgress AND #owner = :owner',
          ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
          ExpressionAttributeValues: { ':inProgress': { S: 'in-progress' }, ':owner': { S: owner } },
        });
      } catch (error) {
        if (conditionFailed(error)) return;
        throw unavailable('release', key, error);
      }
    },
  };
}

function conditionFailed(error: unknown): boolean {
  return error instanceof AwsApiError && error.code === 'ConditionalCheckFailedException';
}
