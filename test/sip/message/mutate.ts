/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `minEdits` to `minEdits + 2` character edits of a text: a character of `noise` inserted or put in place of one, or one deleted. */
export function mutateText(text: string, random: () => number, noise: string, minEdits = 1): string {
  const chars = [...text];
  for (let edits = minEdits + Math.floor(random() * 3); edits > 0; edits--) {
    const at = Math.floor(random() * (chars.length + 1));
    const choice = random();
    const char = noise[Math.floor(random() * noise.length)]!;
    if (choice < 0.4) chars.splice(at, 0, char);
    else if (choice < 0.7) chars.splice(at, 1);
    else chars[at] = char;
  }
  return chars.join('');
}

const INTERESTING = Buffer.from('\r\n \t:;,"<>\\%@=?/\x00\xff0');

/** One to four edits: an interesting byte, a random byte, a truncation, or a repeated run. */
export function mutate(data: Buffer, random: () => number): Buffer {
  const out = Buffer.from(data);
  const edits = 1 + Math.floor(random() * 4);
  let result = out;
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * result.length);
    const choice = random();
    if (choice < 0.4) result[at] = INTERESTING[Math.floor(random() * INTERESTING.length)];
    else if (choice < 0.6) result[at] = Math.floor(random() * 256);
    else if (choice < 0.8) result = result.subarray(0, at);
    else result = Buffer.concat([result.subarray(0, at), result.subarray(at, at + 40), result.subarray(at)]);
  }
  return result;
}
