#!/usr/bin/env node
// Entry point: loads the TypeScript sources through tsx, then hands over to the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../host/cli/index.ts');
