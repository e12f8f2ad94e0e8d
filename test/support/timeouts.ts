/**
 * How long a test may take, by the kind of work it waits on beyond its own code. Sized for a loaded machine (two
 * CPU-bound processes beside `npm test` on two cores, where this work runs several times slower than on an idle
 * one), so a timeout means something is stuck, not that the machine is busy. Pure tests keep jest's 5 s.
 */

/**
 * Runs the relay against loopback stand-ins (Slack, dynalite, Secrets Manager, pages) over real HTTP, often the
 * real handler with its modules loaded fresh, and waits out the real delays the code must honour (Slack's
 * Retry-After of 1 s, the client's retry backoff). Those waits happen inside @slack/web-api, during socket I/O;
 * fake timers would freeze the HTTP client's own timers with them, so they stay real and short.
 */
export const STAND_IN_TEST_MS = 60_000;

/** Spawns a Node process (the bundled handler, the CLI, the CDK app) or runs esbuild. */
export const PROCESS_TEST_MS = 120_000;

/** Runs the real `cdk synth`: the CDK CLI, the app under tsx and esbuild bundling the handler. */
export const CDK_SYNTH_TEST_MS = 300_000;
