// Preloaded (node -r) into each process bench/cli-start.ts measures: reports the CPU time it used on fd 3 at exit.
const { writeSync } = require('node:fs');

process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  writeSync(3, JSON.stringify({ cpuMs: (user + system) / 1000 }));
});
