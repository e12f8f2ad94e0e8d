/**
 * One page of SSM GetInventory's response, in exactly the API's shape: what the Lambda gets from the SDK and what
 * `driver-relay render --inventory FILE` reads. Only the fields the fleet view uses are checked; everything else
 * (CaptureTime, ContentHash, other inventory types) passes through untouched.
 */
import * as z from 'zod/mini';
import { RelayError } from './errors.js';

/** Inventory types the relay asks for: the operating system and the installed programs. */
export const INSTANCE_INFORMATION = 'AWS:InstanceInformation';
export const APPLICATION = 'AWS:Application';

const item = z.object({
  TypeName: z.optional(z.string()),
  Content: z.optional(z.array(z.record(z.string(), z.optional(z.string())))),
});

const entity = z.object({
  Id: z.string().check(z.minLength(1)),
  Data: z.optional(z.record(z.string(), item)),
});

export const inventoryPageSchema = z.object({
  Entities: z.optional(z.array(entity)),
  NextToken: z.optional(z.string()),
});

export type InventoryPage = z.infer<typeof inventoryPageSchema>;
export type InventoryEntity = z.infer<typeof entity>;

/**
 * Reads GetInventory pages from JSON text: one page object or an array of pages.
 * Throws RelayError 'invalid-event' naming what is wrong; the caller decides whether that stops anything.
 */
export function parseInventoryJson(text: string): InventoryPage[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RelayError('invalid-event', `inventory is not JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseInventoryPages(value);
}

export function parseInventoryPages(value: unknown): InventoryPage[] {
  const pages = Array.isArray(value) ? value : [value];
  return pages.map((page, index) => {
    const result = z.safeParse(inventoryPageSchema, page);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = [Array.isArray(value) ? `[${index}]` : '', ...(issue?.path ?? []).map(String)].filter(Boolean);
      throw new RelayError(
        'invalid-event',
        `inventory is not a GetInventory response page${where.length > 0 ? ` at ${where.join('.')}` : ''}: ${issue?.message ?? 'invalid'}`,
      );
    }
    return result.data;
  });
}
