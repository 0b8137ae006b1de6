import { readFile } from 'node:fs/promises';
import { dirname, extname, relative } from 'node:path';
import { ErrorCode, type SleetErrorCode } from '../../../base/errors/error-codes.js';
import type { ComponentId } from '../../component-model/component-id.js';
import type { BundleDescriptor } from './bundle-descriptor.js';
import { decideRequire, FREE_PROCESS_MEMBERS, processMemberReason } from './bundle-require-policy.js';
import { resolveBundleModule } from './resolve-bundle-module.js';

/** One reason a bundle is refused, with its SLEET_ERR code. */
export interface BundleProblem {
  readonly code: SleetErrorCode;
  readonly reason: string;
}

function idText(id: ComponentId): string {
  return `${id.name}/${id.vendor}/${id.version}`;
}

/** Every module the descriptor names, with what names it. */
function entryModules(d: BundleDescriptor): Array<{ what: string; module: string }> {
  const c = d.components;
  return [
    ...c.services.map((e) => ({ what: `service ${idText(e)}`, module: e.module })),
    ...c.sbbs.map((e) => ({ what: `SBB ${idText(e)}`, module: e.module })),
    ...c.eventTypes.map((e) => ({ what: `event type ${idText(e)}`, module: e.module })),
    ...c.profileSpecs.map((e) => ({ what: `profile specification ${idText(e)}`, module: e.module })),
    ...c.raTypes.map((e) => ({ what: `resource-adaptor type ${idText(e)}`, module: e.module })),
    ...c.libraries.flatMap((l) => l.modules.map((module) => ({ what: `library ${idText(l)}`, module }))),
  ];
}

/**
 * Reads a bundle's code without running any of it: every module the
 * descriptor names must be a file in the bundle, and every module they
 * reach is parsed for `require`s and `process` members the descriptor's
 * permissions do not allow. Returns every problem found, in file order.
 * `require` with a computed argument cannot be seen here; the loader's
 * require applies the same policy when it runs.
 */
export async function checkBundleCode(root: string, descriptor: BundleDescriptor): Promise<BundleProblem[]> {
  const { ts } = await import('ts-morph');
  const problems: BundleProblem[] = [];
  const queue: string[] = [];
  const seen = new Set<string>();
  const enqueue = (file: string) => {
    if (!seen.has(file) && extname(file) !== '.json') queue.push(file);
    seen.add(file);
  };
  for (const { what, module } of entryModules(descriptor)) {
    const file = resolveBundleModule(root, root, `./${module}`);
    if (file === 'missing' || file === 'outside') problems.push({ code: ErrorCode.BUNDLE_INVALID, reason: `${what}: module ${module} is not in the bundle` });
    else enqueue(file);
  }
  for (let i = 0; i < queue.length; i++) {
    const path = queue[i]!;
    const file = relative(root, path).split('\\').join('/');
    const reasons = new Map<string, SleetErrorCode>();
    const refuse = (code: SleetErrorCode, reason: string) => reasons.set(reason, code);
    const source = ts.createSourceFile(path, await readFile(path, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
    const required = (specifier: string) => {
      const decision = decideRequire(file, specifier, descriptor.permissions);
      if (decision.kind === 'refused') refuse(decision.code, decision.reason);
      if (decision.kind !== 'bundle') return;
      const target = resolveBundleModule(root, dirname(path), specifier);
      if (target === 'missing' || target === 'outside') refuse(ErrorCode.BUNDLE_INVALID, `${file} requires '${specifier}', which is not in the bundle`);
      else enqueue(target);
    };
    const visit = (node: import('ts-morph').ts.Node): void => {
      if (ts.isImportDeclaration(node) || (ts.isExportDeclaration(node) && node.moduleSpecifier)) {
        refuse(ErrorCode.BUNDLE_INVALID, `${file} is an ES module; bundle modules are CommonJS (sleet-sdk build emits them)`);
      } else if (ts.isCallExpression(node) && node.arguments.length === 1) {
        const arg = node.arguments[0]!;
        const isRequire = (ts.isIdentifier(node.expression) && node.expression.text === 'require') || node.expression.kind === ts.SyntaxKind.ImportKeyword;
        if (isRequire && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) required(arg.text);
      } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'process') {
        if (!descriptor.permissions.builtins.includes('process') && !FREE_PROCESS_MEMBERS.has(node.name.text)) {
          refuse(ErrorCode.BUNDLE_PERMISSION, processMemberReason(file, node.name.text));
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    for (const [reason, code] of reasons) problems.push({ code, reason });
  }
  return problems;
}
