import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetInventoryCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { readWindowsInventory } from '../lambda/adapters/ssm-inventory';

const [page1, page2] = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'inventory', 'mixed-fleet.json'), 'utf8'));
const ssm = mockClient(SSMClient);
const client = new SSMClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' } });
const options = { regions: ['us-east-1'], clientFor: () => client };
const later = () => Date.now() + 10_000;

function awsError(name: string): Error {
  return Object.assign(new Error(`${name} message`), { name, $metadata: {} });
}

beforeEach(() => ssm.reset());

describe('reading Windows inventory from SSM', () => {
  test('follows NextToken through every page, asking only for Windows and the two inventory types', async () => {
    ssm.on(GetInventoryCommand).resolvesOnce(page1).resolvesOnce(page2);

    const result = await readWindowsInventory(options, later());

    expect(result.kind).toBe('read');
    const pages = result.kind === 'read' ? (result.inventories[0]?.pages ?? []) : [];
    expect(pages.flatMap((page) => page.Entities ?? [])).toHaveLength(10);
    const calls = ssm.commandCalls(GetInventoryCommand).map((call) => call.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({
      Filters: [{ Key: 'AWS:InstanceInformation.PlatformType', Values: ['Windows'], Type: 'Equal' }],
      ResultAttributes: [{ TypeName: 'AWS:InstanceInformation' }, { TypeName: 'AWS:Application' }],
    });
    expect(calls[1]?.NextToken).toBe('AAEAAQ-page-2');
  });

  test('reads each configured region with its own client', async () => {
    ssm.on(GetInventoryCommand).resolves(page2);
    const regions: string[] = [];
    const result = await readWindowsInventory(
      {
        regions: ['us-east-1', 'eu-west-1'],
        clientFor: (region) => {
          regions.push(region);
          return client;
        },
      },
      later(),
    );
    expect(regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(result.kind === 'read' && result.inventories.map((i) => i.region)).toEqual(['us-east-1', 'eu-west-1']);
  });

  test.each([
    ['ThrottlingException', 'throttled', 'SSM throttled GetInventory in us-east-1'],
    ['AccessDeniedException', 'access-denied', 'the function may not call ssm:GetInventory in us-east-1'],
    ['InternalServerError', 'failed', 'GetInventory failed in us-east-1: InternalServerError'],
  ])('%s gives no fleet and a reason, without throwing', async (name, problem, reason) => {
    ssm.on(GetInventoryCommand).rejects(awsError(name));
    const result = await readWindowsInventory(options, later());
    expect(result).toMatchObject({ kind: 'unavailable', problem, reason: expect.stringContaining(reason) });
  });

  test('an empty inventory says to turn inventory collection on', async () => {
    ssm.on(GetInventoryCommand).resolves({ Entities: [] });
    expect(await readWindowsInventory(options, later())).toMatchObject({
      kind: 'unavailable',
      problem: 'empty',
      reason: expect.stringContaining('Quick Setup turns it on'),
    });
  });

  test('stops between pages once the deadline has passed', async () => {
    ssm.on(GetInventoryCommand).resolves(page1);
    let clock = 0;
    const result = await readWindowsInventory(
      {
        ...options,
        now: () => {
          clock += 400;
          return clock;
        },
      },
      1_000,
    );
    expect(result).toMatchObject({ kind: 'unavailable', problem: 'timeout' });
    expect(ssm.commandCalls(GetInventoryCommand).length).toBeLessThanOrEqual(2);
  });
});
