import { Item, Picker } from '@adobe/react-spectrum/Picker';
import { FLOW_NAMES } from '../../../lib/admin/contract';

/** "All flows" or one flow, for the filter bars. */
export function FlowPicker(props: { value: string; onChange: (flow: string) => void }) {
  return (
    <Picker label="Flow" selectedKey={props.value || 'all'} onSelectionChange={(key) => props.onChange(key === 'all' ? '' : String(key))} width="size-2000">
      {[<Item key="all">All flows</Item>, ...FLOW_NAMES.map((name) => <Item key={name}>{name}</Item>)]}
    </Picker>
  );
}
