/** Node.js flags for a node under test from a benchmark option (`--node-args='--a --b=1'`, space separated). */
export function nodeFlags(value: string | undefined): string[] {
  return (value ?? '').split(' ').filter((flag) => flag !== '');
}
