import { join } from 'node:path';
import { ts, type CompilerOptions } from 'ts-morph';
import { sleetPackageRoot, sleetTypePaths } from '../host/sleet-host.js';

/**
 * How every service project is compiled, whatever its own tsconfig says:
 * CommonJS (the SLEE's bundle loader can unload it), legacy decorators with
 * metadata (the component model reads design types), and 'sleet' resolved
 * to the declarations of the SLEE this SDK belongs to. A project that
 * declares Node built-ins (`sleet.permissions.builtins`) is compiled with
 * Node's types, from its own node_modules or the SLEE's.
 */
export function sdkCompilerOptions(sourceDir: string, outDir?: string, node?: { projectDir: string }): CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    useDefineForClassFields: false,
    esModuleInterop: true,
    skipLibCheck: true,
    sourceMap: false,
    declaration: false,
    types: node ? ['node'] : [],
    ...(node ? { typeRoots: [join(node.projectDir, 'node_modules', '@types'), join(sleetPackageRoot, 'node_modules', '@types')] } : {}),
    rootDir: sourceDir,
    ...(outDir ? { outDir } : {}),
    paths: sleetTypePaths(),
  };
}
