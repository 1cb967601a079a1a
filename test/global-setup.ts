import { execFileSync } from 'node:child_process'

/** Builds dist/ once before the suite, so tests that run the real `p2pgo` binary never see stale code. */
export default function setup (): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' })
}
