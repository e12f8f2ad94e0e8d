import { join } from 'node:path';
import { runCli as run } from './support/cli-run';

const EVENTS = join(__dirname, 'fixtures', 'events');
const INVENTORY = join(__dirname, 'fixtures', 'inventory');

const render = (format: string, inventory?: string) =>
  run([
    'render',
    '--event',
    join(EVENTS, 'pv-8.6.1.json'),
    '--format',
    format,
    ...(inventory === undefined ? [] : ['--inventory', join(INVENTORY, inventory)]),
  ]);

describe('driver-relay render --inventory', () => {
  test('adds fleet to the alert JSON: each instance with its target and action, counts and commands', async () => {
    const { code, stdout } = await render('json', 'mixed-fleet.json');

    expect(code).toBe(0);
    const [alert] = JSON.parse(stdout).alerts;
    expect(alert.fleet.instances).toContainEqual({
      instanceId: 'i-0a1b2c3d4e5f60004',
      windowsServer: 'Windows Server 2012 R2',
      installedVersion: '8.4.2',
      targetVersion: '8.4.3',
      action: 'install',
    });
    expect(alert.fleet.summary).toEqual({
      instances: 10,
      install: 4,
      upToDate: 3,
      notInstalled: 1,
      unknown: 2,
      rollBack: 0,
    });
    expect(alert.fleet.commands.map((group: { targetVersion: string }) => group.targetVersion)).toEqual([
      '8.6.1',
      '8.4.3',
      '8.3.5',
    ]);
  });

  test('without --inventory an alert has no fleet', async () => {
    const [alert] = JSON.parse((await render('json')).stdout).alerts;
    expect(alert).not.toHaveProperty('fleet');
  });

  test('the text alert has a "Your fleet" section with the counts and the commands', async () => {
    const { stdout } = await render('text', 'mixed-fleet.json');
    expect(stdout).toContain(
      'Your fleet\n----------\n  4 instances to update (2 on Windows Server 2016, 2019 to 8.6.1,',
    );
    expect(stdout).toContain('--targets "Key=InstanceIds,Values=i-0a1b2c3d4e5f60004"');
  });

  test('the email body carries the same section', async () => {
    const [email] = JSON.parse((await render('email', 'mixed-fleet.json')).stdout).emails;
    expect(email.body).toContain('Your fleet');
    expect(email.body).toContain('3 up to date');
  });

  test('Slack counts the fleet in the main message and lists every instance ID in the thread', async () => {
    const [message] = JSON.parse((await render('slack', 'large-fleet.json')).stdout).messages;
    const main = JSON.stringify(message.blocks);
    expect(main).toContain('120 instances to update (60 on Windows Server 2019 to 8.6.1, 60 on 2012 R2 to 8.4.3)');
    expect(main).not.toContain('i-0b000000000000000');
    const thread = JSON.stringify(message.thread);
    for (let i = 0; i < 120; i++) expect(thread).toContain(`i-0b00000000000${String(i).padStart(4, '0')}`);
    for (const reply of message.thread) {
      expect(reply.blocks.length).toBeLessThanOrEqual(50);
      expect(JSON.stringify(reply.blocks).length).toBeLessThan(12_000);
      for (const block of reply.blocks) expect(block.text.text.length).toBeLessThanOrEqual(3000);
    }
  });

  test('an inventory file that is not GetInventory pages fails the command and says why', async () => {
    const { code, stderr } = await render('json', '../events/not-json.txt');
    expect(code).toBe(1);
    expect(stderr).toMatch(/inventory is not JSON/);
  });
});
