package org.partneraccess.machine;

/** The one-time token from the owner's mail. */
public record SecretRetrieval(String token) {

    @Override
    public String toString() {
        return "SecretRetrieval[token=******]";
    }
}
