#!/usr/bin/env node
// The long-run benchmark (see main.ts), compiled as the app build compiles the code under test:
// `node bench/long-run/run.mjs [--turns 1500] [--runs 20] [--run-turns 1000] [--parallel 4]`.
// Needs the built app (`npx electron-vite build`) for the sim process and the tool host.
import { join } from 'node:path'
import { buildAndRun } from '../build-and-run.mjs'

process.exitCode = await buildAndRun(join(import.meta.dirname, 'main.ts'))
