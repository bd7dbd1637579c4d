/** Value maps reach the Heartland mappers as plain lookups (same contract as lib/commerce/mappers/lookup.ts). */
import { placeholder, type Ref } from '../../model/planned-request';

export type ValueLookup = (key: string) => string | number | boolean | null | undefined;

export const noLookup: ValueLookup = () => undefined;

/**
 * A value map entry that names a Heartland record: a number is its id; text is a name still to
 * be looked up (payment types and shipping methods have per-merchant ids), so it becomes a placeholder.
 */
export function idOrNamed(value: ReturnType<ValueLookup>, what: string): Ref | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  if (typeof value === 'string' && value.trim() !== '') return placeholder(what, { name: value.trim() });
  return undefined;
}
