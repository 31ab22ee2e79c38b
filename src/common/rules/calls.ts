/**
 * The call history's facts as every reader tells them (staff call history, staff case log, the
 * customer's news): which way a call went, who placed it and who the other party was.
 */

/** `outgoing`: we called the other party; `incoming`: the other party called us. */
export const callDirections = ['outgoing', 'incoming'] as const;
export type CallDirection = (typeof callDirections)[number];

/**
 * Calls recorded before the direction existed were calls made through the app (the guide's call
 * history: "the number called and the name of the person who called"), so they read as outgoing.
 */
export const defaultCallDirection: CallDirection = 'outgoing';

/** A `call_recorded` event's data as stored, of any age. */
export type StoredCall = {
  direction?: CallDirection;
  callerName: string;
  partyName?: string | null;
  number: string;
  reached: boolean;
  durationSeconds: number;
};

/** The facts of a call, the same for an event written before direction and other party existed. */
export function callFacts(data: StoredCall) {
  const direction: CallDirection = data.direction === 'incoming' ? 'incoming' : defaultCallDirection;
  // On an incoming call the other party placed it: the caller's name is theirs.
  const partyName = data.partyName ?? (direction === 'incoming' ? data.callerName : null);
  return {
    direction,
    callerName: data.callerName,
    partyName,
    number: data.number,
    reached: data.reached,
    durationSeconds: data.durationSeconds,
  };
}

/** A call's length as "3 min 20 s", "3 min" or "45 s" (the same in nb and en). */
export function formatCallDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
