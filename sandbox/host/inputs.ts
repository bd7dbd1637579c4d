/**
 * Action inputs with `$VAR` / `${VAR}` taken from the environment, as `aio app dev|deploy` do.
 * An unset variable becomes an empty string, which the actions treat as "not configured".
 */
const WHOLE_VAR = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/;
const EMBEDDED_VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function interpolateInputs(inputs: Record<string, unknown>, env: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(inputs)) {
    if (typeof value !== 'string') {
      out[name] = value;
      continue;
    }
    const whole = WHOLE_VAR.exec(value);
    if (whole) out[name] = env[whole[1] ?? whole[2]] ?? '';
    else out[name] = value.replace(EMBEDDED_VAR, (_match, variable: string) => env[variable] ?? '');
  }
  return out;
}
