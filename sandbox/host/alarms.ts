/**
 * Fires the app's alarm triggers locally (`aio app dev` ignores them; appbuilder.md §3).
 * `/whisk.system/alarms/interval` triggers fire every `minutes` minutes, where a "minute" is
 * `minuteMs` long so tests can run a schedule in milliseconds. A rule's action never overlaps
 * itself: a tick that finds the previous run still going is skipped, like a lease would.
 */
import type { AppConfig, TriggerDeclaration } from './app-config';

export interface AlarmScheduler {
  /** Fires a trigger now (by name) and waits for its rules' actions to finish. */
  fire(triggerName: string): Promise<void>;
  stop(): void;
}

export interface AlarmOptions {
  config: AppConfig;
  minuteMs: number;
  enabled: boolean;
  /** Runs `<package>/<action>` with the trigger's params; resolves when the activation ends. */
  runAction: (fullName: string, params: Record<string, unknown>) => Promise<unknown>;
  log: (line: string) => void;
}

function triggerPayload(trigger: TriggerDeclaration): Record<string, unknown> {
  const payload = trigger.inputs.trigger_payload;
  return typeof payload === 'object' && payload !== null ? { ...(payload as Record<string, unknown>) } : {};
}

export function startAlarms(options: AlarmOptions): AlarmScheduler {
  const running = new Map<string, Promise<void>>();
  const timers: NodeJS.Timeout[] = [];

  async function fireTrigger(trigger: TriggerDeclaration): Promise<void> {
    const rules = options.config.rules.filter((rule) => rule.trigger === trigger.name && rule.packageName === trigger.packageName);
    await Promise.all(
      rules.map((rule) => {
        if (running.has(rule.action)) {
          options.log(`[alarms] ${trigger.name}: ${rule.action} is still running, tick skipped`);
          return running.get(rule.action);
        }
        const run = options
          .runAction(rule.action, triggerPayload(trigger))
          .then(() => undefined)
          .catch((error: unknown) => options.log(`[alarms] ${rule.action} failed: ${(error as Error).message}`))
          .finally(() => running.delete(rule.action));
        running.set(rule.action, run);
        return run;
      }),
    );
  }

  if (options.enabled) {
    for (const trigger of options.config.triggers) {
      if (trigger.feed !== '/whisk.system/alarms/interval') {
        options.log(`[alarms] trigger ${trigger.name}: feed ${trigger.feed} is not simulated locally`);
        continue;
      }
      const minutes = Number(trigger.inputs.minutes);
      if (!Number.isFinite(minutes) || minutes <= 0) {
        options.log(`[alarms] trigger ${trigger.name}: inputs.minutes must be a positive number`);
        continue;
      }
      const timer = setInterval(() => void fireTrigger(trigger), minutes * options.minuteMs);
      timer.unref();
      timers.push(timer);
    }
  }

  return {
    async fire(triggerName) {
      const trigger = options.config.triggers.find((t) => t.name === triggerName);
      if (!trigger) throw new Error(`no trigger named ${triggerName} in app.config.yaml`);
      await fireTrigger(trigger);
    },
    stop() {
      for (const timer of timers) clearInterval(timer);
    },
  };
}
