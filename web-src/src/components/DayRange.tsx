import { DateRangePicker } from '@adobe/react-spectrum/DateRangePicker';
import { parseDate, type CalendarDate } from '@internationalized/date';

export interface DayRangeValue { from: string; to: string }

/** A from/to day picker; days are ISO `YYYY-MM-DD`, the format admin-api takes. */
export function DayRange(props: { label: string; value: DayRangeValue; onChange: (value: DayRangeValue) => void }) {
  const value = { start: parseDate(props.value.from), end: parseDate(props.value.to) };
  return (
    <DateRangePicker
      label={props.label}
      value={value}
      maxVisibleMonths={2}
      onChange={(range: { start: CalendarDate; end: CalendarDate } | null) => {
        if (range) props.onChange({ from: range.start.toString(), to: range.end.toString() });
      }}
    />
  );
}

/** The last `days` days up to today (UTC), as the default range. */
export function lastDays(days: number, now = new Date()): DayRangeValue {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(now.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}
