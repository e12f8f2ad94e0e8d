import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildCli } from '../scripts/build-cli.js';

const REPO = join(__dirname, '..');

/** The command measured: the README's first example, offline (bundled snapshot). */
export const CLI_COMMAND = [
  'bin/driver-relay.mjs',
  'render',
  '--event',
  'test/fixtures/events/pv-8.6.1.json',
  '--format',
  'json',
];

export interface CliStartResult {
  /** Per round: the command's wall time minus that of `node -e 0` started just before or after it. */
  readonly extraMs: readonly number[];
  /** The same in CPU time. */
  readonly extraCpuMs: readonly number[];
  readonly nodeMs: readonly number[];
  readonly commandMs: readonly number[];
}

interface Run {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * What a person waits for when they run `driver-relay render`, over what Node.js itself costs to start: the bundle is
 * built first (as npm ci does), then the command and a bare `node -e 0` run in turns, `runs` rounds, order rotating.
 */
export async function measureCliStart(runs: number): Promise<CliStartResult> {
  await buildCli();
  const bare = ['-e', '0'];
  // One unmeasured round warms the OS file cache.
  await runNode(bare);
  await runNode(CLI_COMMAND);
  const result = {
    extraMs: [] as number[],
    extraCpuMs: [] as number[],
    nodeMs: [] as number[],
    commandMs: [] as number[],
  };
  for (let round = 0; round < runs; round += 1) {
    const first = round % 2 === 0;
    const a = await runNode(first ? bare : CLI_COMMAND);
    const b = await runNode(first ? CLI_COMMAND : bare);
    const [node, command] = first ? [a, b] : [b, a];
    result.nodeMs.push(node.wallMs);
    result.commandMs.push(command.wallMs);
    result.extraMs.push(command.wallMs - node.wallMs);
    result.extraCpuMs.push(command.cpuMs - node.cpuMs);
  }
  return result;
}

/** Rejects when the process fails. */
function runNode(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-r', join(__dirname, 'report-cpu.cjs'), ...args], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let report = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdio[3]?.on('data', (chunk) => {
      report += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (code === 0) resolve({ wallMs, ...(JSON.parse(report) as { cpuMs: number }) });
      else reject(new Error(`node ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`));
    });
  });
}
