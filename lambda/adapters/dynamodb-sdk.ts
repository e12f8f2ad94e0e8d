import type * as DynamoDB from '@aws-sdk/client-dynamodb';

/**
 * The DynamoDB client package, loaded with require() rather than import. The AWS SDK the Lambda runtime provides is
 * CommonJS; imported from the ES-module bundle, Node sends it through its ES-module loader (format detection, export
 * lexing), which made the cold start about 45 ms slower on 2 cores (`npm run bench`). In the bundle, `require` is the
 * one the banner in lib/relay-bundling.ts defines; under tsx and jest it is CommonJS's own.
 *
 * Only this package: the Secrets Manager client comes in through Powertools Parameters' static import.
 */
export const dynamodb: typeof DynamoDB = require('@aws-sdk/client-dynamodb');
