/**
 * jest's node environment with one difference: `instanceof Error` inside a test also holds for errors Node itself
 * created (fs, fetch). jest runs each test file in its own VM context, whose Error is not the one Node's own modules
 * use (jestjs/jest#2549), so a plain `error instanceof Error` in the code under test is false there although it is
 * true in production. Opt in per file with a `@jest-environment ./test/support/host-errors-environment.js` docblock.
 */
const { TestEnvironment } = require('jest-environment-node');

class HostErrorsEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    const contextError = this.global.Error;
    Object.defineProperty(contextError, Symbol.hasInstance, {
      // Subclasses (TypeError, RelayError) inherit this: for them, and for any value, the ordinary check decides,
      // and only `instanceof Error` itself also accepts the host realm's errors.
      value: function hasInstance(value) {
        return (
          Function.prototype[Symbol.hasInstance].call(this, value) || (this === contextError && value instanceof Error)
        );
      },
    });
  }
}

module.exports = HostErrorsEnvironment;
