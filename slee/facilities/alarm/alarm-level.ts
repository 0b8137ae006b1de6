/** JSLEE alarm levels. CLEAR is what a cleared alarm reports. */
export type AlarmLevel = 'CLEAR' | 'CRITICAL' | 'MAJOR' | 'WARNING' | 'INDETERMINATE' | 'MINOR';
