#!/usr/bin/env node
// The policy benchmark (web-tree-sitter finds its WASM files because dependencies stay external):
// `node bench/policy/run.mjs`.
import { join } from 'node:path'
import { buildAndRun } from '../build-and-run.mjs'

process.exitCode = await buildAndRun(join(import.meta.dirname, 'main.ts'))
