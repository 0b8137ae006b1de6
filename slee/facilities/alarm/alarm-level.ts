/** JSLEE alarm levels. CLEAR is what a cleared alarm reports. */
export type AlarmLevel = 'CLEAR' | 'CRITICAL' | 'MAJOR' | 'WARNING' | 'INDETERMINATE' | 'MINOR';

export const ALARM_LEVELS: readonly AlarmLevel[] = ['CLEAR', 'CRITICAL', 'MAJOR', 'WARNING', 'INDETERMINATE', 'MINOR'];
