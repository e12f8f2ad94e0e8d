import type { ClaimResult, DeliveryStore } from '../ports.js';

/**
 * A delivery ledger that lives as long as the process: for the command line, where one run sends each alert
 * once and there is no redelivery to guard against across runs.
 */
export function createMemoryDeliveryStore(now: () => number = Date.now): DeliveryStore {
  const records = new Map<string, { state: 'in-progress' | 'delivered'; owner: string; leaseExpiresAt: number }>();
  return {
    async claim(key, owner, leaseMs): Promise<ClaimResult> {
      const record = records.get(key);
      if (record?.state === 'delivered') return 'delivered';
      if (record && record.owner !== owner && record.leaseExpiresAt > now()) return 'in-progress-elsewhere';
      records.set(key, { state: 'in-progress', owner, leaseExpiresAt: now() + leaseMs });
      return 'claimed';
    },
    async markDelivered(key, owner) {
      records.set(key, { state: 'delivered', owner, leaseExpiresAt: Number.POSITIVE_INFINITY });
    },
    async release(key, owner) {
      if (records.get(key)?.owner === owner) records.delete(key);
    },
  };
}
