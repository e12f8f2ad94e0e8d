import { spawn } from 'node:child_process';

export interface CommandTime {
  readonly ms: number;
  readonly exitCode: number | null;
  /** The last lines it printed, to show why it failed. */
  readonly tail: string;
}

/** Wall time of one command run to completion in the repository, its output kept rather than shown. */
export function timeCommand(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CommandTime> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: `${__dirname}/..`,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      resolve({ ms: performance.now() - started, exitCode, tail: output.split('\n').slice(-15).join('\n') });
    });
  });
}
