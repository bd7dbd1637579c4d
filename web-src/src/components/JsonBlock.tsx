import { View } from '@adobe/react-spectrum/View';

/** A payload shown as indented JSON, scrollable and focusable so keyboard users can scroll it. */
export function JsonBlock(props: { value: unknown; label: string }) {
  return (
    <View borderWidth="thin" borderColor="default" borderRadius="small" backgroundColor="gray-75" padding="size-100" overflow="auto" maxHeight="size-4600">
      <pre tabIndex={0} aria-label={props.label} style={{ margin: 0, fontSize: 12, fontFamily: 'var(--spectrum-alias-code-text-font-family, monospace)', whiteSpace: 'pre' }}>
        {props.value === null || props.value === undefined ? '(none)' : JSON.stringify(props.value, null, 2)}
      </pre>
    </View>
  );
}
