import { join, relative } from 'node:path';
import { Project, ts } from 'ts-morph';
import type { SdkDiagnostic } from '../analysis/sdk-diagnostic.js';
import { sdkCompilerOptions } from './sdk-compiler-options.js';

/** Compiles the project's sources to CommonJS under `outDir`; returns the compiler's errors (nothing is emitted if any). */
export async function compileProject(
  projectDir: string,
  sourceDir: string,
  sourceFiles: readonly string[],
  outDir: string,
  nodeTypes: boolean,
): Promise<SdkDiagnostic[]> {
  const options = sdkCompilerOptions(sourceDir, outDir, nodeTypes ? { projectDir } : undefined);
  const project = new Project({ compilerOptions: { ...options, noEmitOnError: true }, skipAddingFilesFromTsConfig: true });
  for (const file of sourceFiles) project.addSourceFileAtPath(join(sourceDir, file));
  const pre = project.getPreEmitDiagnostics();
  const diagnostics = pre.length > 0 ? pre : (await project.emit()).getDiagnostics();
  return diagnostics
    .filter((d) => d.getCategory() === ts.DiagnosticCategory.Error)
    .map((d) => {
      const text = d.getMessageText();
      const message = typeof text === 'string' ? text : ts.flattenDiagnosticMessageText(text.compilerObject, ' ');
      const file = d.getSourceFile();
      const start = d.getStart();
      if (!file || start === undefined) return { file: '(compiler)', line: 0, column: 0, message };
      const { line, column } = file.getLineAndColumnAtPos(start);
      return { file: relative(projectDir, file.getFilePath()), line, column, message };
    });
}
