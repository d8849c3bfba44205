package org.partneraccess.partnership;

/**
 * What the registry does with a lifecycle request that the partnership's process cannot take because it no longer runs
 * (its instance deleted or suspended through the engine's API). Ending access never depends on the engine; granting it
 * again does: a partnership without its process is not resumed.
 */
public interface PartnershipWithoutProcess {

    /**
     * Ends the partnership and every identity of it from the registry, audited as done without its process.
     *
     * @return whether anything was ended; false when the partnership has ended already
     */
    boolean terminate(String partnershipKey, String reason, String actor);
}
