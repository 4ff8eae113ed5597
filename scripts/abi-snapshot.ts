// Rewrites test/abi.snapshot.json after a deliberate, compatible ABI change (new fields or
// messages). Review the diff: a changed field number, type or name breaks every client.
import { writeFileSync } from 'node:fs';
import { describeAbi } from '../test/abi_descriptor.js';

writeFileSync(new URL('../test/abi.snapshot.json', import.meta.url), `${JSON.stringify(describeAbi(), null, 1)}\n`);
console.log('wrote test/abi.snapshot.json');
