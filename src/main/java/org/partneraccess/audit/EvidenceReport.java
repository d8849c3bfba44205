package org.partneraccess.audit;

import java.util.List;

/**
 * The audit evidence of one identity with its verification verdict: every entry checked against its neighbours in its
 * chain, and the whole trail verified at the same time.
 */
public record EvidenceReport(String identityId, List<Line> entries, AuditLog.Verification chain) {

    /** An entry and what is wrong with it; {@code problem} is null for a sound entry. */
    public record Line(Evidence evidence, String problem) {
    }

    /** True when every entry of the identity is sound and the whole trail is intact. */
    public boolean verified() {
        return chain.intact() && entries.stream().allMatch(line -> line.problem() == null);
    }

    /** One sentence for the printed page. */
    public String verdict() {
        if (verified()) {
            return "VERIFIED: the " + entries.size() + " entries of this identity are unchanged, and the whole audit "
                    + "trail of " + chain.entriesChecked() + " entries is intact as of " + chain.checkedAt() + ".";
        }
        return entries.stream().filter(line -> line.problem() != null).findFirst()
                .map(line -> "BROKEN: entry " + line.evidence().id() + " " + line.problem() + ".")
                .orElse("BROKEN: the audit trail is broken " + (chain.firstBrokenEntry() == null ? ""
                        : "at entry " + chain.firstBrokenEntry() + " ") + "(" + chain.problem()
                        + "); the evidence cannot be relied on until that is explained.");
    }
}
