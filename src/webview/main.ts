// The panel's front end; the panel issue builds it out. It only announces itself for now.
const vscodeApi = acquireVsCodeApi();
vscodeApi.postMessage({ type: 'ready' });
