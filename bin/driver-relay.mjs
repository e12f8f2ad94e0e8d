#!/usr/bin/env node
// The `driver-relay` command. The relay is written in TypeScript; tsx loads it without a build step.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../lambda/cli/main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
