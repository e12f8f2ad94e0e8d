import type { Alert, DriverAlert } from './core/alert.js';
import type { AlertRecord } from './ports.js';

/**
 * What the watch keeps of each alert about a version: the original words (to rebuild it), what the version
 * history said when it went out, and where it went. An alert that names no version, or no driver, has nothing
 * the watch could amend.
 */
export function alertRecords(alerts: readonly Alert[], destinations: readonly string[], sentAt: number): AlertRecord[] {
  return alerts.flatMap((alert) =>
    alert.kind === 'unrecognised' || alert.version === null
      ? []
      : [recordOf(alert, alert.version, destinations, sentAt)],
  );
}

function recordOf(alert: DriverAlert, version: string, destinations: readonly string[], sentAt: number): AlertRecord {
  return {
    messageId: alert.messageId,
    index: alert.index,
    family: alert.family,
    version,
    kind: alert.kind,
    notesPublished: alert.notesPublished,
    releaseDate: alert.releaseDate,
    rolledBack: alert.kind === 'rollback' || (alert.kind === 'release' && alert.versionRolledBack),
    source: alert.source,
    subject: alert.original.subject,
    message: alert.original.message,
    sentAt,
    destinations,
  };
}
