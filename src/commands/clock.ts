/**
 * The time recorded with a submission or a change of its status, to the minute only: an exact timestamp could be
 * matched against a network observer's logs to find who sent it.
 */
export function coarseNow(now: Date = new Date()): string {
  const minute = new Date(now);
  minute.setUTCSeconds(0, 0);
  return minute.toISOString();
}
