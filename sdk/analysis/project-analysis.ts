import type { ComponentId } from '../../slee/component-model/component-id.js';
import type { SdkDiagnostic } from './sdk-diagnostic.js';

/** Where a component's class or value is: its source file (relative to the source dir) and export name. */
export interface SourceLocation {
  readonly sourceFile: string;
  readonly exportName: string;
}

export interface AnalysedEventType extends ComponentId {
  readonly short: string;
  readonly origin: 'builtin' | 'project' | 'config';
  /** Set for project-defined event types. */
  readonly location?: SourceLocation;
}

export interface AnalysedSbb extends ComponentId, SourceLocation {
  readonly raLinks: readonly string[];
  readonly eventTypes: readonly ComponentId[];
  readonly profileSpecs: readonly ComponentId[];
}

export interface AnalysedService extends ComponentId, SourceLocation {
  readonly rootSbb: ComponentId;
}

/** What the SDK learnt from a project's source without running it. */
export interface ProjectAnalysis {
  readonly sbbs: readonly AnalysedSbb[];
  readonly services: readonly AnalysedService[];
  readonly eventTypes: readonly AnalysedEventType[];
  readonly profileSpecs: ReadonlyArray<ComponentId & SourceLocation>;
  readonly raTypes: ReadonlyArray<ComponentId & SourceLocation>;
  /** Source files of the project, relative to the source dir. */
  readonly sourceFiles: readonly string[];
  readonly diagnostics: readonly SdkDiagnostic[];
}
