import type { ReactNode } from 'react';
import { Button } from '@adobe/react-spectrum/Button';
import { Content } from '@adobe/react-spectrum/Content';
import { Flex } from '@adobe/react-spectrum/Flex';
import { Heading } from '@adobe/react-spectrum/Heading';
import { IllustratedMessage } from '@adobe/react-spectrum/IllustratedMessage';
import { InlineAlert } from '@adobe/react-spectrum/InlineAlert';
import { ProgressCircle } from '@adobe/react-spectrum/ProgressCircle';
import type { ResourceState } from './useResource';

/** The loading, error and empty states every page shares, around the page's own rendering. */
export function Resource<T>(props: {
  state: ResourceState<T> & { reload: () => void };
  label: string;
  isEmpty?: (data: T) => boolean;
  empty?: { title: string; body: string };
  children: (data: T) => ReactNode;
}) {
  const { state, label } = props;
  if (state.status === 'error') return <ErrorState title={`Could not load ${label}`} error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) {
    return (
      <Flex justifyContent="center" marginTop="size-400">
        <ProgressCircle aria-label={`Loading ${label}`} isIndeterminate />
      </Flex>
    );
  }
  if (props.isEmpty?.(state.data)) {
    return <EmptyState title={props.empty?.title ?? `No ${label} yet`} body={props.empty?.body ?? ''} />;
  }
  return <>{props.children(state.data)}</>;
}

export function ErrorState(props: { title: string; error: Error; onRetry?: () => void }) {
  return (
    <InlineAlert variant="negative" marginTop="size-200">
      <Heading>{props.title}</Heading>
      <Content>
        <Flex direction="column" gap="size-100" alignItems="start">
          <span>{props.error.message}</span>
          {props.onRetry && <Button variant="secondary" onPress={props.onRetry}>Try again</Button>}
        </Flex>
      </Content>
    </InlineAlert>
  );
}

export function EmptyState(props: { title: string; body: string }) {
  return (
    <IllustratedMessage marginTop="size-300">
      <Heading>{props.title}</Heading>
      <Content>{props.body}</Content>
    </IllustratedMessage>
  );
}
