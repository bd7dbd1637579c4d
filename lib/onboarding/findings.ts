/**
 * What a check found, in the merchant's words: what is wrong, and how to fix it. `hcc setup` and
 * `hcc doctor` print these; tests assert on `missing` (the exact permission, ACL resource or module
 * named) so a message can be reworded without losing what it must say.
 */
export type FindingSystem = 'heartland' | 'commerce' | 'connector' | 'runtime';
export type FindingLevel = 'ok' | 'warning' | 'error';

export type FindingKind =
  | 'ok'
  | 'not_configured'
  | 'unreachable'
  | 'wrong_base_url'
  | 'bad_credentials'
  | 'missing_permission'
  | 'missing_acl'
  | 'missing_module'
  | 'unexpected_answer'
  | 'unmapped'
  | 'data_quality';

export interface Finding {
  system: FindingSystem;
  /** Short name of what was checked: `locations`, `MSI sources`, `settings`... */
  check: string;
  level: FindingLevel;
  kind: FindingKind;
  /** One line: what is wrong (or what is fine). Never contains a secret's value. */
  message: string;
  /** The exact thing missing: a Heartland permission, a Commerce ACL resource, a module, a setting name. */
  missing?: string;
  /** What to do about it. */
  fix?: string;
}

export const ok = (system: FindingSystem, check: string, message: string): Finding => ({ system, check, level: 'ok', kind: 'ok', message });

export const hasErrors = (findings: readonly Finding[]) => findings.some((f) => f.level === 'error');
