import type { PanelState, PanelTab, ToView, UiStrings } from '../protocol';
import { TCP_STATES, explainState } from '../tcp/states';
import { diagramEdges } from './edges';

/** The `init` message: strings, the state machine with explanations, and the current state. */
export function initMessage(strings: UiStrings, state: PanelState, tab?: PanelTab): ToView {
  return {
    type: 'init', strings, edges: diagramEdges(), state, tab,
    states: TCP_STATES.map((s) => ({ state: s, explanation: explainState(s) })),
  };
}
