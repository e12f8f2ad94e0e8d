/**
 * The CLI in this process, as a person runs it: what it prints on each stream and its exit code.
 *
 *   const { code, stdout, stderr } = await runCli(['render', '--event', file], { env: {} });
 */
import { type CliIo, main } from '../../lambda/cli/main';

export interface CliRunOptions {
  /** What standard input holds. @default '' */
  readonly stdin?: string;
  /** The environment the CLI sees (not process.env). @default {} */
  readonly env?: NodeJS.ProcessEnv;
}

export async function runCli(argv: string[], { stdin = '', env = {} }: CliRunOptions = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => stdin,
    env,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
