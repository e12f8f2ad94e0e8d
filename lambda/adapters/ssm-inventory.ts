/**
 * Reads the account's Windows instances from SSM Inventory (GetInventory), page by page, in each configured region,
 * within a deadline. Nothing here throws: the alert must go out whatever SSM answers, so every failure comes back
 * as an `unavailable` result with a reason a person can act on, and the caller counts it (FleetImpactUnavailable).
 */
import { GetInventoryCommand, type GetInventoryCommandOutput, type SSMClient } from '@aws-sdk/client-ssm';
import { messageOf } from '../core/errors.js';
import type { RegionInventory } from '../core/fleet.js';
import { APPLICATION, INSTANCE_INFORMATION, type InventoryPage, parseInventoryPages } from '../core/inventory-page.js';

export type InventoryProblem = 'throttled' | 'access-denied' | 'timeout' | 'empty' | 'failed';

export type InventoryResult =
  | { readonly kind: 'read'; readonly inventories: readonly RegionInventory[] }
  | { readonly kind: 'unavailable'; readonly problem: InventoryProblem; readonly reason: string };

export interface InventoryReaderOptions {
  readonly regions: readonly string[];
  /** An SSM client for a region. @default a new SSMClient, loaded only when fleet impact is on */
  readonly clientFor: (region: string) => SSMClient;
  /** @default Date.now */
  readonly now?: () => number;
}

/** GetInventory's largest page. */
const PAGE_SIZE = 50;
/** Enough for 10,000 instances; a larger fleet still gets its alert, and the line says the count stopped there. */
const MAX_PAGES = 200;

const WINDOWS_ONLY = [{ Key: `${INSTANCE_INFORMATION}.PlatformType`, Values: ['Windows'], Type: 'Equal' as const }];
const TYPES = [{ TypeName: INSTANCE_INFORMATION }, { TypeName: APPLICATION }];

/** Reads every region's Windows inventory, or says why it could not before `deadline` (epoch ms). */
export async function readWindowsInventory(
  options: InventoryReaderOptions,
  deadline: number,
): Promise<InventoryResult> {
  const now = options.now ?? Date.now;
  const inventories: RegionInventory[] = [];
  for (const region of options.regions) {
    const client = options.clientFor(region);
    const pages: InventoryPage[] = [];
    let nextToken: string | undefined;
    do {
      const remaining = deadline - now();
      if (remaining <= 0) {
        return unavailable('timeout', `SSM Inventory in ${region} did not answer in time (${pages.length} pages read)`);
      }
      if (pages.length >= MAX_PAGES) {
        return unavailable(
          'failed',
          `more than ${MAX_PAGES * PAGE_SIZE} Windows instances in ${region}: too many to list`,
        );
      }
      let output: GetInventoryCommandOutput;
      try {
        output = await client.send(
          new GetInventoryCommand({
            Filters: WINDOWS_ONLY,
            ResultAttributes: TYPES,
            MaxResults: PAGE_SIZE,
            ...(nextToken === undefined ? {} : { NextToken: nextToken }),
          }),
          { abortSignal: AbortSignal.timeout(remaining) },
        );
      } catch (error) {
        return describeFailure(error, region);
      }
      try {
        pages.push(...parseInventoryPages({ Entities: output.Entities, NextToken: output.NextToken }));
      } catch (error) {
        return unavailable(
          'failed',
          `SSM Inventory in ${region} answered in an unexpected shape: ${shortMessage(error)}`,
        );
      }
      nextToken = output.NextToken;
    } while (nextToken);
    inventories.push({ region, pages });
  }
  const instances = inventories.reduce(
    (sum, { pages }) => sum + pages.reduce((n, p) => n + (p.Entities?.length ?? 0), 0),
    0,
  );
  if (instances === 0) {
    return unavailable(
      'empty',
      `SSM Inventory lists no Windows instances in ${options.regions.join(', ')} (is inventory collection on? Quick Setup turns it on)`,
    );
  }
  return { kind: 'read', inventories };
}

function describeFailure(error: unknown, region: string): InventoryResult {
  const name = error instanceof Error ? error.name : '';
  if (name === 'ThrottlingException' || name === 'TooManyRequestsException') {
    return unavailable('throttled', `SSM throttled GetInventory in ${region}`);
  }
  if (name === 'AccessDeniedException' || name === 'UnauthorizedOperation') {
    return unavailable('access-denied', `the function may not call ssm:GetInventory in ${region}`);
  }
  if (name === 'AbortError' || name === 'TimeoutError') {
    return unavailable('timeout', `SSM Inventory in ${region} did not answer in time`);
  }
  return unavailable('failed', `GetInventory failed in ${region}: ${name || 'error'}: ${shortMessage(error)}`);
}

function unavailable(problem: InventoryProblem, reason: string): InventoryResult {
  return { kind: 'unavailable', problem, reason };
}

function shortMessage(error: unknown): string {
  return messageOf(error).replace(/\s+/g, ' ').slice(0, 300);
}
