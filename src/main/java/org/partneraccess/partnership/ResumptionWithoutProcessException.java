package org.partneraccess.partnership;

/**
 * A suspended partnership whose process does not run is not resumed: without it no review, contract end, scope change
 * or risk downgrade would govern the access given back (the registry's sweeps hold only end dates and missed reviews).
 * Says why and what to do, which differs for an instance an administrator suspended and one that was deleted.
 */
public class ResumptionWithoutProcessException extends TriggerNotAcceptedException {

    /** What became of the partnership's process instance in the engine. */
    public enum Process { SUSPENDED, DELETED }

    private final String partnershipKey;
    private final Process process;

    ResumptionWithoutProcessException(String partnershipKey, Process process) {
        super("Partnership " + partnershipKey + " stays suspended: " + why(process) + " " + remedy(partnershipKey, process));
        this.partnershipKey = partnershipKey;
        this.process = process;
    }

    private static String why(Process process) {
        return process == Process.SUSPENDED
                ? "its process instance is suspended in the engine, so nothing would take the resumption."
                : "its process instance was deleted in the engine, and without it no review, contract end or scope"
                        + " change would govern the access given back.";
    }

    private static String remedy(String partnershipKey, Process process) {
        return process == Process.SUSPENDED
                ? "A Camunda administrator activates the instance again (Cockpit); then ask for the resumption again."
                : "Terminate it (POST /api/partnerships/" + partnershipKey + "/termination) and request a new"
                        + " partnership.";
    }

    public String getPartnershipKey() {
        return partnershipKey;
    }

    public Process getProcess() {
        return process;
    }

    /** What the audit entry of the refusal says. */
    String auditDetail(String reason) {
        return "reason=" + reason + "; refused, the process instance is " + process.name().toLowerCase() + ": "
                + remedy(partnershipKey, process);
    }
}
