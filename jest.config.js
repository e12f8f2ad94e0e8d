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
  // After jest's own: the reliability suites' table and summary, then the plain totals line as the last line.
  reporters: ['default', '<rootDir>/test/support/reliability-reporter.js'],
};
