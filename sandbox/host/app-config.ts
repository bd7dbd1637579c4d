/**
 * Reads app.config.yaml the way `aio` does for what the local host needs: the actions of every
 * package (application and extensions, following `$include`), their inputs and annotations, and
 * the alarm triggers and rules. Relative paths in an included file are resolved against that
 * file's folder, as aio-cli-lib-app-config does.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';

export type WebMode = 'yes' | 'no' | 'raw';

export interface ActionDeclaration {
  /** `<package>/<action>` */
  fullName: string;
  packageName: string;
  name: string;
  /** Absolute path of the action's module. */
  functionPath: string;
  web: WebMode;
  requireAdobeAuth: boolean;
  final: boolean;
  /** Inputs as written (`$VAR` not yet interpolated). */
  inputs: Record<string, unknown>;
}

export interface TriggerDeclaration {
  packageName: string;
  name: string;
  feed: string;
  inputs: Record<string, unknown>;
}

export interface RuleDeclaration {
  packageName: string;
  name: string;
  trigger: string;
  /** `<package>/<action>` */
  action: string;
}

export interface AppConfig {
  actions: Map<string, ActionDeclaration>;
  triggers: TriggerDeclaration[];
  rules: RuleDeclaration[];
}

type Node = Record<string, unknown>;

function isObject(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function loadYaml(file: string): unknown {
  return parse(readFileSync(file, 'utf8'));
}

/** Replaces every `{ $include: path }` by the included document, rewriting `function:` paths to absolute ones. */
function resolveIncludes(node: unknown, baseDir: string, seen: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((item) => resolveIncludes(item, baseDir, seen));
  if (!isObject(node)) return node;
  if (typeof node.$include === 'string') {
    const file = resolve(baseDir, node.$include);
    if (seen.has(file)) throw new Error(`app config: $include cycle through ${file}`);
    const included = resolveIncludes(loadYaml(file), dirname(file), new Set([...seen, file]));
    const rest = Object.fromEntries(Object.entries(node).filter(([key]) => key !== '$include'));
    return isObject(included) ? { ...included, ...(resolveIncludes(rest, baseDir, seen) as Node) } : included;
  }
  const out: Node = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'function' && typeof value === 'string') out[key] = isAbsolute(value) ? value : resolve(baseDir, value);
    else out[key] = resolveIncludes(value, baseDir, seen);
  }
  return out;
}

function webMode(value: unknown): WebMode {
  if (value === true || value === 'yes' || value === 'true') return 'yes';
  if (value === 'raw') return 'raw';
  return 'no';
}

function readPackages(manifest: unknown, config: AppConfig): void {
  if (!isObject(manifest) || !isObject(manifest.packages)) return;
  for (const [packageName, pkg] of Object.entries(manifest.packages)) {
    if (!isObject(pkg)) continue;
    for (const [name, action] of Object.entries(isObject(pkg.actions) ? pkg.actions : {})) {
      if (!isObject(action) || typeof action.function !== 'string') continue;
      const annotations = isObject(action.annotations) ? action.annotations : {};
      const fullName = `${packageName}/${name}`;
      config.actions.set(fullName, {
        fullName,
        packageName,
        name,
        functionPath: action.function,
        // `web-export` is the older spelling of `web`.
        web: webMode(action.web ?? action['web-export']),
        requireAdobeAuth: annotations['require-adobe-auth'] === true,
        final: annotations.final === true,
        inputs: isObject(action.inputs) ? action.inputs : {},
      });
    }
    for (const [name, trigger] of Object.entries(isObject(pkg.triggers) ? pkg.triggers : {})) {
      if (!isObject(trigger) || typeof trigger.feed !== 'string') continue;
      config.triggers.push({ packageName, name, feed: trigger.feed, inputs: isObject(trigger.inputs) ? trigger.inputs : {} });
    }
    for (const [name, rule] of Object.entries(isObject(pkg.rules) ? pkg.rules : {})) {
      if (!isObject(rule) || typeof rule.trigger !== 'string' || typeof rule.action !== 'string') continue;
      // A rule's action is relative to its package unless it names one.
      const action = rule.action.includes('/') ? rule.action.replace(/^\/+/, '') : `${packageName}/${rule.action}`;
      config.rules.push({ packageName, name, trigger: rule.trigger, action });
    }
  }
}

export function loadAppConfig(appConfigPath: string): AppConfig {
  const file = resolve(appConfigPath);
  const document = resolveIncludes(loadYaml(file), dirname(file), new Set([file]));
  const config: AppConfig = { actions: new Map(), triggers: [], rules: [] };
  if (!isObject(document)) throw new Error(`app config ${file} is not a YAML mapping`);
  if (isObject(document.application)) readPackages(document.application.runtimeManifest, config);
  if (isObject(document.extensions)) {
    for (const extension of Object.values(document.extensions)) {
      if (isObject(extension)) readPackages(extension.runtimeManifest, config);
    }
  }
  return config;
}
