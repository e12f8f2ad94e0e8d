/** @type {import('jest').Config} */
// htmlparser2 and its helpers ship ES modules only; swc turns them into CommonJS for jest.
const esmOnly = ['htmlparser2', 'entities', 'domhandler', 'domutils', 'dom-serializer', 'domelementtype'];

module.exports = {
  testEnvironment: 'node',
  // Most suites wait on loopback servers and child processes; two workers on two cores cut the run by a third.
  maxWorkers: 2,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)sx?$': ['@swc/jest'],
  },
  // Sources import each other with the .js suffix Node's ESM resolution wants; jest resolves the .ts file.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  // The reliability suite (faults, fuzz, scope) tallies what it tried; the teardown prints the whole-run figures.
  globalSetup: '<rootDir>/test/support/reliability-setup.ts',
  globalTeardown: '<rootDir>/test/support/reliability-teardown.ts',
  reporters: ['default', '<rootDir>/test/support/closing-line-reporter.js'],
};
