#!/usr/bin/env node
import '../polyfill.js'
import { main } from '../cli/main.js'

process.exitCode = await main(process.argv.slice(2))
