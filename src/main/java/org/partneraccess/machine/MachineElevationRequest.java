package org.partneraccess.machine;

import org.partneraccess.PlainText;
import java.util.Set;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** Extra scopes for a stated reason and a bounded time. */
public record MachineElevationRequest(
        @NotEmpty Set<@NotNull @Pattern(regexp = "[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*", message = "a scope name such as orders.write")
                String> clientScopes,
        @NotBlank @Size(min = 10, max = 1000, message = "say why, in 10 to 1000 characters")
        @PlainText(multiline = true) String reason,
        @NotNull @Positive Integer durationMinutes) {
}
