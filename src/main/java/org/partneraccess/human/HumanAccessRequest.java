package org.partneraccess.human;

import org.partneraccess.PlainText;
import java.time.LocalDate;
import java.util.Set;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** What a requester asks for when a partner person needs access; roles are named like the partnership's scopes. */
public record HumanAccessRequest(
        @NotBlank @Size(max = 100) @PlainText String firstName,
        @NotBlank @Size(max = 100) @PlainText String lastName,
        @NotBlank @Email @Size(max = 320) String email,
        @NotEmpty Set<@NotNull @Pattern(regexp = "[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*", message = "a role name such as orders.read")
                String> roles,
        @NotBlank @Size(min = 20, max = 2000, message = "say in 20 to 2000 characters why this person needs access")
        @PlainText(multiline = true) String purpose,
        @NotNull @Future LocalDate endDate) {
}
