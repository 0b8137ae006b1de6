/** A problem found in a service project's source, at a 1-based line and column. */
export interface SdkDiagnostic {
  /** Relative to the project directory. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** The component rule broken (`SLEET_RULE_*`, the code the SLEE refuses the component with), for those the SLEE checks too. */
  readonly rule?: string;
}

export function formatDiagnostic(d: SdkDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: error: ${d.message}`;
}
