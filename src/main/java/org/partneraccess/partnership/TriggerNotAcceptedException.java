package org.partneraccess.partnership;


/** The partnership is in a state where this trigger means nothing (resuming an active one, say). */
public class TriggerNotAcceptedException extends RuntimeException {

    /** @param subject what it concerns and its state, e.g. "Partnership acme is SUSPENDED" */
    public TriggerNotAcceptedException(String subject, String message) {
        super(subject + " and does not accept " + message + " now");
    }

    /** @param detail the whole explanation, for a refusal that says more than the state */
    protected TriggerNotAcceptedException(String detail) {
        super(detail);
    }
}
