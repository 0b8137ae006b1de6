export interface RegistrarConfig {
  /** Shorter non-zero expiries get 423 Interval Too Brief (default 60 s). */
  minExpires?: number;
  /** Longer ones are cut down to this (default 7200 s). */
  maxExpires?: number;
  /** When neither the Contact nor the request says (default 3600 s). */
  defaultExpires?: number;
  /**
   * RFC 5626 §4.4.1: the Flow-Timer of a 200 to an outbound REGISTER, the
   * seconds between the client's keep-alives (default 120). Keep it well
   * under the transport's idle connection timeout.
   */
  flowTimer?: number;
}

export type RegistrarSettings = Required<RegistrarConfig>;

let current: RegistrarSettings = settingsOf({});

/** Sets the registrar's expiry limits for this process (the node calls it at start). */
export function configureRegistrar(config: RegistrarConfig): void {
  current = settingsOf(config);
}

export function registrarSettings(): RegistrarSettings {
  return current;
}

function settingsOf(config: RegistrarConfig): RegistrarSettings {
  return {
    minExpires: config.minExpires ?? 60,
    maxExpires: config.maxExpires ?? 7200,
    defaultExpires: config.defaultExpires ?? 3600,
    flowTimer: config.flowTimer ?? 120,
  };
}
