/**
 * What a promise rejected with, checked to be of the expected class; a promise that resolves, or rejects with
 * anything else, fails the test with what it got instead.
 *
 *   const error = await rejectionOf(store.claim(key, owner, ms), RelayError);
 *   expect(error.code).toBe('store-unavailable');
 */
export async function rejectionOf<E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof type)) throw new Error(`expected a ${type.name}, got ${String(outcome)}`);
  return outcome;
}
