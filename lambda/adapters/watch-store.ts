import { NOTICE_KINDS } from '../core/alert.js';
import { type DriverFamily, isDriverFamily } from '../core/driver-family.js';
import { RelayError } from '../core/errors.js';
import type { FamilyWatchState } from '../core/watch.js';
import type { AlertRecord, WatchStore } from '../ports.js';
import { AwsApiError, type AwsJsonCall, awsJsonApi, DYNAMODB } from './aws-json-api.js';

export interface DynamoWatchStoreOptions {
  /** @default awsJsonApi(DYNAMODB): the function's region and credentials */
  readonly dynamodb?: AwsJsonCall;
  /** The delivery table (partition key `pk`, TTL on `expiresAt`): the watch's items live beside the deliveries. */
  readonly tableName: string;
  /** How long an alert record is kept: the watch amends alerts of the last 60 days. @default 61 days */
  readonly retentionMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

type Attribute = {
  S?: string;
  N?: string;
  BOOL?: boolean;
  NULL?: boolean;
  L?: Attribute[];
  M?: Record<string, Attribute>;
};
type Item = Record<string, Attribute>;

const ALERT_PREFIX = 'alert#';
const alertKey = (messageId: string, index: number) => `${ALERT_PREFIX}${messageId}#${index}`;
const familyKey = (family: DriverFamily) => `watch#${family}`;

/**
 * The watch's items, in the delivery table:
 *   { pk: alert#<messageId>#<index>, family, version, kind, notesPublished, releaseDate, rolledBack, source,
 *     subject, message, sentAt, destinations, expiresAt }   one per alert sent, for 61 days;
 *   { pk: watch#<family>, newest, rows, pending, shrunkRows, shrunkSince, revision }   one per family.
 * Alert records are found with a Scan (the table holds a few items per notification, a few notifications a month:
 * a Scan reads kilobytes, and an index would cost more than it saves).
 * Every DynamoDB failure other than a lost condition throws RelayError 'store-unavailable'.
 */
export function createWatchStore({
  dynamodb = awsJsonApi(DYNAMODB),
  tableName,
  retentionMs = 61 * DAY_MS,
}: DynamoWatchStoreOptions): WatchStore {
  const call = async (operation: string, input: object, what: string) => {
    try {
      return await dynamodb(operation, { TableName: tableName, ...input });
    } catch (error) {
      if (conditionFailed(error)) throw error;
      throw new RelayError(
        'store-unavailable',
        `The delivery table ${tableName} could not ${what}: ${error instanceof AwsApiError ? error.code : String(error)}.`,
        { cause: error },
      );
    }
  };

  return {
    async remember(records) {
      for (const record of records) {
        try {
          await call(
            'PutItem',
            { Item: alertItem(record, retentionMs), ConditionExpression: 'attribute_not_exists(pk)' },
            `keep the record of alert ${record.index} of message ${record.messageId}`,
          );
        } catch (error) {
          if (!conditionFailed(error)) throw error;
        }
      }
    },

    async sentSince(since) {
      const records: AlertRecord[] = [];
      let startKey: Item | undefined;
      do {
        const page = (await call(
          'Scan',
          {
            ConsistentRead: true,
            FilterExpression: 'begins_with(pk, :alert) AND sentAt >= :since',
            ExpressionAttributeValues: { ':alert': { S: ALERT_PREFIX }, ':since': { N: String(since) } },
            ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
          },
          'read the alert records',
        )) as { Items?: Item[]; LastEvaluatedKey?: Item };
        for (const item of page.Items ?? []) {
          const record = alertRecord(item);
          if (record !== undefined) records.push(record);
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      return records.sort((a, b) => a.sentAt - b.sentAt);
    },

    async markAmended({ messageId, index }, state) {
      await call(
        'UpdateItem',
        {
          Key: { pk: { S: alertKey(messageId, index) } },
          UpdateExpression: 'SET notesPublished = :notes, releaseDate = :date, rolledBack = :rolledBack',
          ExpressionAttributeValues: {
            ':notes': { BOOL: state.notesPublished },
            ':date': nullable(state.releaseDate),
            ':rolledBack': { BOOL: state.rolledBack },
          },
        },
        `record the amendment of alert ${index} of message ${messageId}`,
      );
    },

    async familyState(family) {
      const { Item } = (await call(
        'GetItem',
        { Key: { pk: { S: familyKey(family) } }, ConsistentRead: true },
        `read the watch state of ${family}`,
      )) as { Item?: Item };
      if (Item === undefined) return undefined;
      const pending: Record<string, number> = {};
      for (const [version, at] of Object.entries(Item.pending?.M ?? {})) pending[version] = Number(at.N);
      const shrunkRows = Item.shrunkRows?.N;
      const shrunkSince = Item.shrunkSince?.N;
      const state: FamilyWatchState = {
        newest: Item.newest?.S ?? null,
        rows: Number(Item.rows?.N ?? 0),
        pending,
        shrunk:
          shrunkRows === undefined || shrunkSince === undefined
            ? null
            : { rows: Number(shrunkRows), since: Number(shrunkSince) },
      };
      return { state, revision: Number(Item.revision?.N ?? 0) };
    },

    async saveFamilyState(family, state, revision) {
      const pending = Object.fromEntries(Object.entries(state.pending).map(([v, at]) => [v, { N: String(at) }]));
      try {
        await call(
          'PutItem',
          {
            Item: {
              pk: { S: familyKey(family) },
              newest: nullable(state.newest),
              rows: { N: String(state.rows) },
              pending: { M: pending },
              ...(state.shrunk === null
                ? {}
                : { shrunkRows: { N: String(state.shrunk.rows) }, shrunkSince: { N: String(state.shrunk.since) } }),
              revision: { N: String((revision ?? 0) + 1) },
            },
            ...(revision === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: 'revision = :revision',
                  ExpressionAttributeValues: { ':revision': { N: String(revision) } },
                }),
          },
          `save the watch state of ${family}`,
        );
        return true;
      } catch (error) {
        if (conditionFailed(error)) return false;
        throw error;
      }
    },

    async deliveredRef(key) {
      const { Item } = (await call(
        'GetItem',
        { Key: { pk: { S: key } }, ConsistentRead: true },
        `read the delivery record ${key}`,
      )) as { Item?: Item };
      return Item?.state?.S === 'delivered' ? Item.ref?.S : undefined;
    },
  };
}

function alertItem(record: AlertRecord, retentionMs: number): Item {
  return {
    pk: { S: alertKey(record.messageId, record.index) },
    messageId: { S: record.messageId },
    index: { N: String(record.index) },
    family: { S: record.family },
    version: { S: record.version },
    kind: { S: record.kind },
    notesPublished: { BOOL: record.notesPublished },
    releaseDate: nullable(record.releaseDate ?? null),
    rolledBack: { BOOL: record.rolledBack },
    source: { S: record.source },
    subject: nullable(record.subject),
    message: { S: record.message },
    sentAt: { N: String(record.sentAt) },
    destinations: { L: record.destinations.map((id) => ({ S: id })) },
    expiresAt: { N: String(Math.floor((record.sentAt + retentionMs) / 1000)) },
  };
}

/** An item as a record; undefined for one this code did not write (it is skipped, never guessed at). */
function alertRecord(item: Item): AlertRecord | undefined {
  const family = item.family?.S;
  const kind = NOTICE_KINDS.find((candidate) => candidate === item.kind?.S);
  const source = item.source?.S;
  const message = item.message?.S;
  const version = item.version?.S;
  if (family === undefined || !isDriverFamily(family) || kind === undefined || version === undefined) return undefined;
  if ((source !== 'notice' && source !== 'version-history') || message === undefined) return undefined;
  return {
    messageId: item.messageId?.S ?? '',
    index: Number(item.index?.N ?? 0),
    family,
    version,
    kind,
    notesPublished: item.notesPublished?.BOOL === true,
    releaseDate: item.releaseDate?.S ?? null,
    rolledBack: item.rolledBack?.BOOL === true,
    source,
    subject: item.subject?.S ?? null,
    message,
    sentAt: Number(item.sentAt?.N ?? 0),
    destinations: (item.destinations?.L ?? []).flatMap((id) => (id.S === undefined ? [] : [id.S])),
  };
}

function nullable(value: string | null): Attribute {
  return value === null ? { NULL: true } : { S: value };
}

function conditionFailed(error: unknown): boolean {
  return error instanceof AwsApiError && error.code === 'ConditionalCheckFailedException';
}
