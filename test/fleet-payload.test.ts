import { renderEmail } from '../lambda/core/email-message';
import { fleetImpact } from '../lambda/core/fleet';
import type { FleetView } from '../lambda/core/fleet-wording';
import type { InventoryPage } from '../lambda/core/inventory-page';
import { renderSlackMessages } from '../lambda/core/slack-message';
import { renderText } from '../lambda/core/terminal-text';
import { alertWithManyDetailLines, pvAlert } from './support/alerts';
import { emailProblems, plainTextProblems, slackProblems } from './support/payload-checks';

const LONG = 'x'.repeat(2000);

/** An alert with every part as long as it can be, so the fleet section must fit what is left. */
const crowded = alertWithManyDetailLines(300, {
  notices: [LONG, LONG, LONG],
  caveats: [LONG, LONG],
  original: { subject: LONG, message: LONG.repeat(5) },
  windowsServer: pvAlert().windowsServer.map((row) => ({ ...row, recommendation: LONG })),
  family: 'aws-pv',
  familyName: 'AWS PV',
  version: '8.6.1',
});

function page(count: number, id: (i: number) => string, platformName: string, version = '8.4.0'): InventoryPage {
  return {
    Entities: Array.from({ length: count }, (_, i) => ({
      Id: id(i),
      Data: {
        'AWS:InstanceInformation': { Content: [{ PlatformName: platformName }] },
        'AWS:Application': { Content: [{ Name: 'AWS PV Drivers', Version: version }] },
      },
    })),
  };
}

function problems(view: FleetView): string[] {
  return [
    ...slackProblems(renderSlackMessages(crowded, view)),
    ...emailProblems(renderEmail(crowded, view)),
    ...plainTextProblems('terminal text', renderText(crowded, view)),
  ];
}

describe('the fleet section within Slack, SNS and terminal limits', () => {
  test('12,000 instances across two Windows Server versions still make a message Slack accepts', () => {
    const pages = [
      page(6000, (i) => `i-0c${String(i).padStart(15, '0')}`, 'Microsoft Windows Server 2019 Datacenter'),
      page(6000, (i) => `i-0d${String(i).padStart(15, '0')}`, 'Microsoft Windows Server 2012 R2 Standard'),
    ];
    const fleet = fleetImpact(crowded, [{ region: 'eu-west-1', pages }]);
    expect(fleet.summary.install).toBe(12_000);
    expect(problems({ kind: 'fleet', fleet })).toEqual([]);
  });

  test('hostile inventory text (IDs, platform names) and a hostile reason are escaped, never mentions or links', () => {
    const pages = [
      page(3, (i) => `<!channel> <https://evil.example|click> ${i}`, '<@U123> Windows Server 2019 \u001b[2J'),
    ];
    const fleet = fleetImpact(crowded, [{ region: null, pages }]);
    expect(problems({ kind: 'fleet', fleet })).toEqual([]);
    expect(
      problems({ kind: 'unavailable', reason: '<!here> \u001b[31m AccessDenied <https://evil.example|x>' }),
    ).toEqual([]);
  });
});
