package org.partneraccess.machine;

import org.partneraccess.PlainText;
import java.time.LocalDate;
import java.util.Set;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * What a requester (or the machine's own owner) asks for when a partner workload needs access.
 *
 * @param dataClasses the data the machine reaches, a subset of the partnership's; empty means all of the partnership's
 * @param tokenLifespanSeconds the access token lifespan asked for; empty means the policy's maximum
 * @param jwksUrl where the partner publishes its public keys (signed JWT)
 * @param jwks the partner's public keys as a JWKS document (signed JWT), instead of a URL; JSON or JSON text
 * @param workloadSubject the workload's subject as the partnership's trusted issuer signs it (FEDERATED), e.g.
 *                        {@code system:serviceaccount:orders:sync}
 */
public record MachineRegistration(
        @NotBlank @Size(max = 200) @PlainText String workloadName,
        @NotBlank @Pattern(regexp = "SERVICE_ACCOUNT|WORKLOAD|AI_AGENT", message = "one of SERVICE_ACCOUNT, WORKLOAD, AI_AGENT")
        String machineKind,
        @NotBlank @Size(max = 100) String owner,
        @NotBlank @Size(min = 30, max = 2000, message = "describe the purpose in 30 to 2000 characters, specific enough to test")
        @PlainText(multiline = true) String purpose,
        @NotBlank @Pattern(regexp = "development|test|staging|production",
                message = "one of development, test, staging, production") String environment,
        @NotEmpty Set<@NotNull @Pattern(regexp = "[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*", message = "a scope name such as orders.read")
                String> clientScopes,
        Set<@NotNull @Pattern(regexp = "public|internal|confidential|regulated",
                message = "one of public, internal, confidential, regulated") String> dataClasses,
        @Positive Integer tokenLifespanSeconds,
        @NotNull @Future LocalDate endDate,
        @NotBlank @Pattern(regexp = "SIGNED_JWT|CLIENT_SECRET|FEDERATED", message = "one of SIGNED_JWT, CLIENT_SECRET, FEDERATED")
        String authMethod,
        @Size(max = 2000) String jwksUrl,
        @JsonDeserialize(using = JsonText.class) @Size(max = 16000) String jwks,
        @Size(max = 300) @Pattern(regexp = "[\\x21-\\x7E]+", message = "printable characters without spaces, such as system:serviceaccount:orders:sync")
        String workloadSubject) {

    public MachineRegistration(String workloadName, String machineKind, String owner, String purpose,
                               String environment, Set<String> clientScopes, Set<String> dataClasses,
                               Integer tokenLifespanSeconds, LocalDate endDate, String authMethod, String jwksUrl,
                               String jwks) {
        this(workloadName, machineKind, owner, purpose, environment, clientScopes, dataClasses, tokenLifespanSeconds,
                endDate, authMethod, jwksUrl, jwks, null);
    }

    public Set<String> dataClassesOrEmpty() {
        return dataClasses == null ? Set.of() : dataClasses;
    }
}
