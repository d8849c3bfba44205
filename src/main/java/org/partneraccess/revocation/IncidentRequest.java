package org.partneraccess.revocation;

import org.partneraccess.PlainText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A reported incident: what happened, how bad, where it is tracked, and whether it ends the partnership. */
public record IncidentRequest(@NotBlank @Size(max = 1000) @PlainText(multiline = true) String reason, @NotNull Severity severity,
                              @Size(max = 200) @PlainText String reporterReference, boolean terminate) {

    public enum Severity { LOW, MEDIUM, HIGH, CRITICAL }
}
