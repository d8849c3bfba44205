package org.partneraccess.partnership;

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

/** What a requester asks for when a partner relationship begins. */
public record PartnershipRequest(
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{2,39}", message = "3 to 40 lower-case letters, digits or dashes")
        String partnershipKey,
        @NotBlank @Size(max = 200) @PlainText String legalName,
        @NotBlank @Size(max = 100) String sponsor,
        @NotBlank @Size(max = 100) String businessOwner,
        @NotBlank @Size(max = 100) String technicalOwner,
        @NotBlank @Size(min = 30, max = 2000, message = "describe the purpose in 30 to 2000 characters, specific enough to test")
        @PlainText(multiline = true) String purpose,
        @NotEmpty Set<@NotNull @Pattern(regexp = "public|internal|confidential|regulated",
                message = "one of public, internal, confidential, regulated") String> dataClasses,
        @NotEmpty Set<@NotNull @Pattern(regexp = "development|test|staging|production",
                message = "one of development, test, staging, production") String> environments,
        @NotEmpty Set<@NotNull @Pattern(regexp = "[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*", message = "a scope name such as orders.read")
                String> clientScopes,
        @NotNull @Future LocalDate endDate,
        @NotBlank @Email @Size(max = 320) String contactEmail,
        @NotBlank @Size(max = 100) @PlainText String contactFirstName,
        @NotBlank @Size(max = 100) @PlainText String contactLastName) {
}
