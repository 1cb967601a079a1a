import { pathToFileURL } from 'node:url'

/**
 * Runs a network benchmark's `main` when its module is the program (not when imported), exits
 * with its code, and does not wait for timers libp2p leaves behind once the results are out.
 */
export function runAsProgram (moduleUrl: string, main: () => Promise<number>): void {
  if (process.argv[1] == null || moduleUrl !== pathToFileURL(process.argv[1]).href) return
  main().then(code => {
    process.exitCode = code
    setTimeout(() => process.exit(code), 200).unref()
  }, err => {
    console.error(err)
    process.exit(1)
  })
}
