/**
 * DynamoDB for tests: dynalite in this process on 127.0.0.1 (port 0, in-memory), with the delivery table created.
 *
 *   const dynamo = await startDynalite();
 *   const store = createDeliveryStore({ dynamodb: dynamo.dynamodb, tableName: dynamo.tableName });
 *   await dynamo.close();
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type AwsJsonCall, awsJsonApi, DYNAMODB } from '../../lambda/adapters/aws-json-api.js';

interface DynaliteOptions {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

// dynalite ships no types (and *.d.ts files are git-ignored here), so it is required with the shape used below.
const dynalite: (options?: DynaliteOptions) => Server = require('dynalite');

export interface Dynalite {
  /** What the delivery store sends its operations with, pointed at this dynalite (fake credentials, us-east-1). */
  readonly dynamodb: AwsJsonCall;
  /** An AWS SDK client pointed at this dynalite, to set up and inspect tables. */
  readonly client: DynamoDBClient;
  readonly endpoint: string;
  readonly tableName: string;
  close(): Promise<void>;
}

export interface StartDynaliteOptions {
  /** @default 'deliveries' */
  readonly tableName?: string;
}

/** Creates a table shaped like the stack's delivery table: partition key `pk` (string), on-demand. */
export async function startDynalite({ tableName = 'deliveries' }: StartDynaliteOptions = {}): Promise<Dynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  // dynalite has no TTL API (UpdateTimeToLive); expiry is the stack's concern, the store only writes `expiresAt`.
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    client,
    dynamodb: awsJsonApi(DYNAMODB, {
      env: {
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      },
    }),
    endpoint,
    tableName,
    async close() {
      client.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve, reject) =>
        server.close((error?: Error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
