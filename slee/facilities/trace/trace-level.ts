/** JSLEE trace levels, most severe first. */
export const TraceLevel = {
  OFF: 0,
  SEVERE: 1,
  WARNING: 2,
  INFO: 3,
  CONFIG: 4,
  FINE: 5,
  FINER: 6,
  FINEST: 7,
} as const;

export type TraceLevelName = keyof typeof TraceLevel;
