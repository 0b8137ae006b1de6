import { isBuiltin } from 'node:module';
import { Node, type SourceFile } from 'ts-morph';
import { FREE_BUILTINS, FREE_PROCESS_MEMBERS } from '../../slee/deployment/bundle/bundle-require-policy.js';
import type { SleetProjectConfig } from '../project/sleet-project-config.js';

const PROVIDED = /^(sleet(\/.*)?|reflect-metadata)$/;
const DECLARE = `add "process" to "sleet.permissions.builtins" in package.json`;

/** The module a node imports at run time (not `import type`), if it is an import at all. */
function runtimeSpecifier(node: Node): Node | undefined {
  if (Node.isImportDeclaration(node)) return node.isTypeOnly() ? undefined : node.getModuleSpecifier();
  if (Node.isExportDeclaration(node)) return node.isTypeOnly() ? undefined : node.getModuleSpecifier();
  if (Node.isExternalModuleReference(node)) return node.getExpression();
  if (Node.isCallExpression(node)) {
    const callee = node.getExpression();
    const args = node.getArguments();
    const isRequire = (Node.isIdentifier(callee) && callee.getText() === 'require') || Node.isImportExpression(callee);
    if (isRequire && args.length === 1 && Node.isStringLiteral(args[0])) return args[0];
  }
  return undefined;
}

/**
 * What the SLEE would refuse at deployment under the bundle permission
 * policy: Node built-ins the project does not declare in
 * `sleet.permissions.builtins`, packages missing from package.json's
 * dependencies, and members of `process` beyond the free ones.
 */
export function checkPermissions(files: readonly SourceFile[], config: SleetProjectConfig, report: (node: Node, message: string) => void): void {
  const { builtins, packages } = config.permissions;
  const processDeclared = builtins.includes('process');
  for (const sf of files) {
    sf.forEachDescendant((node) => {
      const specifierNode = runtimeSpecifier(node);
      if (specifierNode && Node.isStringLiteral(specifierNode)) {
        const specifier = specifierNode.getLiteralValue();
        if (specifier.startsWith('.') || PROVIDED.test(specifier)) return;
        if (isBuiltin(specifier)) {
          const name = specifier.replace(/^node:/, '');
          const top = name.split('/')[0]!;
          if (!FREE_BUILTINS.has(top) && !builtins.includes(top) && !builtins.includes(name)) {
            report(
              specifierNode,
              `imports Node built-in '${specifier}', which the project does not declare; add "${top}" to "sleet.permissions.builtins" in package.json`,
            );
          }
          return;
        }
        const parts = specifier.split('/');
        const pkg = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
        if (!packages.includes(pkg)) report(specifierNode, `imports package '${pkg}', which package.json does not list; add it to "dependencies"`);
        return;
      }
      if (!processDeclared && Node.isPropertyAccessExpression(node)) {
        const target = node.getExpression();
        if (Node.isIdentifier(target) && target.getText() === 'process' && !FREE_PROCESS_MEMBERS.has(node.getName())) {
          report(node, `uses process.${node.getName()}, which the project does not declare; ${DECLARE}`);
        }
      }
    });
  }
}
