import type { DiagramEdge } from '../protocol';
import { tcpEdges } from '../tcp/transitions';

/** The diagram's edges: the shared state machine (src/tcp/transitions.ts) in protocol form. */
export function diagramEdges(): DiagramEdge[] {
  return tcpEdges().map(({ from, to, event, action, kind }) => ({ from, to, event, action, kind }));
}
