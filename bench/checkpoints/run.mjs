#!/usr/bin/env node
// The checkpoint benchmark, compiled as the app build compiles the code under test:
// `node bench/checkpoints/run.mjs [--files N] [--calls N] [--per-folder N]`.
import { join } from 'node:path'
import { buildAndRun } from '../build-and-run.mjs'

process.exitCode = await buildAndRun(join(import.meta.dirname, 'main.ts'))
