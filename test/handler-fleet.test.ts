/**
 * Fleet impact through the real handler (test/support/relay-harness.ts): FLEET_REGIONS set as the stack sets it,
 * SSM stubbed with aws-sdk-client-mock (there is no local SSM), or left pointing at a closed loopback port.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSqsEvent } from './support/events.js';
import { type RelayHarness, startRelayHarness } from './support/relay-harness.js';
import type { RecordedRequest } from './support/slack-stand-in.js';

jest.setTimeout(30_000);

const CHANNEL = 'C0ALERTS01';
const [page1, page2] = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'inventory', 'mixed-fleet.json'), 'utf8'));

let relay: RelayHarness | undefined;

afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

function textOf(message: RecordedRequest | undefined): string {
  return JSON.stringify(message?.blocks ?? []);
}

describe('the handler with fleet impact on', () => {
  test('a release alert counts the instances SSM Inventory lists, and the thread names them', async () => {
    relay = await startRelayHarness({ channels: [CHANNEL], env: { FLEET_REGIONS: 'us-east-1' } });
    // From the harness's fresh module registry: the very SSMClient class the handler will import.
    const { SSMClient, GetInventoryCommand } = require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm');
    const { mockClient } = require('aws-sdk-client-mock') as typeof import('aws-sdk-client-mock');
    mockClient(SSMClient).on(GetInventoryCommand).resolvesOnce(page1).resolvesOnce(page2);

    await relay.receive(loadSqsEvent('pv-8.6.1'));

    const [main, ...thread] = relay.slack.messages(CHANNEL);
    expect(textOf(main)).toContain('4 instances to update (2 on Windows Server 2016, 2019 to 8.6.1');
    expect(thread.map(textOf).join('')).toContain('Key=InstanceIds,Values=i-0a1b2c3d4e5f60004');
    expect(relay.emails()[0]?.message).toContain('Your fleet');
  });

  test('with SSM unreachable the alert still goes out, says why, and FleetImpactUnavailable is counted', async () => {
    relay = await startRelayHarness({ channels: [CHANNEL], env: { FLEET_REGIONS: 'us-east-1' } });

    await relay.receive(loadSqsEvent('pv-8.6.1'));

    const [main] = relay.slack.messages(CHANNEL);
    expect(textOf(main)).toContain('Fleet impact unavailable: GetInventory failed in us-east-1');
    expect(relay.emails()).toHaveLength(1);
    expect(relay.logs.metric('FleetImpactUnavailable')).toBe(1);
  });
});
