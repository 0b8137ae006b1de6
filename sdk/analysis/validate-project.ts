import { resolve } from 'node:path';
import { readProjectConfig, type SleetProjectConfig } from '../project/sleet-project-config.js';
import { analyzeProject } from './analyze-project.js';
import type { ProjectAnalysis } from './project-analysis.js';

export interface ValidationResult {
  readonly config: SleetProjectConfig;
  readonly analysis: ProjectAnalysis;
  readonly ok: boolean;
}

/** `sleet-sdk validate`: the static checks, without compiling or running anything. */
export async function validateProject(dir: string): Promise<ValidationResult> {
  const config = await readProjectConfig(resolve(dir));
  const analysis = await analyzeProject(config);
  return { config, analysis, ok: analysis.diagnostics.length === 0 };
}
