// Loaded with `node --import` (NODE_OPTIONS) into a real `p2pgo bot` or `p2pgo bootstrap` process
// by test/e2e/background-errors.test.ts: it makes the background throw as a library could. A
// listener that throws is added to the first EventTarget that gets a 'connection:open' listener
// (libp2p's event bus), so it throws on every connection the node opens; a timer throws once; a
// promise is rejected with nobody to handle it. Nothing else of the process is touched.
const command = process.argv[2]
if (command === 'bot' || command === 'bootstrap') {
  const add = EventTarget.prototype.addEventListener
  let injected = false
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (type === 'connection:open' && !injected) {
      injected = true
      add.call(this, 'connection:open', function injectedListener () {
        throw new Error('injected: a connection:open listener threw')
      })
    }
    return add.call(this, type, listener, options)
  }
  setTimeout(function injectedTimer () { throw new Error('injected: a timer threw') }, 1500).unref()
  setTimeout(() => { void Promise.reject(new Error('injected: a promise nobody awaited')) }, 1500).unref()
}
