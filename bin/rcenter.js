#!/usr/bin/env node
// The `rcenter` command. The sources are TypeScript, run through tsx's loader: no build step.
import { register } from 'tsx/esm/api';

register();
// `verify` runs on readers' machines and needs no database or app: it loads only its own modules.
await import(process.argv[2] === 'verify' ? '../src/cli/verify-program.ts' : '../src/cli/index.ts');
