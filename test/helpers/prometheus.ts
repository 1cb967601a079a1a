/** One sample's value from Prometheus text (`name{labels} value`), or undefined when absent. */
export function sample (text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find(l => l.startsWith(labels === '' ? `${name} ` : `${name}{${labels}} `))
  return line == null ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1))
}
