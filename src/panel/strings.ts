import type { UiStrings } from '../protocol';

/** Translates one message; `comment` helps translators. The host passes vscode.l10n.t. */
export type StringTranslator = (message: string, comment?: string) => string;

/**
 * The view's strings in the user's language. Placeholders in braces (`{seconds}`) are left
 * for the view to fill: vscode.l10n.t keeps placeholders it has no value for. Pure, so tests
 * build the same `init` the host sends.
 */
export function uiStrings(t: StringTranslator = (message) => message): UiStrings {
  return {
    title: t('Socket Lifecycle'),
    tabLive: t('Live'),
    tabTimeline: t('Timeline'),
    diagramLabel: t('TCP state diagram with the watched sockets on their states'),
    diagramHint: t('Select a state (click, or Enter) to see what brings a socket there and what ends it.'),
    stateArrivedBy: t('How a socket gets here'),
    stateEndedBy: t('What ends it'),
    stateDuration: t('How long it lasts'),
    stateSockets: t('{count} watched socket(s) in this state', '{count} is a number'),
    markerLabel: t('{local} to {remote}, {state}', 'a socket marker: local endpoint, remote endpoint, TCP state'),
    tableLabel: t('Watched sockets'),
    colLocal: t('Local'),
    colRemote: t('Remote'),
    colState: t('State'),
    colTimer: t('Timer'),
    colQueues: t('Recv-Q / Send-Q'),
    colProcess: t('Process'),
    filterLabel: t('Filter sockets'),
    filterPlaceholder: t('Filter: port, state, process'),
    sortAscending: t('sorted ascending'),
    sortDescending: t('sorted descending'),
    noProcess: t('no process (kernel-held)'),
    processUnknown: t('process unknown'),
    noTimer: t('none'),
    noTimersPlatform: t('This platform\'s socket table (netstat) reports no timers, so no countdown can be shown.'),
    timerTimeWait: t('TIME_WAIT ends in {seconds} s', '{seconds} counts down'),
    timerFinWait2: t('orphaned FIN_WAIT2 ends in {seconds} s'),
    timerKeepalive: t('keepalive in {seconds} s, probes {probes}'),
    timerRetransmit: t('retransmit in {seconds} s ({count} so far)'),
    timerProbe: t('zero-window probe in {seconds} s'),
    queues: t('{rx} / {tx}'),
    emptyTitle: t('No watched sockets yet'),
    emptyBody: t('Run a lesson or an echo program, or watch the port of your own server below. Every socket on a watched port appears here live.'),
    startLesson: t('Start the TIME_WAIT lesson'),
    watchLabel: t('Port to watch'),
    watchAdd: t('Watch'),
    watchRemove: t('Stop watching port {port}'),
    watching: t('Watching:'),
    rowsShown: t('{shown} of {total} sockets'),
    timelineLabel: t('Timeline of kernel transitions and program events'),
    timelineEmpty: t('Nothing has happened on the watched ports yet.'),
    laneKernel: t('kernel'),
    lanePrograms: t('programs'),
    appeared: t('appeared'),
    evRecvEof: t('recv() returned 0: the peer sent FIN'),
    evBytes: t('{bytes} bytes'),
    gone: t('gone'),
    sequenceTitle: t('Teardown of {a} and {b}'),
    sequenceNone: t('No connection has closed yet. When one does, its FIN/ACK exchange is drawn here.'),
    inferredNote: t('Segments are inferred from the kernel states and program events, not captured: dashed lines mark them.'),
    inferred: t('inferred'),
    server: t('server'),
    client: t('client'),
    segFin: t('FIN'),
    segAck: t('ACK'),
    segRst: t('RST'),
    leftInTimeWait: t('{side} is left in TIME_WAIT'),
    closedFirst: t('{side} closed first'),
    peerRow: t('peer of the selected socket'),
  };
}
