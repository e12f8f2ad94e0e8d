import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMemoryDeliveryStore } from '../lambda/adapters/memory-delivery-store';
import type { InventoryResult } from '../lambda/adapters/ssm-inventory';
import { parseInventoryJson } from '../lambda/core/inventory-page';
import type { RenderedAlert, Sender } from '../lambda/ports';
import { deliverEvery } from '../lambda/relay';
import { pvAlert, unrecognisedAlert } from './support/alerts';
import { countedMetrics } from './support/counted-metrics';

const pages = parseInventoryJson(readFileSync(join(__dirname, 'fixtures', 'inventory', 'mixed-fleet.json'), 'utf8'));
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function capture(): { destination: Sender; sent: RenderedAlert[] } {
  const sent: RenderedAlert[] = [];
  return {
    sent,
    destination: {
      id: 'capture',
      send: async (alert) => {
        sent.push(alert);
        return undefined;
      },
    },
  };
}

async function relay(inventory: ((deadline: number) => Promise<InventoryResult>) | undefined, now = Date.now()) {
  const { destination, sent } = capture();
  const { metrics, counted } = countedMetrics();
  await deliverEvery(
    [pvAlert(), unrecognisedAlert()],
    {
      destinations: [destination],
      store: createMemoryDeliveryStore(),
      logger: quiet,
      metrics,
      now: () => now,
      ...(inventory === undefined ? {} : { inventory }),
    },
    { owner: 'test', deadline: now + 60_000 },
  );
  return { sent, counted: counted() };
}

describe('the relay with fleet impact on', () => {
  test('a release alert goes out with its fleet counted in Slack and email', async () => {
    const { sent } = await relay(async () => ({ kind: 'read', inventories: [{ region: 'us-east-1', pages }] }));

    const [release] = sent;
    expect(JSON.stringify(release?.slack.main.blocks)).toContain('4 instances to update');
    expect(release?.email.body).toContain('--region us-east-1');
    expect(JSON.stringify(sent[1]?.slack)).not.toContain('Your fleet');
  });

  test('the inventory read is bounded well before the delivery deadline', async () => {
    const now = 1_000_000;
    const deadlines: number[] = [];
    await relay(async (deadline) => {
      deadlines.push(deadline);
      return { kind: 'read', inventories: [] };
    }, now);
    expect(deadlines).toEqual([now + 10_000]);
  });

  test('when SSM refuses, the alert still goes out, says why, and FleetImpactUnavailable is counted', async () => {
    const { sent, counted } = await relay(async () => ({
      kind: 'unavailable',
      problem: 'access-denied',
      reason: 'the function may not call ssm:GetInventory in us-east-1',
    }));

    expect(sent).toHaveLength(2);
    expect(sent[0]?.email.body).toContain(
      'Fleet impact unavailable: the function may not call ssm:GetInventory in us-east-1',
    );
    expect(counted).toMatchObject({ FleetImpactUnavailable: 1, Delivered: 2 });
  });

  test('an inventory reader that throws is treated as unavailable, not as a failed delivery', async () => {
    const { sent, counted } = await relay(async () => {
      throw new Error('socket hang up');
    });
    expect(sent).toHaveLength(2);
    expect(counted).toMatchObject({ FleetImpactUnavailable: 1 });
  });

  test('with fleet impact off there is no fleet section and no read', async () => {
    const { sent } = await relay(undefined);
    expect(sent[0]?.email.body).not.toContain('Your fleet');
  });
});
