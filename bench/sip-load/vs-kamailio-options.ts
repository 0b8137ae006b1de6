/** What `npm run bench vs-kamailio` runs: fixed rates side by side, then a step-up to each proxy's ceiling. */
export interface VsKamailioOptions {
  /** Offered calls/s of the side-by-side steps. */
  rates: number[];
  seconds: number;
  /** Offered calls/s of the step-up; empty skips it. */
  ceilingRates: number[];
  ceilingSeconds: number;
  warmupSeconds: number;
  /** Pause between steps, for the previous step's retransmissions and wait timers. */
  settleMs: number;
  /** Cores given to each proxy: Sleet's processes, Kamailio's UDP children. */
  cores: number;
}

const DEFAULT_RATES = [100, 500, 900];
/** From 900 cps each step is at most 1.2 times the one before, so a ceiling read from it is within a fifth of the true one. */
const DEFAULT_CEILING_RATES = [500, 900, 1050, 1250, 1500, 1800, 2150, 2550, 3050, 3650, 4350, 5200, 6200, 7000];

function numbers(text: string, flag: string): number[] {
  if (text === 'none') return [];
  const values = text.split(',').map(Number);
  if (values.some((v) => !Number.isInteger(v) || v <= 0)) throw new Error(`--${flag} takes positive integers separated by commas, or none: ${text}`);
  return values;
}

function positive(text: string, flag: string): number {
  const value = Number(text);
  if (!(value > 0)) throw new Error(`--${flag} takes a positive number: ${text}`);
  return value;
}

/** The defaults (20 s steps; `--quick`: 5 s), overridden by `--rates=`, `--seconds=`, `--ceiling-rates=` (or none), `--ceiling-seconds=`, `--warmup-seconds=`, `--settle-ms=`, `--cores=`. */
export function vsKamailioOptions(quick: boolean, flags: Record<string, string>): VsKamailioOptions {
  const options: VsKamailioOptions = {
    rates: DEFAULT_RATES,
    seconds: quick ? 5 : 20,
    ceilingRates: DEFAULT_CEILING_RATES,
    ceilingSeconds: quick ? 5 : 10,
    warmupSeconds: quick ? 5 : 10,
    settleMs: quick ? 2000 : 4000,
    cores: 1,
  };
  for (const [flag, value] of Object.entries(flags)) {
    switch (flag) {
      case 'rates':
        options.rates = numbers(value, flag);
        break;
      case 'seconds':
        options.seconds = positive(value, flag);
        break;
      case 'ceiling-rates':
        options.ceilingRates = numbers(value, flag);
        break;
      case 'ceiling-seconds':
        options.ceilingSeconds = positive(value, flag);
        break;
      case 'warmup-seconds':
        options.warmupSeconds = positive(value, flag);
        break;
      case 'settle-ms':
        options.settleMs = positive(value, flag);
        break;
      case 'cores':
        options.cores = positive(value, flag);
        break;
      default:
        throw new Error(`vs-kamailio: unknown option --${flag}`);
    }
  }
  return options;
}
