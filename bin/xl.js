#!/usr/bin/env node
// `xl`: TypeScript sources run directly through tsx's loader, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/xl.ts');
process.exitCode = await main(process.argv.slice(2));
