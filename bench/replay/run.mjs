#!/usr/bin/env node
// The replay benchmark, host side (see main.ts), compiled as the app build compiles the code under
// test: `node bench/replay/run.mjs [--baseline-mb 100] [--huge-mb 1024] [--scrubs 40]`.
import { join } from 'node:path'
import { buildAndRun } from '../build-and-run.mjs'

process.exitCode = await buildAndRun(join(import.meta.dirname, 'main.ts'))
