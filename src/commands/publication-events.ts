type Listener = () => void;

const listeners = new Set<Listener>();

/**
 * Tells this process that what the public sees has changed (a statement published, retracted,
 * featured or translated), after the change committed. The public page cache listens and drops
 * what it holds; other processes see the change when their cached pages expire.
 */
export function publicationChanged(): void {
  for (const listener of listeners) listener();
}

/** Calls `listener` after every publication change in this process; returns the unsubscribe. */
export function onPublicationChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
