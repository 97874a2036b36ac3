#!/usr/bin/env node
// The `dudao` command: runs the TypeScript CLI through tsx's loader, so no build step stands between a checkout and a running server.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
