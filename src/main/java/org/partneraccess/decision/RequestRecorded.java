package org.partneraccess.decision;

/**
 * Published inside the transaction that registers a request (a partnership, a person, a machine), so that a listener
 * acting after its commit confirms only a request that was stored.
 *
 * @param subject what the request is on, as "My requests" names it: the partnership key or the identity id
 * @param requester the authenticated user who asked
 */
public record RequestRecorded(String subject, String requester) {
}
