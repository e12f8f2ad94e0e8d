import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createDeliveryStore, deliveryKey } from '../lambda/adapters/delivery-store.js';
import { RelayError } from '../lambda/core/errors.js';
import { type Dynalite, startDynalite } from './support/dynalite.js';
import { STAND_IN_TEST_MS } from './support/timeouts.js';

// Real HTTP to loopback stand-ins and real waits: see support/timeouts.ts.
jest.setTimeout(STAND_IN_TEST_MS);

let dynamo: Dynalite;
let keyCounter = 0;

beforeAll(async () => {
  dynamo = await startDynalite();
});

afterAll(async () => {
  await dynamo.close();
});

/** A key of its own for each test, so tests sharing the table never see each other's records. */
function freshKey(): string {
  keyCounter += 1;
  return deliveryKey(`message-${keyCounter}`, 0, 'slack:C0123456789');
}

function storeAt(now: () => number = Date.now) {
  return createDeliveryStore({ dynamodb: dynamo.dynamodb, tableName: dynamo.tableName, now });
}

const MINUTE = 60_000;

describe('delivery store', () => {
  it('keys a delivery by message, alert and destination', () => {
    expect(deliveryKey('m-1', 2, 'email:arn:aws:sns:us-east-1:123456789012:alerts')).toBe(
      'm-1#2#email:arn:aws:sns:us-east-1:123456789012:alerts',
    );
  });

  it('gives a fresh delivery to the first invocation that claims it', async () => {
    await expect(storeAt().claim(freshKey(), 'request-a', MINUTE)).resolves.toBe('claimed');
  });

  it('tells a second invocation that the delivery is in progress elsewhere while the first holds it', async () => {
    const key = freshKey();
    await storeAt().claim(key, 'request-a', MINUTE);

    await expect(storeAt().claim(key, 'request-b', MINUTE)).resolves.toBe('in-progress-elsewhere');
  });

  it('lets a retry of the same invocation take its own claim again', async () => {
    const key = freshKey();
    await storeAt().claim(key, 'request-a', MINUTE);

    await expect(storeAt().claim(key, 'request-a', MINUTE)).resolves.toBe('claimed');
  });

  it('tells every later claim, the original owner included, that the delivery already went out', async () => {
    const key = freshKey();
    const store = storeAt();
    await store.claim(key, 'request-a', MINUTE);
    await store.markDelivered(key, 'request-a', { ref: '1700000000.000001' });

    await expect(store.claim(key, 'request-b', MINUTE)).resolves.toBe('delivered');
    await expect(store.claim(key, 'request-a', MINUTE)).resolves.toBe('delivered');
  });

  it('hands a crashed invocation’s claim to another once its lease has run out', async () => {
    const key = freshKey();
    const start = Date.now();
    await storeAt(() => start).claim(key, 'crashed-request', 1_000);

    await expect(storeAt(() => start + 999).claim(key, 'request-b', MINUTE)).resolves.toBe('in-progress-elsewhere');
    await expect(storeAt(() => start + 1_001).claim(key, 'request-b', MINUTE)).resolves.toBe('claimed');
  });

  it('lets another invocation claim a delivery whose sender released it after failing', async () => {
    const key = freshKey();
    const store = storeAt();
    await store.claim(key, 'request-a', MINUTE);
    await store.release(key, 'request-a');

    await expect(store.claim(key, 'request-b', MINUTE)).resolves.toBe('claimed');
  });

  it('does not release a claim held by another invocation', async () => {
    const key = freshKey();
    const store = storeAt();
    await store.claim(key, 'request-a', MINUTE);
    await store.release(key, 'request-b');

    await expect(store.claim(key, 'request-c', MINUTE)).resolves.toBe('in-progress-elsewhere');
  });

  it('does not release a delivery that went out', async () => {
    const key = freshKey();
    const store = storeAt();
    await store.claim(key, 'request-a', MINUTE);
    await store.markDelivered(key, 'request-a', {});
    await store.release(key, 'request-a');

    await expect(store.claim(key, 'request-b', MINUTE)).resolves.toBe('delivered');
  });

  it('records the delivery with its reference and an expiry 61 days later (the watch amends for 60) in epoch seconds', async () => {
    const key = freshKey();
    const newYear = Date.UTC(2025, 0, 1);
    const store = storeAt(() => newYear);
    await store.claim(key, 'request-a', MINUTE);
    await store.markDelivered(key, 'request-a', { ref: '1735689600.000100' });

    const { Item } = await dynamo.client.send(
      new GetItemCommand({ TableName: dynamo.tableName, Key: { pk: { S: key } }, ConsistentRead: true }),
    );
    expect(Item?.state?.S).toBe('delivered');
    expect(Item?.ref?.S).toBe('1735689600.000100');
    expect(Item?.expiresAt?.N).toBe(String(Date.UTC(2025, 2, 3) / 1000));
    expect(Item?.leaseExpiresAt).toBeUndefined();
  });

  it('fails with store-unavailable naming the table when DynamoDB cannot serve the claim', async () => {
    const store = createDeliveryStore({ dynamodb: dynamo.dynamodb, tableName: 'no-such-table' });

    const failure = await store.claim(freshKey(), 'request-a', MINUTE).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RelayError);
    expect(failure).toMatchObject({ code: 'store-unavailable' });
    expect((failure as Error).message).toContain('no-such-table');
    expect((failure as Error).message).toContain('ResourceNotFoundException');
  });
});
