import { useState } from 'react';
import { Button } from '@adobe/react-spectrum/Button';
import { Content } from '@adobe/react-spectrum/Content';
import { Flex } from '@adobe/react-spectrum/Flex';
import { Heading } from '@adobe/react-spectrum/Heading';
import { InlineAlert } from '@adobe/react-spectrum/InlineAlert';
import { Text } from '@adobe/react-spectrum/Text';
import { useApi } from '../components/ApiContext';
import { EmptyState, ErrorState } from '../components/Resource';

/**
 * The order-grid mass action "Resend to Heartland": runs the order flow for the selected Magento
 * orders. Orders already in Heartland are found by their external reference and updated, never
 * duplicated (DESIGN.md §1.2), so resending is always safe.
 */
export default function ResendOrders(props: { orderIds: string[] }) {
  const api = useApi();
  const [state, setState] = useState<{ jobId: string } | Error | null>(null);
  const [busy, setBusy] = useState(false);
  const count = props.orderIds.length;
  if (count === 0) return <EmptyState title="No orders selected" body="Select orders in the order grid, then choose Resend to Heartland." />;
  const resend = async () => {
    setBusy(true);
    try {
      setState(await api.syncNow('order', { ids: props.orderIds }));
    } catch (error) {
      setState(error as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Flex direction="column" gap="size-200" maxWidth="size-6000">
      <Heading level={1} margin={0}>Resend to Heartland</Heading>
      <Text>{count === 1 ? '1 order' : `${count} orders`} will be read again from Commerce and sent to Heartland: {props.orderIds.join(', ')}.</Text>
      {!(state && !(state instanceof Error)) && (
        <Button variant="accent" alignSelf="start" onPress={resend} isPending={busy}>Resend {count === 1 ? '1 order' : `${count} orders`}</Button>
      )}
      {state instanceof Error && <ErrorState title="The orders were not resent" error={state} />}
      {state && !(state instanceof Error) && (
        <InlineAlert variant="positive">
          <Heading>Resend started</Heading>
          <Content>Job {state.jobId}. Each order's result appears on the Activity page of the connector.</Content>
        </InlineAlert>
      )}
    </Flex>
  );
}
