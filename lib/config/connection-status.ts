/**
 * The connection part of the panel's status (lib/admin/contract.ts `connectionStatus`), derived
 * from the settings alone. `ok` stays false until a real call has been made (`connections/test`
 * or a sync); this module only says whether each side is configured and, if not, what is missing.
 */
import type { ConnectionStatus } from '../admin/contract';
import { type SettingName, settingsStatus } from './settings';

const SYSTEM_PREFIX = { heartland: 'HEARTLAND_', commerce: 'COMMERCE_' } as const;

export function connectionStatuses(inputs: Record<string, string | undefined>): { heartland: ConnectionStatus; commerce: ConnectionStatus } {
  const status = settingsStatus(inputs);
  const forSystem = (system: keyof typeof SYSTEM_PREFIX): ConnectionStatus => {
    const belongs = (name: SettingName) => name.startsWith(SYSTEM_PREFIX[system]);
    const missing = status.missing.filter(belongs);
    const invalid = status.invalid.filter((problem) => belongs(problem.name));
    const configured = missing.length === 0 && invalid.length === 0;
    const problems = [...missing.map((name) => `${name} is not set`), ...invalid.map((problem) => problem.message)];
    return {
      configured,
      ok: false,
      checkedAt: null,
      message: configured ? 'configured; not checked yet' : problems.join('; '),
    };
  };
  return { heartland: forSystem('heartland'), commerce: forSystem('commerce') };
}
