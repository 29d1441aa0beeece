#!/usr/bin/env node
// The foundation benchmarks, compiled as the app build compiles the code under test:
// `node bench/foundation/run.mjs [reducer|live-fold|replay|append]`.
import { join } from 'node:path'
import { buildAndRun } from '../build-and-run.mjs'

process.exitCode = await buildAndRun(join(import.meta.dirname, 'main.ts'))
