import { pathToFileURL } from 'node:url';
import { join, relative } from 'node:path';
import { Node, Project, SyntaxKind, type ClassDeclaration, type Decorator, type MethodDeclaration, type SourceFile, type Type } from 'ts-morph';
import { defineEventType } from '../../slee/component-model/event-type.js';
import type { ComponentId } from '../../slee/component-model/component-id.js';
import { componentKey } from '../../slee/component-model/component-id.js';
import { sleetModules } from '../host/sleet-host.js';
import { sdkCompilerOptions } from '../build/sdk-compiler-options.js';
import type { SleetProjectConfig } from '../project/sleet-project-config.js';
import type { SdkDiagnostic } from './sdk-diagnostic.js';
import type { AnalysedEventType, AnalysedSbb, AnalysedService, ProjectAnalysis, SourceLocation } from './project-analysis.js';
import { unserialisableReason } from './serialisable-type.js';
import { checkPermissions } from './check-permissions.js';
import {
  cmpViolation,
  handlerShortName,
  initialWithoutHandlerViolation,
  matchShortName,
  rootInitialEventViolation,
  selectionViolations,
  serviceNotSbbViolation,
  servicePriorityViolation,
  type RuleViolation,
} from '../../slee/component-model/component-rules.js';

type Report = (node: Node, message: string, rule?: string) => void;

interface KnownEventType extends AnalysedEventType {
  /** What the handler's first parameter must accept; unknown for event types declared only in config. */
  readonly payload?: Type;
}

type Literal = string | number | boolean | string[] | undefined;

function isEventTypeValue(value: unknown): value is { name: string; vendor: string; version: string; short: string; key: string } {
  const v = value as Record<string, unknown> | null;
  return typeof v === 'object' && v !== null && typeof v.key === 'string' && typeof v.short === 'string' && typeof v.name === 'string';
}

/** The E of an `EventType<E>`, read from its phantom `__event` property. */
function payloadOf(type: Type, at: Node): Type | undefined {
  return type.getProperty('__event')?.getTypeAtLocation(at).getNonNullableType();
}

/**
 * Reads a service project with ts-morph (nothing is executed) and checks
 * what the SLEE would otherwise refuse only at deployment: handler
 * signatures, CMP field types, initial-event selection, RA links and the
 * components' identities. Also gathers what `build` puts in the descriptor.
 */
export async function analyzeProject(config: SleetProjectConfig): Promise<ProjectAnalysis> {
  const sourceDir = join(config.dir, config.sourceDir);
  const node = config.permissions.builtins.length > 0 ? { projectDir: config.dir } : undefined;
  const project = new Project({ compilerOptions: sdkCompilerOptions(sourceDir, undefined, node), skipAddingFilesFromTsConfig: true });
  const files = project.addSourceFilesAtPaths([join(sourceDir, '**/*.ts'), `!${join(sourceDir, '**/*.d.ts')}`]);
  const diagnostics: SdkDiagnostic[] = [];
  const report: Report = (node, message, rule) => {
    const sf = node.getSourceFile();
    const { line, column } = sf.getLineAndColumnAtPos(node.getStart());
    diagnostics.push({ file: relative(config.dir, sf.getFilePath()), line, column, message, ...(rule ? { rule } : {}) });
  };
  const located = (sf: SourceFile, exportName: string): SourceLocation => ({
    sourceFile: relative(sourceDir, sf.getFilePath()),
    exportName,
  });

  // Known event types: the SLEE's own (names from the running modules, payloads from their declarations),
  // the project's defineEventType calls, and those the config declares.
  const known: KnownEventType[] = [];
  const byDeclaration = new Map<Node, KnownEventType>();
  // Every declaration file is added before any type is read: adding a file makes a new program, and types of an older
  // one compare wrongly with the new one's (a class with private members is not assignable to itself).
  const modules: Array<{ namespace: Record<string, unknown>; dts: SourceFile }> = [];
  for (const module of sleetModules()) {
    try {
      const namespace = (await import(pathToFileURL(module.moduleFile).href)) as Record<string, unknown>;
      modules.push({ namespace, dts: project.addSourceFileAtPath(module.declarationFile) });
    } catch {
      continue;
    }
  }
  for (const { namespace, dts } of modules) {
    const exported = dts.getExportedDeclarations();
    for (const [exportName, value] of Object.entries(namespace)) {
      const decl = exported.get(exportName)?.[0];
      if (!isEventTypeValue(value)) {
        // Groups of event types (SipRequestEvents.INVITE, SipResponseEvents[2]): each member by its property's declaration.
        if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
          for (const [key, member] of Object.entries(value)) {
            if (!isEventTypeValue(member)) continue;
            const property = decl?.getType().getProperty(key);
            let entry = known.find((k) => k.name === member.name && k.vendor === member.vendor && k.version === member.version);
            if (!entry) {
              const payload = property && decl ? payloadOf(property.getTypeAtLocation(decl), decl) : undefined;
              entry = {
                name: member.name,
                vendor: member.vendor,
                version: member.version,
                short: member.short,
                origin: 'builtin',
                ...(payload ? { payload } : {}),
              };
              known.push(entry);
            }
            for (const d of property?.getDeclarations() ?? []) byDeclaration.set(d, entry);
          }
        }
        continue;
      }
      const payload = decl ? payloadOf(decl.getType(), decl) : undefined;
      const entry: KnownEventType = {
        name: value.name,
        vendor: value.vendor,
        version: value.version,
        short: value.short,
        origin: 'builtin',
        ...(payload ? { payload } : {}),
      };
      known.push(entry);
      if (decl) byDeclaration.set(decl, entry);
    }
  }
  for (const sf of files) {
    for (const decl of sf.getVariableDeclarations()) {
      const call = decl.getInitializerIfKind(SyntaxKind.CallExpression);
      if (!call || call.getExpression().getText() !== 'defineEventType') continue;
      const [nameArg, optionsArg] = call.getArguments();
      const options = optionsArg && Node.isObjectLiteralExpression(optionsArg) ? readLiterals(optionsArg, report) : {};
      if (!nameArg || !Node.isStringLiteral(nameArg)) {
        report(call, 'defineEventType needs a string literal name so the SDK can list the event type in the bundle descriptor');
        continue;
      }
      if (!decl.isExported()) report(decl, `event type '${decl.getName()}' must be exported so the SLEE can load it from the bundle`);
      const defined = defineEventType(nameArg.getLiteralValue(), options as { vendor?: string; version?: string; short?: string });
      const payload = payloadOf(decl.getType(), decl);
      const entry: KnownEventType = {
        name: defined.name,
        vendor: defined.vendor,
        version: defined.version,
        short: defined.short,
        origin: 'project',
        location: located(sf, decl.getName()),
        ...(payload ? { payload } : {}),
      };
      known.push(entry);
      byDeclaration.set(decl, entry);
    }
  }
  for (const e of config.eventTypes) known.push({ ...e, origin: 'config' });

  const sbbs: AnalysedSbb[] = [];
  const services: AnalysedService[] = [];
  const profileSpecs: Array<ComponentId & SourceLocation> = [];
  const raTypes: Array<ComponentId & SourceLocation> = [];
  const specClasses = new Map<Node, ComponentId>();

  for (const sf of files) {
    for (const cls of sf.getClasses()) {
      const spec = cls.getDecorator('ProfileSpec');
      if (!spec) continue;
      const o = decoratorOptions(spec, report);
      if (typeof o.name !== 'string' || typeof o.vendor !== 'string' || typeof o.version !== 'string') {
        report(spec, '@ProfileSpec needs literal name, vendor and version');
        continue;
      }
      const id = { name: o.name, vendor: o.vendor, version: o.version };
      requireExported(cls, 'profile specification', report);
      profileSpecs.push({ ...id, ...located(sf, cls.getName() ?? '') });
      specClasses.set(cls, id);
    }
    for (const decl of sf.getVariableDeclarations()) {
      if (decl.getTypeNode()?.getText() !== 'ResourceAdaptorType') continue;
      const init = decl.getInitializerIfKind(SyntaxKind.ObjectLiteralExpression);
      const idProp = init?.getProperty('id');
      const idInit = idProp && Node.isPropertyAssignment(idProp) ? idProp.getInitializer() : undefined;
      const o = idInit && Node.isObjectLiteralExpression(idInit) ? readLiterals(idInit, report) : {};
      if (typeof o.name !== 'string' || typeof o.vendor !== 'string' || typeof o.version !== 'string') {
        report(decl, 'a ResourceAdaptorType needs a literal id { name, vendor, version } so the SDK can list it');
        continue;
      }
      if (!decl.isExported()) report(decl, `resource-adaptor type '${decl.getName()}' must be exported`);
      raTypes.push({ name: o.name, vendor: o.vendor, version: o.version, ...located(sf, decl.getName()) });
    }
  }

  const eventTypeOf = (arg: Node): KnownEventType | undefined => {
    const symbol = arg.getSymbol();
    const target = symbol?.isAlias() ? symbol.getAliasedSymbol() : symbol;
    for (const decl of target?.getDeclarations() ?? []) {
      const hit = byDeclaration.get(decl);
      if (hit) return hit;
    }
    return undefined;
  };

  for (const sf of files) {
    for (const cls of sf.getClasses()) {
      const sbbDecorator = cls.getDecorator('Sbb');
      const serviceDecorator = cls.getDecorator('Service');
      const className = cls.getName() ?? '';
      if (!sbbDecorator) {
        if (serviceDecorator) reportViolation(report, serviceDecorator, serviceNotSbbViolation(className));
        continue;
      }
      requireExported(cls, 'SBB', report);
      const o = decoratorOptions(sbbDecorator, report);
      const id = { name: stringOr(o.name, className), vendor: stringOr(o.vendor, 'sleet'), version: stringOr(o.version, '1.0') };
      const handled = checkHandlers(cls, known, eventTypeOf, report);
      checkCmpFields(cls, report);
      const raLinks = checkRaLinks(cls, config.raLinks, report);
      const usedSpecs = new Map<string, ComponentId>();
      cls.forEachDescendant((node) => {
        if (!Node.isIdentifier(node)) return;
        const symbol = node.getSymbol();
        const target = symbol?.isAlias() ? symbol.getAliasedSymbol() : symbol;
        for (const decl of target?.getDeclarations() ?? []) {
          const spec = specClasses.get(decl);
          if (spec) usedSpecs.set(componentKey(spec), spec);
        }
      });
      for (const spec of config.profileSpecs) usedSpecs.set(componentKey(spec), spec);
      sbbs.push({ ...id, ...located(sf, className), raLinks, eventTypes: handled, profileSpecs: [...usedSpecs.values()] });
      if (serviceDecorator) {
        const s = decoratorOptions(serviceDecorator, report);
        if (s.priority !== undefined) reportViolation(report, serviceDecorator, servicePriorityViolation(s.priority));
        services.push({
          name: stringOr(s.name, className.replace(/Sbb$/, '') + 'Service'),
          vendor: stringOr(s.vendor, 'sleet'),
          version: stringOr(s.version, '1.0'),
          ...located(sf, className),
          rootSbb: id,
        });
        reportViolation(
          report,
          cls.getNameNode() ?? cls,
          rootInitialEventViolation(
            className,
            cls.getMethods().some((m) => m.getDecorator('InitialEvent')),
          ),
        );
      }
    }
  }

  checkPermissions(files, config, report);

  return {
    sbbs,
    services,
    eventTypes: known.filter((k) => k.origin === 'project').map(({ payload: _payload, ...rest }) => rest),
    profileSpecs,
    raTypes,
    sourceFiles: files.map((f) => relative(sourceDir, f.getFilePath())),
    diagnostics: diagnostics.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column),
  };
}

function reportViolation(report: Report, node: Node, violation: RuleViolation | undefined): void {
  if (violation) report(node, violation.message, violation.rule);
}

function stringOr(value: Literal, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function requireExported(cls: ClassDeclaration, what: string, report: (n: Node, m: string) => void): void {
  if (!cls.isExported()) report(cls.getNameNode() ?? cls, `${what} ${cls.getName()} must be exported so the SLEE can load it from the bundle`);
}

/** Literal property values of an object literal; anything computed is reported. */
function readLiterals(obj: Node, report: (n: Node, m: string) => void): Record<string, Literal> {
  const out: Record<string, Literal> = {};
  if (!Node.isObjectLiteralExpression(obj)) return out;
  for (const prop of obj.getProperties()) {
    if (!Node.isPropertyAssignment(prop)) continue;
    const init = prop.getInitializer();
    const name = prop.getName();
    if (!init) continue;
    if (Node.isStringLiteral(init) || Node.isNoSubstitutionTemplateLiteral(init)) out[name] = init.getLiteralValue();
    else if (Node.isNumericLiteral(init)) out[name] = init.getLiteralValue();
    else if (Node.isPrefixUnaryExpression(init) && init.getOperatorToken() === SyntaxKind.MinusToken && Node.isNumericLiteral(init.getOperand())) {
      out[name] = -Number(init.getOperand().getText());
    } else if (init.getKind() === SyntaxKind.TrueKeyword || init.getKind() === SyntaxKind.FalseKeyword) out[name] = init.getKind() === SyntaxKind.TrueKeyword;
    else if (Node.isArrayLiteralExpression(init)) {
      const items = init.getElements();
      if (items.every((e) => Node.isStringLiteral(e))) out[name] = items.map((e) => (e as unknown as { getLiteralValue(): string }).getLiteralValue());
      else report(init, `'${name}' must be an array of string literals`);
    } else if (['name', 'vendor', 'version', 'short'].includes(name))
      report(init, `'${name}' must be a literal so the SDK can read it without running the code`);
  }
  return out;
}

function decoratorOptions(decorator: Decorator, report: (n: Node, m: string) => void): Record<string, Literal> {
  const arg = decorator.getArguments()[0];
  return arg ? readLiterals(arg, report) : {};
}

/** A type as the developer wrote it: its own name when it has one, not an import("...") path. */
function typeText(type: Type, at: Node): string {
  const named = type.getAliasSymbol() ?? (type.isObject() && !type.isAnonymous() ? type.getSymbol() : undefined);
  const args = type.getAliasTypeArguments().length > 0 ? type.getAliasTypeArguments() : type.getTypeArguments();
  if (named && !named.getName().startsWith('__'))
    return args.length > 0 ? `${named.getName()}<${args.map((a) => typeText(a, at)).join(', ')}>` : named.getName();
  return type.getText(at);
}

/** Checks every handler and returns the event types the SBB handles. */
function checkHandlers(
  cls: ClassDeclaration,
  known: readonly KnownEventType[],
  eventTypeOf: (arg: Node) => KnownEventType | undefined,
  report: (n: Node, m: string) => void,
): ComponentId[] {
  const handled = new Map<string, ComponentId>();
  const methods = new Map(cls.getMethods().map((m) => [m.getName(), m]));
  for (const method of cls.getMethods()) {
    const name = method.getName();
    const explicit = method.getDecorator('EventHandler');
    let types: KnownEventType[];
    if (explicit) {
      const arg = explicit.getArguments()[0];
      const args = arg && Node.isArrayLiteralExpression(arg) ? arg.getElements() : arg ? [arg] : [];
      const found = args.map(eventTypeOf);
      if (args.length === 0 || found.some((t) => t === undefined)) {
        report(
          explicit,
          `@EventHandler on ${name} names an event type the SDK does not know; pass a constant made with defineEventType, one exported by 'sleet' (SipRequestEvents.INVITE), or declare it under "sleet.eventTypes" in package.json`,
        );
        continue;
      }
      types = found as KnownEventType[];
    } else if (handlerShortName(name) !== undefined) {
      const short = handlerShortName(name);
      const candidates = known.filter(
        (k, i) => k.short === short && known.findIndex((o) => o.name === k.name && o.vendor === k.vendor && o.version === k.version) === i,
      );
      const shorts = [...new Set(known.map((k) => `on${k.short}`))].sort().join(', ');
      const match = matchShortName(
        name,
        candidates,
        `rename it to one of ${shorts}, or declare the event type with defineEventType(..., { short: '${short}' }) or in "sleet.eventTypes"`,
      );
      if ('violation' in match) {
        reportViolation(report, method.getNameNode(), match.violation);
        continue;
      }
      types = [match.type];
    } else {
      if (method.getDecorator('InitialEvent')) reportViolation(report, method.getNameNode(), initialWithoutHandlerViolation(name));
      continue;
    }
    for (const type of types) {
      handled.set(componentKey(type), { name: type.name, vendor: type.vendor, version: type.version });
      checkHandlerSignature(method, type, report);
    }
    const initial = method.getDecorator('InitialEvent');
    if (initial) checkInitialEvent(initial, methods, report);
  }
  return [...handled.values()];
}

function checkHandlerSignature(method: MethodDeclaration, type: KnownEventType, report: (n: Node, m: string) => void): void {
  const param = method.getParameters()[0];
  if (!param || !type.payload) return;
  const paramType = param.getType();
  if (!type.payload.isAssignableTo(paramType)) {
    report(
      param,
      `handler ${method.getName()}: its event parameter has type '${typeText(paramType, param)}', but event type ${type.name} delivers '${typeText(type.payload, param)}'; change the parameter type to '${typeText(type.payload, param)}'`,
    );
  }
}

function checkInitialEvent(decorator: Decorator, methods: Map<string, MethodDeclaration>, report: Report): void {
  const options = decoratorOptions(decorator, report);
  const select = Array.isArray(options.select) ? options.select : undefined;
  const selectorName = options.selector === undefined ? undefined : String(options.selector);
  for (const violation of selectionViolations({ select, selector: selectorName }, (name) => methods.has(name))) reportViolation(report, decorator, violation);
  const selector = selectorName === undefined ? undefined : methods.get(selectorName);
  if (!selector) return;
  const params = selector.getParameters();
  const returns = selector.getReturnType().getText(selector);
  if (params.length !== 1 || !/\bInitialEventSelector\b/.test(params[0]!.getType().getText(selector)) || !/\bInitialEventSelector\b/.test(returns)) {
    report(selector.getNameNode(), `selector method ${selector.getName()} must have the signature (selector: InitialEventSelector): InitialEventSelector`);
  }
}

function checkCmpFields(cls: ClassDeclaration, report: (n: Node, m: string) => void): void {
  for (const prop of cls.getProperties()) {
    if (!prop.getDecorator('Cmp')) continue;
    const reason = unserialisableReason(prop.getType(), prop);
    if (reason) reportViolation(report, prop.getNameNode(), cmpViolation(prop.getName(), typeText(prop.getType(), prop), reason));
  }
}

/** The project's `@Injectable` classes a class's constructor takes, and theirs in turn, each once. */
function injectablesOf(cls: ClassDeclaration, found: ClassDeclaration[] = []): ClassDeclaration[] {
  for (const param of cls.getConstructors().flatMap((c) => c.getParameters())) {
    for (const decl of param.getType().getSymbol()?.getDeclarations() ?? []) {
      if (!Node.isClassDeclaration(decl) || !decl.getDecorator('Injectable') || found.includes(decl)) continue;
      found.push(decl);
      injectablesOf(decl, found);
    }
  }
  return found;
}

/** The links of `@RaLink` on the SBB and on the injectables it takes. */
function checkRaLinks(cls: ClassDeclaration, declared: readonly string[], report: (n: Node, m: string) => void): string[] {
  const links = new Set<string>();
  const decorated = [cls, ...injectablesOf(cls)].flatMap((c) => [...c.getProperties(), ...c.getConstructors().flatMap((k) => k.getParameters())]);
  for (const node of decorated) {
    const decorator = node.getDecorator('RaLink');
    if (!decorator) continue;
    const arg = decorator.getArguments()[0];
    if (!arg || !Node.isStringLiteral(arg)) {
      report(decorator, '@RaLink needs a string literal link name');
      continue;
    }
    const link = arg.getLiteralValue();
    links.add(link);
    if (!declared.includes(link)) {
      report(
        arg,
        `resource-adaptor link '${link}' is not declared; add it to "sleet.raLinks" in package.json (declared: ${declared.length > 0 ? declared.join(', ') : 'none'})`,
      );
    }
  }
  return [...links];
}
