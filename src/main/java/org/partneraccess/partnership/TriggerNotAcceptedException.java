package org.partneraccess.partnership;

import org.partneraccess.LifecycleState;

/** The partnership is in a state where this trigger means nothing (resuming an active one, say). */
public class TriggerNotAcceptedException extends RuntimeException {

    public TriggerNotAcceptedException(String partnershipKey, String message, LifecycleState state) {
        super("Partnership " + partnershipKey + " is " + state + " and does not accept " + message + " now");
    }
}
