export * from './model.js';
export { message, type MessageCode } from './messages.js';
export { computeIndication, overallIndication, exitCodeFor, emptyChecks, type IndicationResult } from './indication.js';
export { fileInfo } from './file-info.js';
export { renderReportText } from './render-text.js';
