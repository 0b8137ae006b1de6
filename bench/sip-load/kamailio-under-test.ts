import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeSipPort } from '../../resource-adaptors/sip/ra/free-sip-port.js';
import { KamailioProcess } from './kamailio-process.js';

/** The shipped configuration, in the source tree (tsc does not copy it into dist). */
const KAMAILIO_CONFIG = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'kamailio', 'kamailio.cfg');

/**
 * Shared memory for the reference, in MiB (`-m`). Kamailio's default of 64 MiB
 * held too few transactions from 500 calls/s on: tm failed to allocate and
 * answered 500, and those calls counted as Kamailio's failures. A production
 * deployment sizes it for its load, and so does the bench.
 */
export const KAMAILIO_SHM_MIB = 1024;

/** The reference: Kamailio with bench/kamailio/kamailio.cfg on a free UDP port of 127.0.0.1, with `children` UDP workers. */
export async function startKamailioUnderTest(children: number, shmMiB = KAMAILIO_SHM_MIB): Promise<KamailioProcess> {
  return KamailioProcess.start({
    config: KAMAILIO_CONFIG,
    sipPort: await freeSipPort('127.0.0.1'),
    args: ['-m', String(shmMiB), '-A', `BENCH_CHILDREN=${children}`],
  });
}
