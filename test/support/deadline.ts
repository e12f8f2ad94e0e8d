/**
 * Runs one exported function of a source module in a worker thread and stops it at a deadline.
 *
 * For checks that hostile input cannot make a reader run away. jest's own timeout cannot stop synchronous code (a
 * regex that backtracks for minutes holds the thread it would time out from), so the work runs in a worker that is
 * terminated when the deadline passes. The clock starts once the module has loaded, so a busy machine's slow start
 * does not count. Pick a deadline many times what the work takes on a loaded machine: it exists to catch runaway
 * (super-linear) cost, never to measure speed; bench/ measures speed.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const ROOT = join(__dirname, '..', '..');

/** A thrown error as it crosses the thread boundary: enough to assert on. */
export interface ThrownInWorker {
  readonly name: string;
  readonly code: unknown;
  readonly message: string;
}

export type WorkerOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ThrownInWorker };

// Plain CommonJS run with eval: tsx's require hook loads the TypeScript sources (and their .js import suffixes).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
require(workerData.tsx).register();
const fn = require(workerData.module)[workerData.exportName];
parentPort.once('message', (args) => {
  try {
    parentPort.postMessage({ ok: true, value: fn(...args) });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: { name: error.name, code: error.code, message: error.message } });
  }
});
parentPort.postMessage('loaded');
`;

/**
 * Calls `exportName` of `module` (a path from the repository root, e.g. 'lambda/core/changelog-page.ts') with `args`
 * (structured-cloned) and resolves with what it returned or threw. Rejects when it has not finished `deadlineMs`
 * after the module loaded, or when the worker fails.
 */
export function runWithDeadline<T>(
  module: string,
  exportName: string,
  args: readonly unknown[],
  deadlineMs: number,
): Promise<WorkerOutcome<T>> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      tsx: require.resolve('tsx/cjs/api'),
      module: join(ROOT, module),
      exportName,
    },
  });
  return new Promise<WorkerOutcome<T>>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      void worker.terminate();
      settle();
    };
    worker.on('message', (message: 'loaded' | WorkerOutcome<T>) => {
      if (message === 'loaded') {
        timer = setTimeout(
          () => finish(() => reject(new Error(`${exportName} did not finish within ${deadlineMs} ms`))),
          deadlineMs,
        );
        worker.postMessage(args);
        return;
      }
      finish(() => resolve(message));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) =>
      finish(() => reject(new Error(`the worker exited (${code}) before ${exportName} finished`))),
    );
  });
}
