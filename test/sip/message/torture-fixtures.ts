import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The RFC 4475 messages live in the source tree (tests run from dist/, fixtures are not compiled). */
const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/rfc4475/', import.meta.url));

/** Always a Buffer: CRLFs, NULs and UTF-8 bytes are significant. */
export function torture(name: string): Buffer {
  return readFileSync(`${FIXTURES}${name}.dat`);
}

export function tortureVariant(file: string): Buffer {
  return readFileSync(`${FIXTURES}variants/${file}`);
}

export const VALID = [
  'wsinv',
  'intmeth',
  'esc01',
  'escnull',
  'esc02',
  'lwsdisp',
  'longreq',
  'dblreq',
  'semiuri',
  'transports',
  'mpart01',
  'unreason',
  'noreason',
];

/** §3.2-§3.4: syntactically fine, the torture is in the layers above. */
export const PARSES = [
  'badbranch',
  'insuf',
  'unkscm',
  'novelsc',
  'unksm2',
  'bext01',
  'invut',
  'regaut01',
  'multi01',
  'mcl01',
  'bcast',
  'zeromf',
  'cparam01',
  'cparam02',
  'regescrt',
  'sdp01',
  'inv2543',
];

export const INVALID = [
  'badinv01',
  'clerr',
  'ncl',
  'scalar02',
  'scalarlg',
  'quotbal',
  'ltgtruri',
  'lwsruri',
  'lwsstart',
  'trws',
  'escruri',
  'baddate',
  'regbadct',
  'badaspec',
  'baddn',
  'badvers',
  'mismatch01',
  'mismatch02',
  'bigcode',
];
