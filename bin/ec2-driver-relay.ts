import { RelayError } from '../lambda/core/errors.js';
import { createRelayApp } from '../lib/relay-app.js';

try {
  createRelayApp();
} catch (error) {
  // A configuration mistake is the user's to fix: say what is wrong, without a stack trace.
  if (!(error instanceof RelayError && error.code === 'invalid-config')) throw error;
  console.error(error.message);
  process.exit(1);
}
