package org.partneraccess.partnership;

import org.partneraccess.PlainText;
import java.util.Set;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** What to add to a partnership; what it has stays as it is while the change is reviewed. */
public record ScopeChangeRequest(
        @NotNull Set<@NotNull @Pattern(regexp = "[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*", message = "a scope name such as orders.read")
                String> clientScopes,
        @NotNull Set<@NotNull @Pattern(regexp = "public|internal|confidential|regulated",
                message = "one of public, internal, confidential, regulated") String> dataClasses,
        @NotNull Set<@NotNull @Pattern(regexp = "development|test|staging|production",
                message = "one of development, test, staging, production") String> environments,
        @NotBlank @Size(max = 1000) @PlainText(multiline = true) String reason) {

    public ScopeChangeRequest {
        clientScopes = clientScopes == null ? Set.of() : clientScopes;
        dataClasses = dataClasses == null ? Set.of() : dataClasses;
        environments = environments == null ? Set.of() : environments;
    }
}
