package org.partneraccess.human;

import org.partneraccess.PlainText;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** An extra role for a stated reason and a few hours. */
public record ElevationRequest(
        @NotBlank @Size(max = 100) String role,
        @NotBlank @Size(min = 10, max = 1000, message = "say in 10 to 1000 characters why the extra role is needed")
        @PlainText(multiline = true) String reason,
        @NotNull @Min(1) Integer hours) {
}
